//! The Lock section: a shared counter updated with no lock (updates are lost), then under one (none are).

use anyhow::anyhow;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering;
use sync_kit::Barrier;

use crate::{Args, race, say, spawn_all};

/// Lock: a shared counter, first updated in two steps with no lock (a read, then a
/// write: another thread's update in between is lost), then under a lock.
pub(crate) fn show(args: &Args) -> anyhow::Result<()> {
    let (threads, each) = (args.threads, args.increments);
    let total = threads * each;

    // The threads start together, so that their updates really overlap.
    let start = Barrier::new(threads as usize);
    let racy = AtomicU64::new(0);
    let spans = spawn_all(threads, |_| {
        let _ = start.wait();
        let begun = race::now();
        for _ in 0..each {
            // Each step is atomic, the pair is not: Python's `counter += 1` without
            // a lock, written so that Rust accepts it.
            let seen = racy.load(Ordering::Relaxed);
            racy.store(race::increment(seen), Ordering::Relaxed);
        }
        Ok((begun, race::now()))
    })?;
    let counter = racy.into_inner();
    let lost = race::lost(counter, total, &spans, "threads");
    say(format_args!(
        "unlocked: {threads} threads x {each} increments: counter = {counter} of {total} ({lost})"
    ))?;

    let locked = Mutex::new(0u64);
    spawn_all(threads, |_| {
        let _ = start.wait();
        for _ in 0..each {
            *locked.lock().map_err(|_| anyhow!("a holder panicked"))? += 1;
        }
        Ok(())
    })?;
    let counter = locked
        .into_inner()
        .map_err(|_| anyhow!("a holder panicked"))?;
    Ok(say(format_args!(
        "locked: {threads} threads x {each} increments: counter = {counter} of {total}"
    ))?)
}
