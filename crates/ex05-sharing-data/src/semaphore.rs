//! The Semaphore section: six threads, two permits, and a bounded semaphore that refuses an extra release.

use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::thread;
use std::time::Duration;
use sync_kit::BoundedSemaphore;
use sync_kit::Semaphore;

use crate::{Args, say, spawn_all};

/// Semaphore: six threads share two permits; the most inside at once is measured.
/// Then a bounded semaphore refuses a release it never gave out.
pub(crate) fn show(_: &Args) -> anyhow::Result<()> {
    const THREADS: u64 = 6;
    const PERMITS: usize = 2;
    let permits = Semaphore::new(PERMITS);
    let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    spawn_all(THREADS, |_| {
        let _permit = permits.acquire();
        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
        most.fetch_max(now, Ordering::SeqCst);
        thread::sleep(Duration::from_millis(2));
        inside.fetch_sub(1, Ordering::SeqCst);
        Ok(())
    })?;
    let most = most.into_inner();
    say(format_args!(
        "{THREADS} threads, {PERMITS} permits: at most {most} inside at once"
    ))?;

    let bounded = BoundedSemaphore::new(PERMITS);
    match bounded.release() {
        Err(_) => Ok(say(format_args!(
            "bounded: release past {PERMITS} permits refused"
        ))?),
        Ok(()) => Ok(say(format_args!(
            "bounded: release past {PERMITS} permits accepted"
        ))?),
    }
}
