//! A task's result slot: where its outcome waits for its handle, and the
//! [`Completer`] that runs the task into it (or cancels it, if dropped unrun).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use crossbeam_channel::Sender;

use super::{RESULT_SPIN, TaskError, spin_until};
use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Condvar, Mutex, MutexGuard, lock, wait_while};

/// Where a task's outcome waits for its handle.
pub(super) struct Slot<T> {
    inner: Mutex<Inner<T>>,
    finished: Condvar,
    /// Set once the state is `Finished`, for waiters to look at without the lock.
    done: AtomicBool,
}

struct Inner<T> {
    state: State<T>,
    /// `as_completed` iterators to tell when the task finishes, with the task's
    /// index in each.
    watchers: Vec<(Sender<usize>, usize)>,
    /// Threads waiting on `finished`.
    sleepers: usize,
}

enum State<T> {
    Queued,
    Running,
    Finished(Result<T, TaskError>),
    /// The handle took the outcome.
    Taken,
}

impl<T> State<T> {
    /// No outcome yet.
    fn is_pending(&self) -> bool {
        matches!(self, Self::Queued | Self::Running)
    }
}

impl<T> Slot<T> {
    pub(super) fn new() -> Self {
        Self {
            inner: Mutex::new(Inner {
                state: State::Queued,
                watchers: Vec::new(),
                sleepers: 0,
            }),
            finished: Condvar::new(),
            done: AtomicBool::new(false),
        }
    }

    /// Claims the task for a worker; `false` if it was cancelled meanwhile.
    pub(super) fn start(&self) -> bool {
        let mut inner = lock(&self.inner);
        let queued = matches!(inner.state, State::Queued);
        if queued {
            inner.state = State::Running;
        }
        queued
    }

    /// Records the outcome, unless there already is one (a cancelled task).
    /// Returns whether this call recorded it.
    pub(super) fn finish(&self, outcome: Result<T, TaskError>) -> bool {
        self.settle(State::is_pending, outcome)
    }

    /// Cancels a task no worker has started; `true` if it was still queued.
    pub(super) fn cancel(&self) -> bool {
        self.settle(
            |state| matches!(state, State::Queued),
            Err(TaskError::Cancelled),
        )
    }

    /// Records `outcome` if `may_settle` accepts the current state, and wakes the
    /// handle and any `as_completed` watching it.
    fn settle(&self, may_settle: fn(&State<T>) -> bool, outcome: Result<T, TaskError>) -> bool {
        let mut inner = lock(&self.inner);
        if !may_settle(&inner.state) {
            return false;
        }
        inner.state = State::Finished(outcome);
        self.done.store(true, Ordering::Release);
        for (watcher, index) in inner.watchers.drain(..) {
            // An `as_completed` that was dropped early no longer listens.
            let _ = watcher.send(index);
        }
        let sleepers = inner.sleepers;
        drop(inner);
        if sleepers > 0 {
            self.finished.notify_all();
        }
        true
    }

    /// Waits until the task has an outcome (or the deadline passes).
    pub(super) fn wait(&self, deadline: Option<Instant>) -> bool {
        self.wait_finished(deadline).1
    }

    pub(super) fn take(&self, deadline: Option<Instant>) -> Result<T, TaskError> {
        let (mut inner, ready) = self.wait_finished(deadline);
        if !ready {
            return Err(TaskError::TimedOut);
        }
        match std::mem::replace(&mut inner.state, State::Taken) {
            State::Finished(outcome) => outcome,
            _ => unreachable!("a handle takes its outcome once, after it is finished"),
        }
    }

    /// Waits until the task has an outcome or `deadline` passes: a short spin, then
    /// sleep, counted in `sleepers` so that the worker only pays for a wake-up call
    /// when someone sleeps. Returns the lock and whether the task is finished.
    fn wait_finished(&self, deadline: Option<Instant>) -> (MutexGuard<'_, Inner<T>>, bool) {
        self.spin(deadline);
        let mut inner = lock(&self.inner);
        inner.sleepers += 1;
        let (mut inner, finished) = wait_while(&self.finished, inner, deadline, |inner| {
            inner.state.is_pending()
        });
        inner.sleepers -= 1;
        (inner, finished)
    }

    /// Looks for the outcome for a short while before a wait goes to sleep.
    fn spin(&self, deadline: Option<Instant>) {
        let budget = deadline.map_or(RESULT_SPIN, |deadline| {
            RESULT_SPIN.min(deadline.saturating_duration_since(Instant::now()))
        });
        if !budget.is_zero() {
            spin_until(budget, || self.done.load(Ordering::Acquire).then_some(()));
        }
    }

    pub(super) fn watch(&self, watcher: Sender<usize>, index: usize) {
        let mut inner = lock(&self.inner);
        if inner.state.is_pending() {
            inner.watchers.push((watcher, index));
        } else {
            let _ = watcher.send(index);
        }
    }
}

/// Runs a task into its slot; dropped without running (a cancelled or discarded
/// job), it marks the slot cancelled, so that no handle waits forever.
pub(super) struct Completer<T> {
    /// Taken by `run`, so that only a job dropped unrun settles the slot in `Drop`.
    pub(super) slot: Option<Arc<Slot<T>>>,
}

impl<T> Completer<T> {
    pub(super) fn run(mut self, task: impl FnOnce() -> T) {
        let Some(slot) = self.slot.take() else {
            return;
        };
        if slot.start() {
            let outcome = catch_unwind(AssertUnwindSafe(task))
                .map_err(|payload| TaskError::Panicked(crate::panic_message(payload.as_ref())));
            slot.finish(outcome);
        }
    }
}

impl<T> Drop for Completer<T> {
    fn drop(&mut self) {
        if let Some(slot) = self.slot.take() {
            slot.finish(Err(TaskError::Cancelled));
        }
    }
}
