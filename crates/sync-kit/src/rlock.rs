//! `RLock`: a reentrant lock, the counterpart of Python's `threading.RLock`.
//!
//! The thread that holds an `RLock` may lock it again (a method that takes the lock
//! can call another that takes it too); every other thread waits until the owner has
//! dropped all of its guards. Python lets any code call `release()`, and raises when
//! the caller is not the owner; here a release is the drop of a guard, and a guard
//! cannot leave the thread that took it, so that mistake cannot be written.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::time::{Duration, Instant};

use crate::sync::{Condvar, Mutex, ThreadId, deadline_after, lock, thread, wait_while};

/// A reentrant lock around a value of type `T` (by default, nothing).
///
/// A guard gives shared access (`&T`) only, because the owning thread may hold
/// several guards at once. Put a `Cell` or `RefCell` inside for mutation: the lock
/// guarantees that only one thread at a time can reach it.
///
/// # Examples
///
/// ```
/// use std::cell::RefCell;
/// use std::time::Duration;
/// use sync_kit::RLock;
///
/// // The timed calls make a broken lock fail this example instead of hanging it.
/// const PATIENCE: Duration = Duration::from_secs(10);
///
/// struct Account {
///     log: RLock<RefCell<Vec<String>>>,
/// }
///
/// impl Account {
///     fn record(&self, line: &str) {
///         let log = self.log.lock_timeout(PATIENCE).expect("the lock is free in time");
///         log.borrow_mut().push(line.to_owned());
///     }
///     fn transfer(&self) {
///         // Held across the whole transfer...
///         let log = self.log.lock_timeout(PATIENCE).expect("the lock is free in time");
///         let before = log.borrow().len();
///         self.record("debit"); // ...and taken again inside: no deadlock
///         self.record("credit");
///         // No other thread got in between: the two lines are together.
///         assert_eq!(log.borrow().len(), before + 2);
///     }
/// }
///
/// let account = Account { log: RLock::new(RefCell::new(Vec::new())) };
/// std::thread::scope(|s| {
///     s.spawn(|| account.transfer());
///     s.spawn(|| account.transfer());
/// });
/// let log = account.log.lock_timeout(PATIENCE).expect("both transfers are done");
/// assert_eq!(log.borrow().len(), 4);
/// ```
///
/// A guard cannot be sent to another thread, which is how "release from a thread that
/// does not own the lock" is ruled out:
///
/// ```compile_fail,E0277
/// let lock = sync_kit::RLock::new(());
/// let guard = lock.lock();
/// std::thread::scope(|s| {
///     s.spawn(move || drop(guard));
/// });
/// ```
pub struct RLock<T: ?Sized = ()> {
    owner: Mutex<Ownership>,
    released: Condvar,
    data: T,
}

/// Invariant: `thread` is `Some` exactly when `depth > 0`.
#[derive(Debug)]
struct Ownership {
    thread: Option<ThreadId>,
    depth: usize,
}

// SAFETY: `data` is reached only through a guard (or `&mut self`). Guards are
// created only by the thread recorded in `owner`, are `!Send`, and every other
// thread blocks until the owner's last guard is gone, with the mutex ordering the
// hand-over. So at any moment at most one thread can observe `data`, and `T: Send`
// is all that moving that access between threads requires (as for `Mutex<T>`).
unsafe impl<T: ?Sized + Send> Sync for RLock<T> {}

impl<T> RLock<T> {
    /// Creates an unlocked `RLock` around `data`.
    pub fn new(data: T) -> Self {
        Self {
            owner: Mutex::new(Ownership {
                thread: None,
                depth: 0,
            }),
            released: Condvar::new(),
            data,
        }
    }

    /// Consumes the lock and returns the value.
    pub fn into_inner(self) -> T {
        self.data
    }
}

