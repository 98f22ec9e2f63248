//! `Semaphore` and `BoundedSemaphore`: counting permits, as in Python's `threading`.
//!
//! Both hand out permits that return themselves when dropped (Python's
//! `with semaphore:`). Python's other style, `acquire()` now and `release()`
//! elsewhere, is [`Permit::forget`] followed by `release`. The two types differ only
//! in `release`: a `Semaphore` may be released past its initial count (that is how a
//! counter of available resources grows), a `BoundedSemaphore` refuses, because a
//! release that was never matched by an acquire is almost always a bug.

use std::fmt;
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::sync::{Condvar, Mutex, deadline_after, lock, wait_while};

/// The count and its wake-up, shared by both kinds of semaphore.
struct Permits {
    available: Mutex<usize>,
    freed: Condvar,
}

impl Permits {
    fn new(count: usize) -> Self {
        Self {
            available: Mutex::new(count),
            freed: Condvar::new(),
        }
    }

    fn acquire(&self, deadline: Option<Instant>) -> Option<Permit<'_>> {
        let available = lock(&self.available);
        let (mut available, ready) = wait_while(&self.freed, available, deadline, |available| {
            *available == 0
        });
        if !ready {
            return None;
        }
        *available -= 1;
        Some(Permit { permits: self })
    }

    fn acquire_timeout(&self, timeout: Duration) -> Option<Permit<'_>> {
        self.acquire(deadline_after(timeout))
    }

    fn acquire_blocking(&self) -> Permit<'_> {
        self.acquire(None)
            .unwrap_or_else(|| unreachable!("an untimed acquire only returns with a permit"))
    }

    /// Adds one permit unless that would exceed `limit`; `false` if it would.
    fn release(&self, limit: Option<usize>) -> bool {
        let mut available = lock(&self.available);
        if limit.is_some_and(|limit| *available >= limit) {
            return false;
        }
        *available += 1;
        drop(available);
        self.freed.notify_one();
        true
    }

    fn available(&self) -> usize {
        *lock(&self.available)
    }
}

/// The acquiring half, the same for both kinds: written once, placed in each.
macro_rules! acquire_methods {
    () => {
        /// Takes a permit, waiting until one is available.
        pub fn acquire(&self) -> Permit<'_> {
            self.permits.acquire_blocking()
        }

        /// Takes a permit if one is available now.
        pub fn try_acquire(&self) -> Option<Permit<'_>> {
            self.permits.acquire(Some(Instant::now()))
        }

        /// Takes a permit, waiting at most `timeout`.
        pub fn acquire_timeout(&self, timeout: Duration) -> Option<Permit<'_>> {
            self.permits.acquire_timeout(timeout)
        }
    };
}

/// A counting semaphore: at most `count` permits are out at once, unless
/// [`release`](Self::release) adds more.
///
/// # Examples
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::time::Duration;
/// use sync_kit::Semaphore;
///
/// let slots = Semaphore::new(2);
/// let inside = AtomicUsize::new(0);
/// let most = AtomicUsize::new(0);
/// std::thread::scope(|s| {
///     for _ in 0..6 {
///         s.spawn(|| {
///             // Timed, so that a permit never given back fails here instead of hanging.
///             let _permit = slots.acquire_timeout(Duration::from_secs(10)).expect("a permit");
///             let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
///             most.fetch_max(now, Ordering::SeqCst);
///             inside.fetch_sub(1, Ordering::SeqCst);
///         });
///     }
/// });
/// assert!(most.into_inner() <= 2);
/// ```
pub struct Semaphore {
    permits: Permits,
}

impl Semaphore {
    /// Creates a semaphore with `count` permits available.
    pub fn new(count: usize) -> Self {
        Self {
            permits: Permits::new(count),
        }
    }

    acquire_methods!();

    /// Adds a permit, waking one waiter. The count may grow past its initial value.
    pub fn release(&self) {
        self.permits.release(None);
    }

    /// The number of permits available now (a snapshot: it may change at once).
    pub fn available(&self) -> usize {
        self.permits.available()
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("available", &self.available())
            .finish()
    }
}

