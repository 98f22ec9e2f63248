//! `LockedList`: a FIFO list guarded by one mutex, for exercise 4 and beyond.
//!
//! Python's answer to "one thread adds, another removes" is a `list` plus a
//! `threading.Lock` taken around every access. `LockedList` bundles the two so that
//! the list cannot be reached without the lock, and adds what the course's program
//! needs and a bare mutex makes easy to get wrong: operations that change the list
//! *and* let the caller look at the result inside the same critical section. A caller
//! that pushes, unlocks, and then locks again to print the list may print a list that
//! another thread has already changed; `push_back_then` and `pop_front_then` cannot.

use std::collections::VecDeque;
use std::fmt;

use crate::sync::{Mutex, lock};

/// A first-in, first-out list that threads share through a lock.
///
/// Every method takes the lock once and releases it before returning, so each call
/// is one atomic step as seen by other threads. Sequences of calls are *not* atomic:
/// `if !list.is_empty() { list.pop_front() }` can still find the list empty when it
/// pops. Use [`pop_front_then`](Self::pop_front_then) or [`with_lock`](Self::with_lock)
/// when a decision and an action must happen together.
///
/// Without a lock, Rust does not let two threads share the list at all: this is
/// the course's program with the lock left out, and it does not compile (the
/// adder's `&mut` borrow of the list excludes the remover's).
///
/// ```compile_fail,E0499
/// let mut shared = Vec::new();
/// std::thread::scope(|s| {
///     s.spawn(|| shared.push(0));
///     s.spawn(|| shared.remove(0));
/// });
/// ```
///
/// A panic inside a closure passed to this list does not make the list unusable:
/// the closures only ever see the list between operations, so its contents are
/// consistent and later calls recover the lock.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use std::thread;
/// use sync_kit::LockedList;
/// use sync_kit::fmt::PyList;
///
/// let list = Arc::new(LockedList::new());
/// let adder = {
///     let list = Arc::clone(&list);
///     thread::spawn(move || {
///         for i in 0..3 {
///             // The message is built while the lock is held, so it shows the list
///             // exactly as this push left it.
///             let line = list.push_back_then(i, |now| format!("Added {i}: {}", PyList(now)));
///             println!("{line}");
///         }
///     })
/// };
/// adder.join().unwrap();
/// let (removed, line) = list.pop_front_then(|removed, now| format!("{removed:?} left {}", PyList(now)));
/// assert_eq!(removed, Some(0));
/// assert_eq!(line, "Some(0) left [1, 2]");
/// assert_eq!(list.snapshot(), vec![1, 2]);
/// ```
pub struct LockedList<T> {
    /// Invariant: the items in the order they were pushed, oldest at the front.
    items: Mutex<VecDeque<T>>,
}

impl<T> LockedList<T> {
    /// Creates an empty list.
    pub fn new() -> Self {
        Self::from_deque(VecDeque::new())
    }

    fn from_deque(items: VecDeque<T>) -> Self {
        Self {
            items: Mutex::new(items),
        }
    }

    /// Appends `item` at the back.
    pub fn push_back(&self, item: T) {
        lock(&self.items).push_back(item);
    }

    /// Removes and returns the item at the front, or `None` if the list is empty.
    pub fn pop_front(&self) -> Option<T> {
        lock(&self.items).pop_front()
    }

    /// Appends `item`, then calls `report` with the list as that push left it,
    /// before any other thread can change it; returns what `report` returns.
    ///
    /// Keep `report` short: the list stays locked while it runs.
    pub fn push_back_then<R>(&self, item: T, report: impl FnOnce(&VecDeque<T>) -> R) -> R {
        let mut items = lock(&self.items);
        items.push_back(item);
        report(&items)
    }

    /// Removes the front item if there is one, then calls `report` with it (or
    /// `None` when the list was empty) and the list as the removal left it, before
    /// any other thread can change it. Returns the removed item and what `report`
    /// returned.
    pub fn pop_front_then<R>(
        &self,
        report: impl FnOnce(Option<&T>, &VecDeque<T>) -> R,
    ) -> (Option<T>, R) {
        let mut items = lock(&self.items);
        let removed = items.pop_front();
        let reported = report(removed.as_ref(), &items);
        (removed, reported)
    }

    /// Runs `f` on the list with the lock held: one critical section for any
    /// check-then-act sequence the other methods do not cover.
    pub fn with_lock<R>(&self, f: impl FnOnce(&mut VecDeque<T>) -> R) -> R {
        f(&mut lock(&self.items))
    }

    /// The number of items at this instant (another thread may change it at once).
    pub fn len(&self) -> usize {
        lock(&self.items).len()
    }

    /// Whether the list is empty at this instant (another thread may change it at once).
    pub fn is_empty(&self) -> bool {
        lock(&self.items).is_empty()
    }

    /// A copy of the items, front first, taken in one critical section.
    pub fn snapshot(&self) -> Vec<T>
    where
        T: Clone,
    {
        lock(&self.items).iter().cloned().collect()
    }

    /// Consumes the list and returns its items, front first.
    pub fn into_inner(self) -> VecDeque<T> {
        self.items
            .into_inner()
            .unwrap_or_else(crate::sync::PoisonError::into_inner)
    }
}

impl<T> Default for LockedList<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> FromIterator<T> for LockedList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Self::from_deque(iter.into_iter().collect())
    }
}

impl<T: fmt::Debug> fmt::Debug for LockedList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `try_lock`, not `lock`: formatting the list from inside one of its own
        // closures must not deadlock.
        let mut out = f.debug_struct("LockedList");
        match self.items.try_lock() {
            Ok(items) => out.field("items", &*items),
            Err(_) => out.field("items", &format_args!("<locked>")),
        };
        out.finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn pops_in_push_order() {
        let list = LockedList::new();
        for i in 0..4 {
            list.push_back(i);
        }
        assert_eq!(list.len(), 4);
        let drained: Vec<_> = std::iter::from_fn(|| list.pop_front()).collect();
        assert_eq!(drained, [0, 1, 2, 3]);
        assert!(list.is_empty());
    }

    #[test]
    fn reports_see_the_state_their_operation_left() {
        let list: LockedList<u32> = [7].into_iter().collect();
        let seen = list.push_back_then(8, |now| now.iter().copied().collect::<Vec<_>>());
        assert_eq!(seen, [7, 8]);
        let (removed, seen) = list.pop_front_then(|removed, now| {
            (removed.copied(), now.iter().copied().collect::<Vec<_>>())
        });
        assert_eq!(removed, Some(7));
        assert_eq!(seen, (Some(7), vec![8]));
        let (removed, seen) = list.pop_front_then(|_, _| ());
        assert_eq!((removed, seen), (Some(8), ()));
        let (removed, was_empty) =
            list.pop_front_then(|removed, now| removed.is_none() && now.is_empty());
        assert_eq!(removed, None);
        assert!(was_empty);
    }

    #[test]
    fn a_panicking_report_leaves_the_list_usable() {
        let list = LockedList::new();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            list.push_back_then(1, |_| panic!("report failed"));
        }));
        assert!(outcome.is_err());
        // The push happened before the report; the list still works.
        list.push_back(2);
        assert_eq!(list.snapshot(), [1, 2]);
    }

    #[test]
    fn debug_does_not_deadlock_inside_a_report() {
        let list: LockedList<u8> = [1].into_iter().collect();
        assert_eq!(format!("{list:?}"), "LockedList { items: [1] }");
        let inside = list.with_lock(|_| format!("{list:?}"));
        assert_eq!(inside, "LockedList { items: <locked> }");
    }
}