impl<T: ?Sized> RLock<T> {
    /// Takes the lock, waiting while another thread holds it. The thread that holds
    /// it gets a new guard at once.
    pub fn lock(&self) -> RLockGuard<'_, T> {
        let guard = self.acquire(None);
        guard.unwrap_or_else(|| unreachable!("an untimed acquire only returns once it holds"))
    }

    /// Takes the lock if that is possible without waiting.
    pub fn try_lock(&self) -> Option<RLockGuard<'_, T>> {
        self.acquire(Some(Instant::now()))
    }

    /// Takes the lock, waiting at most `timeout`; `None` if it was still held by
    /// another thread when the time ran out.
    pub fn lock_timeout(&self, timeout: Duration) -> Option<RLockGuard<'_, T>> {
        match deadline_after(timeout) {
            Some(deadline) => self.acquire(Some(deadline)),
            None => Some(self.lock()),
        }
    }

    /// How many guards the calling thread holds on this lock (0 if it is not the
    /// owner). Python keeps this count hidden; it is useful in assertions.
    pub fn held_by_current_thread(&self) -> usize {
        let owner = lock(&self.owner);
        if owner.thread == Some(thread::current().id()) {
            owner.depth
        } else {
            0
        }
    }

    /// Mutable access without locking: `&mut self` proves no guard exists.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.data
    }

    fn acquire(&self, deadline: Option<Instant>) -> Option<RLockGuard<'_, T>> {
        let me = thread::current().id();
        let owner = lock(&self.owner);
        let (mut owner, acquired) = wait_while(&self.released, owner, deadline, |owner| {
            owner.thread.is_some_and(|holder| holder != me)
        });
        if !acquired {
            return None;
        }
        owner.thread = Some(me);
        owner.depth += 1;
        Some(RLockGuard {
            lock: self,
            _not_send: PhantomData,
        })
    }
}

impl<T: Default> Default for RLock<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T: ?Sized> fmt::Debug for RLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The data is shown only to its owner, so the state alone is printed.
        let owner = lock(&self.owner);
        f.debug_struct("RLock")
            .field("owner", &owner.thread)
            .field("depth", &owner.depth)
            .finish_non_exhaustive()
    }
}

/// Proof that the current thread holds an [`RLock`]; dropping it releases one level.
#[must_use = "the lock is released as soon as the guard is dropped"]
pub struct RLockGuard<'a, T: ?Sized> {
    lock: &'a RLock<T>,
    /// A raw pointer is neither `Send` nor `Sync`: the guard stays on its thread.
    _not_send: PhantomData<*const ()>,
}

impl<T: ?Sized> Deref for RLockGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.lock.data
    }
}

impl<T: ?Sized> Drop for RLockGuard<'_, T> {
    fn drop(&mut self) {
        let mut owner = lock(&self.lock.owner);
        owner.depth -= 1;
        if owner.depth == 0 {
            owner.thread = None;
            drop(owner);
            self.lock.released.notify_one();
        }
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RLockGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RLockGuard").field(&&**self).finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn owner_reenters_and_others_wait_until_the_last_guard_goes() {
        let lock = RLock::new(Cell::new(0));
        // Timed, so that a broken lock fails the test instead of hanging it.
        let patience = Duration::from_secs(10);
        let outer = lock.lock();
        let inner = lock.lock_timeout(patience).expect("its owner re-enters");
        assert_eq!(lock.held_by_current_thread(), 2);
        std::thread::scope(|s| {
            let other = s.spawn(|| lock.try_lock().is_none());
            assert!(other.join().unwrap(), "another thread got a held RLock");
            drop(inner);
            let other = s.spawn(|| lock.lock_timeout(Duration::from_millis(20)).is_none());
            assert!(
                other.join().unwrap(),
                "one guard released the lock for everyone"
            );
            drop(outer);
            let other = s.spawn(|| {
                let guard = lock
                    .lock_timeout(patience)
                    .expect("the last guard released it");
                guard.set(guard.get() + 1);
                lock.held_by_current_thread()
            });
            assert_eq!(other.join().unwrap(), 1);
        });
        assert_eq!(lock.held_by_current_thread(), 0);
        assert_eq!(lock.into_inner().get(), 1);
    }
}