/// A semaphore that never holds more than its initial count of permits.
///
/// # Examples
///
/// ```
/// use sync_kit::BoundedSemaphore;
///
/// let pool = BoundedSemaphore::new(1);
/// let permit = pool.try_acquire().expect("one permit is free");
/// permit.forget(); // Python's bare `acquire()`
/// assert!(pool.release().is_ok());
/// assert!(pool.release().is_err()); // one release too many
/// ```
pub struct BoundedSemaphore {
    permits: Permits,
    limit: usize,
}

/// A [`BoundedSemaphore`] was released more times than it was acquired (Python's
/// `ValueError: Semaphore released too many times`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("bounded semaphore released too many times: it already holds all {limit} permits")]
pub struct ReleaseError {
    /// The semaphore's initial (and largest) count.
    pub limit: usize,
}

impl BoundedSemaphore {
    /// Creates a bounded semaphore with `count` permits, which is also its bound.
    pub fn new(count: usize) -> Self {
        Self {
            permits: Permits::new(count),
            limit: count,
        }
    }

    acquire_methods!();

    /// Returns a permit taken with [`Permit::forget`]. Fails, changing nothing, if
    /// every permit is already back.
    pub fn release(&self) -> Result<(), ReleaseError> {
        if self.permits.release(Some(self.limit)) {
            Ok(())
        } else {
            Err(ReleaseError { limit: self.limit })
        }
    }

    /// The number of permits available now (a snapshot: it may change at once).
    pub fn available(&self) -> usize {
        self.permits.available()
    }
}

impl fmt::Debug for BoundedSemaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundedSemaphore")
            .field("available", &self.available())
            .field("limit", &self.limit)
            .finish()
    }
}

/// One permit of a semaphore, returned when dropped.
#[must_use = "the permit is returned as soon as it is dropped"]
pub struct Permit<'a> {
    permits: &'a Permits,
}

impl Permit<'_> {
    /// Keeps the permit taken after this value is gone; give it back later with the
    /// semaphore's `release`.
    pub fn forget(self) {
        std::mem::forget(self);
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        // A permit that was acquired can always go back, even to a bounded semaphore.
        self.permits.release(None);
    }
}

impl fmt::Debug for Permit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit").finish_non_exhaustive()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::deadline::{DEADLINE, within_deadline};

    #[test]
    fn permits_run_out_and_come_back() {
        let semaphore = Semaphore::new(2);
        let a = semaphore.acquire_timeout(DEADLINE).expect("a first permit");
        let b = semaphore.try_acquire().expect("a second permit");
        assert!(semaphore.try_acquire().is_none());
        assert!(
            semaphore
                .acquire_timeout(Duration::from_millis(20))
                .is_none()
        );
        drop(a);
        assert_eq!(semaphore.available(), 1);
        drop(b);
        semaphore.release();
        assert_eq!(semaphore.available(), 3, "a plain semaphore may grow");
    }

    #[test]
    fn bounded_semaphore_refuses_an_unmatched_release() {
        let semaphore = BoundedSemaphore::new(2);
        assert_eq!(semaphore.release(), Err(ReleaseError { limit: 2 }));
        semaphore
            .acquire_timeout(DEADLINE)
            .expect("a permit")
            .forget();
        assert_eq!(semaphore.available(), 1);
        assert_eq!(semaphore.release(), Ok(()));
        assert_eq!(semaphore.available(), 2);
        assert!(semaphore.release().is_err());
    }

    #[test]
    fn an_untimed_acquire_gets_the_released_permit() {
        within_deadline("an untimed acquire of a released permit", || {
            let semaphore = Semaphore::new(0);
            std::thread::scope(|s| {
                let waiter = s.spawn(|| semaphore.acquire().forget());
                semaphore.release();
                waiter.join().unwrap();
            });
            assert_eq!(semaphore.available(), 0);
        });
    }

    #[test]
    fn semaphores_and_permits_show_their_state_when_printed() {
        let counting = Semaphore::new(2);
        let bounded = BoundedSemaphore::new(3);
        let permit = bounded.try_acquire().expect("a permit");
        assert_eq!(format!("{counting:?}"), "Semaphore { available: 2 }");
        assert_eq!(
            format!("{bounded:?}"),
            "BoundedSemaphore { available: 2, limit: 3 }"
        );
        assert_eq!(format!("{permit:?}"), "Permit { .. }");
    }
}
