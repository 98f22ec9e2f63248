//! What a caller holds: a [`TaskHandle`] per task, [`MapResults`] in input order,
//! and [`as_completed`] in finishing order.

use std::fmt;
use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;

use super::TaskError;
use super::slot::Slot;
use crate::sync::{Arc, deadline_after};

/// The result of one submitted task, to wait for (Python's `Future`).
#[must_use = "a dropped handle cannot get its task's result (the task still runs)"]
pub struct TaskHandle<T> {
    pub(super) slot: Arc<Slot<T>>,
}

impl<T> TaskHandle<T> {
    /// Waits for the task and returns its value, or why there is none.
    pub fn result(self) -> Result<T, TaskError> {
        self.slot.take(None)
    }

    /// Waits at most `timeout`. On [`TaskError::TimedOut`] the task goes on but its
    /// value is dropped; call [`wait_timeout`](Self::wait_timeout) first to keep the
    /// handle.
    pub fn result_timeout(self, timeout: Duration) -> Result<T, TaskError> {
        self.slot.take(deadline_after(timeout))
    }

    /// Waits at most `timeout` for the task to finish; `true` if it has.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        self.slot.wait(deadline_after(timeout))
    }

    /// Whether the task has finished (with a value, a panic or a cancellation).
    pub fn is_done(&self) -> bool {
        self.slot.wait(Some(Instant::now()))
    }

    /// Cancels the task if it has not started; `true` if it will now never run.
    pub fn cancel(&self) -> bool {
        self.slot.cancel()
    }
}

impl<T> fmt::Debug for TaskHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskHandle")
            .field("done", &self.is_done())
            .finish()
    }
}

/// The results of [`ThreadPool::map`](crate::ThreadPool::map), in input order.
pub struct MapResults<T> {
    pub(super) handles: std::vec::IntoIter<TaskHandle<T>>,
}

impl<T> Iterator for MapResults<T> {
    type Item = Result<T, TaskError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.handles.next().map(TaskHandle::result)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.handles.size_hint()
    }
}

impl<T> ExactSizeIterator for MapResults<T> {}

impl<T> fmt::Debug for MapResults<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MapResults")
            .field("left", &self.handles.len())
            .finish()
    }
}

/// Yields each task's index (its position in `handles`) and result as the tasks
/// finish, first finished first (Python's `concurrent.futures.as_completed`).
pub fn as_completed<T>(handles: impl IntoIterator<Item = TaskHandle<T>>) -> AsCompleted<T> {
    let (watcher, ready) = crossbeam_channel::unbounded();
    let handles: Vec<_> = handles
        .into_iter()
        .enumerate()
        .map(|(index, handle)| {
            handle.slot.watch(watcher.clone(), index);
            Some(handle)
        })
        .collect();
    AsCompleted {
        left: handles.len(),
        handles,
        ready,
    }
}

/// A finished task, as [`AsCompleted`] yields it: its index among the handles
/// given, and its result.
pub type Completed<T> = (usize, Result<T, TaskError>);

/// The iterator of [`as_completed`].
pub struct AsCompleted<T> {
    handles: Vec<Option<TaskHandle<T>>>,
    ready: Receiver<usize>,
    left: usize,
}

impl<T> AsCompleted<T> {
    /// Like [`next`](Iterator::next), waiting at most `timeout` for the next task
    /// to finish (Python's `as_completed(fs, timeout)`): `Ok(None)` once every task
    /// has been yielded, `Err(TaskError::TimedOut)` if none finished in time (the
    /// iterator can still be used).
    pub fn next_timeout(&mut self, timeout: Duration) -> Result<Option<Completed<T>>, TaskError> {
        if self.left == 0 {
            return Ok(None);
        }
        match self.ready.recv_timeout(timeout) {
            Ok(index) => Ok(self.yield_finished(index)),
            Err(_) => Err(TaskError::TimedOut),
        }
    }

    /// Takes the finished task `index` out and gives its result.
    fn yield_finished(&mut self, index: usize) -> Option<Completed<T>> {
        let handle = self.handles.get_mut(index)?.take()?;
        self.left -= 1;
        Some((index, handle.result()))
    }
}

impl<T> Iterator for AsCompleted<T> {
    type Item = Completed<T>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        // Every slot sends its index exactly once, when it finishes (a cancelled
        // or dropped task finishes too), so this cannot wait forever.
        let index = self.ready.recv().ok()?;
        self.yield_finished(index)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<T> fmt::Debug for AsCompleted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsCompleted")
            .field("left", &self.left)
            .finish()
    }
}
