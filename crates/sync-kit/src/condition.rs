//! `Condition`: a lock and a condition variable that belong together, as in
//! Python's `threading.Condition`.
//!
//! std's `Condvar` must be used with one `Mutex`, always the same, and nothing checks
//! that. `Condition<T>` owns both, so waiting is a method of the guard: it is not
//! possible to wait without holding the lock, or on the wrong one.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::time::{Duration, Instant};

use crate::sync::{Condvar, Mutex, MutexGuard, PoisonError, deadline_after, lock, wait_while};

/// A value of type `T` guarded by a lock, plus a condition variable for waiting
/// until the value reaches some state.
///
/// Always wait in a loop on the state you need, never on "a notification came":
/// notifications can be meant for another waiter, or taken by it first.
/// [`ConditionGuard::wait_while`] is that loop.
///
/// # Examples
///
/// ```
/// use std::collections::VecDeque;
/// use sync_kit::Condition;
///
/// let jobs = Condition::new(VecDeque::new());
/// std::thread::scope(|s| {
///     let worker = s.spawn(|| {
///         let mut queue = jobs.lock();
///         // Timed, so that a lost notification fails here instead of hanging.
///         assert!(queue.wait_timeout_while(std::time::Duration::from_secs(10), |q| q.is_empty()));
///         queue.pop_front()
///     });
///     jobs.lock().push_back("job");
///     jobs.notify_one();
///     assert_eq!(worker.join().unwrap(), Some("job"));
/// });
/// ```
pub struct Condition<T> {
    state: Mutex<T>,
    changed: Condvar,
}

impl<T> Condition<T> {
    /// Creates a condition around an initial state.
    pub fn new(state: T) -> Self {
        Self {
            state: Mutex::new(state),
            changed: Condvar::new(),
        }
    }

    /// Takes the lock (Python's `with condition:`).
    pub fn lock(&self) -> ConditionGuard<'_, T> {
        ConditionGuard {
            condition: self,
            guard: Some(lock(&self.state)),
        }
    }

    /// Wakes one thread waiting on this condition, if any.
    ///
    /// Python requires the lock to be held here; Rust does not need that for
    /// safety, but change the state under the lock *before* notifying, or a waiter
    /// may check the old state and sleep through the notification.
    pub fn notify_one(&self) {
        self.changed.notify_one();
    }

    /// Wakes every thread waiting on this condition.
    pub fn notify_all(&self) {
        self.changed.notify_all();
    }

    /// Consumes the condition and returns the state.
    pub fn into_inner(self) -> T {
        self.state
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T: Default> Default for Condition<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T: fmt::Debug> fmt::Debug for Condition<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Condition");
        match self.state.try_lock() {
            Ok(state) => d.field("state", &&*state),
            Err(_) => d.field("state", &format_args!("<locked>")),
        };
        d.finish_non_exhaustive()
    }
}

/// The lock of a [`Condition`], held; dereferences to the state.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct ConditionGuard<'a, T> {
    condition: &'a Condition<T>,
    /// Always `Some`, except inside a wait, which hands the guard to the condvar.
    guard: Option<MutexGuard<'a, T>>,
}

impl<'a, T> ConditionGuard<'a, T> {
    /// Releases the lock, sleeps until notified, and takes the lock again.
    ///
    /// One wake-up, which may be spurious or meant for another waiter: check the
    /// state again after it, in a loop, or use [`wait_while`](Self::wait_while).
    pub fn wait(&mut self) {
        let guard = self.take_guard();
        let guard = self
            .condition
            .changed
            .wait(guard)
            .unwrap_or_else(PoisonError::into_inner);
        self.guard = Some(guard);
    }

    /// Like [`wait`](Self::wait), for at most `timeout`. Returns `false` if the
    /// time ran out (Python's `wait(timeout)` returning `False`).
    pub fn wait_timeout(&mut self, timeout: Duration) -> bool {
        let guard = self.take_guard();
        let (guard, result) = self
            .condition
            .changed
            .wait_timeout(guard, timeout)
            .unwrap_or_else(PoisonError::into_inner);
        self.guard = Some(guard);
        !result.timed_out()
    }

    /// Waits while `blocked` returns `true` for the state (Python's
    /// `wait_for(lambda: not blocked())`). Returns with the lock held and `blocked`
    /// false.
    pub fn wait_while(&mut self, blocked: impl FnMut(&mut T) -> bool) {
        self.wait_until_deadline(None, blocked);
    }

    /// Like [`wait_while`](Self::wait_while), for at most `timeout` in all.
    /// Returns `true` if the state is ready, `false` if the time ran out first.
    pub fn wait_timeout_while(
        &mut self,
        timeout: Duration,
        blocked: impl FnMut(&mut T) -> bool,
    ) -> bool {
        self.wait_until_deadline(deadline_after(timeout), blocked)
    }

    /// Wakes one waiter; see [`Condition::notify_one`].
    pub fn notify_one(&self) {
        self.condition.notify_one();
    }

    /// Wakes every waiter; see [`Condition::notify_all`].
    pub fn notify_all(&self) {
        self.condition.notify_all();
    }

    fn wait_until_deadline(
        &mut self,
        deadline: Option<Instant>,
        blocked: impl FnMut(&mut T) -> bool,
    ) -> bool {
        let guard = self.take_guard();
        let (guard, ready) = wait_while(&self.condition.changed, guard, deadline, blocked);
        self.guard = Some(guard);
        ready
    }

    fn take_guard(&mut self) -> MutexGuard<'a, T> {
        self.guard
            .take()
            .unwrap_or_else(|| unreachable!("a condition guard holds its lock between waits"))
    }
}

impl<T> Deref for ConditionGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.guard
            .as_deref()
            .unwrap_or_else(|| unreachable!("a condition guard holds its lock between waits"))
    }
}

impl<T> DerefMut for ConditionGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.guard
            .as_deref_mut()
            .unwrap_or_else(|| unreachable!("a condition guard holds its lock between waits"))
    }
}

impl<T: fmt::Debug> fmt::Debug for ConditionGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ConditionGuard").field(&&**self).finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn timed_wait_gives_up_and_keeps_the_lock() {
        let condition = Condition::new(0);
        let mut guard = condition.lock();
        assert!(!guard.wait_timeout_while(Duration::from_millis(20), |n| *n == 0));
        *guard += 1; // still held: the state is reachable
        assert!(guard.wait_timeout_while(Duration::from_millis(20), |n| *n == 0));
    }

    #[test]
    fn waiter_sees_the_state_the_notifier_set() {
        let condition = Condition::new(None);
        std::thread::scope(|s| {
            let waiter = s.spawn(|| {
                let mut guard = condition.lock();
                guard.wait_while(|value| value.is_none());
                guard.take()
            });
            *condition.lock() = Some(42);
            condition.notify_all();
            assert_eq!(waiter.join().unwrap(), Some(42));
        });
    }
}
