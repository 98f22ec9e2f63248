//! A deadline for a whole test, for the waits a test cannot time itself (joining
//! or dropping a process pool): past it, the test binary aborts with a message
//! naming the test, so a hang fails in seconds instead of stalling the run.

use std::io::Write as _;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::time::Duration;

/// Aborts the process if it is still alive `limit` after [`Watchdog::arm`];
/// dropping it (at the end of the test, after the test's pools) disarms it.
#[must_use = "the watchdog is disarmed when dropped: bind it to a variable for the whole test"]
#[derive(Debug)]
pub struct Watchdog {
    _disarm: Sender<()>,
}

impl Watchdog {
    /// Arms a watchdog for the calling test (named by its thread).
    pub fn arm(limit: Duration) -> Self {
        let test = std::thread::current().name().unwrap_or("a test").to_owned();
        let (disarm, disarmed) = mpsc::channel::<()>();
        std::thread::spawn(move || {
            if disarmed.recv_timeout(limit) == Err(RecvTimeoutError::Timeout) {
                // Written to the stream itself: what `eprintln!` writes in a test
                // is captured, and an abort would lose it.
                let _ = writeln!(
                    std::io::stderr(),
                    "{test} is still running after {limit:?}: it hangs, so the tests abort"
                );
                std::process::abort();
            }
        });
        Self { _disarm: disarm }
    }
}
