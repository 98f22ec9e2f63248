//! `Queue<T>`: a FIFO queue for many producers and consumers, with `queue.Queue`'s
//! `task_done`/`join` accounting.

use std::collections::VecDeque;
use std::fmt;
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::sync::{Condvar, Mutex, MutexGuard, deadline_after, lock, wait_while};

/// A first-in, first-out queue shared by any number of producers and consumers,
/// bounded or not.
///
/// Besides moving items, it counts *unfinished tasks*, as Python's `queue.Queue`
/// does: every `put` adds one, every [`task_done`](Self::task_done) removes one, and
/// [`join`](Self::join) waits until the count is back to zero, that is until every
/// item ever put has been taken *and* reported done.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use sync_kit::Queue;
///
/// let queue = Queue::bounded(2);
/// let done = std::sync::Mutex::new(Vec::new());
/// // The timed calls make a broken queue fail this example instead of hanging it.
/// let patience = Duration::from_secs(10);
/// std::thread::scope(|s| {
///     for _ in 0..2 {
///         s.spawn(|| {
///             while let Some(Some(n)) = queue.get_timeout(patience) {
///                 done.lock().unwrap().push(n * n);
///                 queue.task_done().unwrap();
///             }
///             queue.task_done().unwrap(); // for the `None` that stopped us
///         });
///     }
///     for n in 1..=5 {
///         // Waits while two items are queued.
///         queue.put_timeout(Some(n), patience).expect("the consumers make room");
///     }
///     assert!(queue.join_timeout(patience)); // all five squared
///     assert_eq!(done.lock().unwrap().len(), 5);
///     for _ in 0..2 {
///         queue.put_timeout(None, patience).expect("room for the stop signals");
///     }
/// });
/// ```
pub struct Queue<T> {
    state: Mutex<State<T>>,
    /// Notified when an item arrives.
    not_empty: Condvar,
    /// Notified when an item leaves a bounded queue.
    not_full: Condvar,
    /// Notified when the unfinished count reaches zero.
    all_done: Condvar,
    capacity: Option<usize>,
}

struct State<T> {
    items: VecDeque<T>,
    /// Items put and not yet reported done. Invariant: `>= items.len()`.
    unfinished: usize,
}

/// A `put` found the queue full (only bounded queues fill up). Holds the item back.
#[derive(Clone, PartialEq, Eq, Error)]
#[error("the queue is full")]
pub struct Full<T>(pub T);

impl<T> fmt::Debug for Full<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Full(..)")
    }
}

/// `task_done` was called more times than items were put (Python's
/// `ValueError: task_done() called too many times`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("task_done() called more times than items were put")]
pub struct TaskDoneError;

impl<T> Queue<T> {
    /// Creates a queue with no bound on its length.
    pub fn unbounded() -> Self {
        Self::with_capacity(None)
    }

    /// Creates a queue that holds at most `capacity` items; `put` waits while it is
    /// full. As in Python, a capacity of 0 means no bound.
    pub fn bounded(capacity: usize) -> Self {
        Self::with_capacity((capacity > 0).then_some(capacity))
    }

    fn with_capacity(capacity: Option<usize>) -> Self {
        Self {
            state: Mutex::new(State {
                items: VecDeque::new(),
                unfinished: 0,
            }),
            not_empty: Condvar::new(),
            not_full: Condvar::new(),
            all_done: Condvar::new(),
            capacity,
        }
    }

    /// Adds `item` at the back, waiting while the queue is full.
    pub fn put(&self, item: T) {
        if self.put_until(item, None).is_err() {
            unreachable!("an untimed put only returns once the item is in");
        }
    }

    /// Adds `item` if there is room now.
    pub fn try_put(&self, item: T) -> Result<(), Full<T>> {
        self.put_until(item, Some(Instant::now()))
    }

    /// Adds `item`, waiting at most `timeout` for room.
    pub fn put_timeout(&self, item: T, timeout: Duration) -> Result<(), Full<T>> {
        self.put_until(item, deadline_after(timeout))
    }

    /// Takes the item at the front, waiting while the queue is empty.
    pub fn get(&self) -> T {
        self.get_until(None)
            .unwrap_or_else(|| unreachable!("an untimed get only returns with an item"))
    }

    /// Takes the item at the front if there is one now.
    pub fn try_get(&self) -> Option<T> {
        self.get_until(Some(Instant::now()))
    }

    /// Takes the item at the front, waiting at most `timeout` for one.
    pub fn get_timeout(&self, timeout: Duration) -> Option<T> {
        self.get_until(deadline_after(timeout))
    }

