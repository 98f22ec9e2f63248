//! The tasks this program's process-pool workers run, registered once in `main`
//! for every section that submits them.

use std::time::Duration;

use sync_kit::process::{Registered, Task};

use crate::values::divide;

/// The tasks this program's pool workers can run, for `process::init`.
pub(crate) const TASKS: &[&dyn Registered] = &[&WORKER, &KILL_OWN_WORKER, &SQUARE, &SLEEP_MS];

/// The course's worker: `10 / n`, and an error for 0.
pub(crate) static WORKER: Task<u64, f64> = Task::fallible("worker", |n| {
    divide(n).map_err(|_| "Zero is not allowed!".to_owned())
});

/// Kills the worker process it runs in with SIGKILL, as the OOM killer would.
pub(crate) static KILL_OWN_WORKER: Task<(), ()> = Task::new("kill_own_worker", |()| {
    let _ = rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
    // SIGKILL to oneself is delivered before the call returns.
    std::thread::sleep(Duration::from_secs(60));
});

/// Squares its number: queued behind a dying worker, and waited for with a timeout.
pub(crate) static SQUARE: Task<u64, u64> = Task::new("square", |n| n * n);

/// Sleeps `ms` milliseconds: the process task that overruns.
pub(crate) static SLEEP_MS: Task<u64, ()> = Task::new("sleep_ms", |ms| {
    std::thread::sleep(Duration::from_millis(ms));
});
