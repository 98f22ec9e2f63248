//! The loom/std facade: the one place sync-kit takes its threading types from.
//!
//! Built with `RUSTFLAGS="--cfg loom"` these are loom's model-checked types;
//! otherwise they are std's. Library code imports `Mutex`, `Arc`, `thread`, ... from
//! here and never from `std::sync` directly, so that what loom checks is what runs.
//! Under loom no primitive may live in a `static` and constructors are not `const`.

#[cfg(loom)]
pub use loom::sync::{Arc, Condvar, Mutex, MutexGuard, atomic};
#[cfg(loom)]
pub use loom::thread;
#[cfg(loom)]
pub(crate) use loom::thread::ThreadId;

#[cfg(not(loom))]
pub use std::sync::{Arc, Condvar, Mutex, MutexGuard, atomic};
#[cfg(not(loom))]
pub use std::thread;
#[cfg(not(loom))]
pub(crate) use std::thread::ThreadId;

/// The atomics that live in memory shared between processes: always the
/// hardware's, since loom's cannot live in a memfd. Only the process primitives use
/// them, and those are not built under loom.
#[cfg(not(loom))]
pub(crate) use std::sync::atomic as shared_atomic;

/// loom's locks report poisoning with std's error type, so it serves both builds.
pub use std::sync::PoisonError;
use std::time::{Duration, Instant};

/// Locks `mutex`, recovering the guard if a previous holder panicked.
///
/// Every structure in this crate keeps its invariant at each point where user code
/// can panic while the lock is held (user code only ever sees a finished state), so a
/// poisoned lock still guards consistent data and refusing it would only turn one
/// panic into many.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The instant `timeout` from now, or `None` (wait forever) when it is too far
/// away to represent, as with `Duration::MAX`.
pub(crate) fn deadline_after(timeout: Duration) -> Option<Instant> {
    Instant::now().checked_add(timeout)
}

/// Waits on `condvar` while `blocked` says the state is not ready yet, giving up at
/// `deadline` (`None` waits for as long as it takes).
///
/// This is the one wait loop of the crate: every blocking call, its `try_` form
/// (a deadline of now) and its timed form go through it. It re-checks `blocked`
/// after every wake-up, so spurious wake-ups and wake-ups meant for another waiter
/// are harmless. Returns the guard and `true` if the state became ready, `false`
/// if the deadline passed first; the guard is held in both cases.
pub(crate) fn wait_while<'a, T>(
    condvar: &Condvar,
    mut guard: MutexGuard<'a, T>,
    deadline: Option<Instant>,
    mut blocked: impl FnMut(&mut T) -> bool,
) -> (MutexGuard<'a, T>, bool) {
    while blocked(&mut guard) {
        guard = match deadline {
            None => condvar.wait(guard).unwrap_or_else(PoisonError::into_inner),
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return (guard, false);
                }
                condvar
                    .wait_timeout(guard, left)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0
            }
        };
    }
    (guard, true)
}
