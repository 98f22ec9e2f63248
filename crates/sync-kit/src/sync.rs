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

#[cfg(not(loom))]
pub use std::sync::{Arc, Condvar, Mutex, MutexGuard, atomic};
#[cfg(not(loom))]
pub use std::thread;

/// Locks `mutex`, recovering the guard if a previous holder panicked.
///
/// Every structure in this crate keeps its invariant at each point where user code
/// can panic while the lock is held (user code only ever sees a finished state), so a
/// poisoned lock still guards consistent data and refusing it would only turn one
/// panic into many.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
