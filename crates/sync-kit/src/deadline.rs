//! Test support: a test body run under a deadline, so that a broken primitive
//! fails its test with a message in seconds instead of hanging `cargo test`.

use std::time::{Duration, Instant};

use crate::sync::thread;

/// How long a test body may take before the test calls it a hang.
pub(crate) const DEADLINE: Duration = Duration::from_secs(10);

/// Runs `body` on a thread of its own and waits for it up to [`DEADLINE`]: a
/// panic in it is the test's, and so is a body that has not ended by then.
pub(crate) fn within_deadline(what: &str, body: impl FnOnce() + Send + 'static) {
    let running = thread::spawn(body);
    let started = Instant::now();
    while !running.is_finished() {
        assert!(
            started.elapsed() < DEADLINE,
            "hung for {DEADLINE:?}: {what}"
        );
        thread::sleep(Duration::from_millis(1));
    }
    if let Err(panic) = running.join() {
        std::panic::resume_unwind(panic);
    }
}