    /// Reports that an item taken with `get` has been dealt with.
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        let mut state = self.lock();
        let Some(left) = state.unfinished.checked_sub(1) else {
            return Err(TaskDoneError);
        };
        state.unfinished = left;
        if left == 0 {
            drop(state);
            self.all_done.notify_all();
        }
        Ok(())
    }

    /// Waits until every item put so far has been reported done.
    pub fn join(&self) {
        self.join_until(None);
    }

    /// Like [`join`](Self::join), for at most `timeout`; `false` if tasks were still
    /// unfinished when the time ran out.
    pub fn join_timeout(&self, timeout: Duration) -> bool {
        self.join_until(deadline_after(timeout))
    }

    /// The number of items queued now (a snapshot: it may change at once).
    pub fn len(&self) -> usize {
        self.lock().items.len()
    }

    /// Whether no item is queued now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether a bounded queue is at its capacity now.
    pub fn is_full(&self) -> bool {
        self.capacity.is_some_and(|capacity| self.len() >= capacity)
    }

    /// The bound given to [`bounded`](Self::bounded), if any.
    pub fn capacity(&self) -> Option<usize> {
        self.capacity
    }

    /// Items put and not yet reported done (including those still queued).
    pub fn unfinished_tasks(&self) -> usize {
        self.lock().unfinished
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        lock(&self.state)
    }

    fn put_until(&self, item: T, deadline: Option<Instant>) -> Result<(), Full<T>> {
        let state = self.lock();
        let capacity = self.capacity;
        let (mut state, ready) = wait_while(&self.not_full, state, deadline, |state| {
            capacity.is_some_and(|capacity| state.items.len() >= capacity)
        });
        if !ready {
            return Err(Full(item));
        }
        state.items.push_back(item);
        state.unfinished += 1;
        drop(state);
        self.not_empty.notify_one();
        Ok(())
    }

    fn get_until(&self, deadline: Option<Instant>) -> Option<T> {
        let state = self.lock();
        let (mut state, _) = wait_while(&self.not_empty, state, deadline, |state| {
            state.items.is_empty()
        });
        let item = state.items.pop_front()?;
        drop(state);
        if self.capacity.is_some() {
            self.not_full.notify_one();
        }
        Some(item)
    }

    fn join_until(&self, deadline: Option<Instant>) -> bool {
        let state = self.lock();
        wait_while(&self.all_done, state, deadline, |state| {
            state.unfinished > 0
        })
        .1
    }
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Self::unbounded()
    }
}

impl<T> fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("Queue")
            .field("len", &state.items.len())
            .field("unfinished", &state.unfinished)
            .field("capacity", &self.capacity)
            .finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::deadline::within_deadline;

    #[test]
    fn bounded_queue_fills_and_times_out_both_ways() {
        within_deadline("a bounded queue's timed calls", || {
            let queue = Queue::bounded(1);
            assert_eq!(queue.get_timeout(Duration::from_millis(10)), None);
            queue.put('a');
            assert!(queue.is_full());
            assert_eq!(queue.try_put('b'), Err(Full('b')));
            assert_eq!(
                queue.put_timeout('c', Duration::from_millis(10)),
                Err(Full('c'))
            );
            assert_eq!(queue.try_get(), Some('a'));
            assert_eq!(queue.try_get(), None);
        });
    }

    #[test]
    fn join_waits_for_task_done_not_for_get() {
        within_deadline("gets and task_done", || {
            let queue = Queue::unbounded();
            queue.put(1);
            queue.put(2);
            assert_eq!(queue.get(), 1);
            assert_eq!(queue.get(), 2);
            assert!(queue.is_empty());
            assert!(!queue.join_timeout(Duration::from_millis(10)));
            queue.task_done().unwrap();
            assert_eq!(queue.unfinished_tasks(), 1);
            queue.task_done().unwrap();
            assert!(queue.join_timeout(Duration::ZERO));
            assert_eq!(queue.task_done(), Err(TaskDoneError));
        });
    }

    #[test]
    fn a_blocked_put_goes_in_once_a_get_makes_room() {
        within_deadline("a put blocked on a full queue", || {
            let queue = Queue::bounded(1);
            queue.put(0);
            std::thread::scope(|s| {
                let producer = s.spawn(|| queue.put(1));
                assert_eq!(queue.get(), 0);
                producer.join().unwrap();
            });
            assert_eq!(queue.get(), 1);
        });
    }
}
