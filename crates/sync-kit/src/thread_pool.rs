//! `ThreadPool`: a fixed set of worker threads running submitted tasks, the
//! counterpart of Python's `concurrent.futures.ThreadPoolExecutor`.
//!
//! Tasks go through one crossbeam channel (many producers, many consumers; it spins
//! briefly before parking, which keeps short tasks cheap). Each task's result lands
//! in a shared slot that its [`TaskHandle`] waits on. A task that panics is caught
//! in its worker, so the worker lives on and the handle reports the panic message.
//! Not modelled by loom (crossbeam's channel is not loom-aware); the slot it waits
//! on uses the same facade and wait loop as the modelled primitives.

use std::fmt;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Sender, TryRecvError};
use thiserror::Error;

use crate::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Arc, Condvar, Mutex, MutexGuard, deadline_after, lock, thread, wait_while};

/// How long an idle worker keeps looking for the next task before it sleeps, and
/// how long a caller waiting for a result looks before it sleeps. Waking a sleeping
/// thread costs tens of microseconds on a virtual machine, more than most tasks
/// here; looking a little longer lets a stream of short tasks and `result` calls run
/// without any sleep and wake-up at all. Both look with `yield_now`, giving the core
/// to any thread that has work.
const IDLE_SPIN: Duration = Duration::from_micros(50);
const RESULT_SPIN: Duration = Duration::from_micros(20);

/// Polls `poll` until it gives a value or `budget` has passed.
fn spin_until<R>(budget: Duration, mut poll: impl FnMut() -> Option<R>) -> Option<R> {
    let start = Instant::now();
    loop {
        if let Some(value) = poll() {
            return Some(value);
        }
        if start.elapsed() >= budget {
            return None;
        }
        thread::yield_now();
    }
}

/// A worker's life: run jobs until the pool is shut down and the queue is empty.
fn work(queued: &Receiver<Job>) {
    loop {
        let ready = spin_until(IDLE_SPIN, || match queued.try_recv() {
            Ok(job) => Some(Some(job)),
            Err(TryRecvError::Disconnected) => Some(None),
            Err(TryRecvError::Empty) => None,
        });
        let job = match ready {
            Some(Some(job)) => job,
            Some(None) => return,
            None => match queued.recv() {
                Ok(job) => job,
                Err(_) => return,
            },
        };
        job();
    }
}

type Job = Box<dyn FnOnce() + Send + 'static>;

/// Why a task gave no value.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TaskError {
    /// The task panicked; this is its panic message.
    #[error("task panicked: {0}")]
    Panicked(String),
    /// The task was cancelled before it started (by [`TaskHandle::cancel`] or by
    /// a shutdown that cancels pending work).
    #[error("task cancelled before it started")]
    Cancelled,
    /// [`TaskHandle::result_timeout`] ran out of time; the task may still run.
    #[error("task still running when the timeout expired")]
    TimedOut,
}

/// A pool of worker threads, Python's `ThreadPoolExecutor`: tasks go to whichever
/// worker is free, results come back through [`TaskHandle`]s.
///
/// # Examples
///
/// ```
/// use sync_kit::{TaskError, ThreadPool, as_completed};
///
/// let pool = ThreadPool::new(2)?;
/// let squares: Vec<u64> = pool.map(|n: u64| n * n, 1..=5).map(Result::unwrap).collect();
/// assert_eq!(squares, [1, 4, 9, 16, 25]); // input order, whatever the finishing order
///
/// let handle = pool.submit(|| -> u32 { panic!("no answer") });
/// assert_eq!(handle.result(), Err(TaskError::Panicked("no answer".into())));
///
/// let handles: Vec<_> = (1..=3).map(|n| pool.submit(move || n * 10)).collect();
/// let mut done: Vec<(usize, u32)> =
///     as_completed(handles).map(|(i, r)| (i, r.unwrap())).collect(); // finishing order
/// done.sort();
/// assert_eq!(done, [(0, 10), (1, 20), (2, 30)]);
/// pool.shutdown(true, false);
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct ThreadPool {
    /// `None` once shut down; dropping it lets the workers finish and exit.
    jobs: Option<Sender<Job>>,
    /// A receiving end kept to drain the queue when pending work is cancelled.
    queued: Receiver<Job>,
    workers: Vec<thread::JoinHandle<()>>,
}

impl ThreadPool {
    /// Starts `workers` worker threads; 0 means one per available core.
    pub fn new(workers: usize) -> io::Result<Self> {
        let workers = if workers == 0 {
            thread::available_parallelism().map_or(1, usize::from)
        } else {
            workers
        };
        let (jobs, queued) = crossbeam_channel::unbounded::<Job>();
        let mut pool = Self {
            jobs: Some(jobs),
            queued,
            workers: Vec::with_capacity(workers),
        };
        for index in 0..workers {
            let queued = pool.queued.clone();
            let worker = thread::Builder::new()
                .name(format!("pool-worker-{index}"))
                .spawn(move || work(&queued))?;
            pool.workers.push(worker);
        }
        Ok(pool)
    }

    /// The number of worker threads.
    pub fn workers(&self) -> usize {
        self.workers.len()
    }

    /// Queues `task` to run on a worker and returns a handle to its result.
    pub fn submit<T, F>(&self, task: F) -> TaskHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let slot = Arc::new(Slot::new());
        let completer = Completer {
            slot: Some(Arc::clone(&slot)),
        };
        let job: Job = Box::new(move || completer.run(task));
        if let Some(jobs) = &self.jobs {
            // The pool holds a receiver, so the channel cannot be disconnected.
            // Should the send fail anyway, the job is dropped and its slot reads
            // `Cancelled`: the handle never waits forever.
            let _ = jobs.send(job);
        }
        TaskHandle { slot }
    }

    /// Runs `f` on every item, all submitted at once; the results come back in the
    /// items' order (as Python's `executor.map`), each waited for when reached.
    pub fn map<I, F, T>(&self, f: F, items: I) -> MapResults<T>
    where
        I: IntoIterator,
        I::Item: Send + 'static,
        F: Fn(I::Item) -> T + Send + Sync + 'static,
        T: Send + 'static,
    {
        let f = Arc::new(f);
        let handles: Vec<_> = items
            .into_iter()
            .map(|item| {
                let f = Arc::clone(&f);
                self.submit(move || f(item))
            })
            .collect();
        MapResults {
            handles: handles.into_iter(),
        }
    }

    /// Stops the pool. With `cancel_pending`, tasks not yet started are cancelled
    /// (their handles report [`TaskError::Cancelled`]); otherwise they still run.
    /// With `wait`, returns once every worker has finished; without, the workers
    /// finish in the background.
    pub fn shutdown(mut self, wait: bool, cancel_pending: bool) {
        self.stop(wait, cancel_pending);
    }

    fn stop(&mut self, wait: bool, cancel_pending: bool) {
        if cancel_pending {
            // Dropping a job that never ran marks its slot cancelled.
            self.queued.try_iter().for_each(drop);
        }
        self.jobs = None;
        let workers = std::mem::take(&mut self.workers);
        if wait {
            for worker in workers {
                // A task's panic is caught inside its job, so a worker returns
                // normally; if one did not, there is nothing more to clean up.
                let _ = worker.join();
            }
        }
    }
}

/// Dropping the pool is `shutdown(true, false)`: pending tasks run, then the
/// workers are joined.
impl Drop for ThreadPool {
    fn drop(&mut self) {
        self.stop(true, false);
    }
}

impl fmt::Debug for ThreadPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ThreadPool")
            .field("workers", &self.workers.len())
            .field("queued", &self.queued.len())
            .finish()
    }
}

/// Where a task's outcome waits for its handle.
struct Slot<T> {
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
    fn new() -> Self {
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
    fn start(&self) -> bool {
        let mut inner = lock(&self.inner);
        let queued = matches!(inner.state, State::Queued);
        if queued {
            inner.state = State::Running;
        }
        queued
    }

    /// Records the outcome, unless there already is one (a cancelled task).
    /// Returns whether this call recorded it.
    fn finish(&self, outcome: Result<T, TaskError>) -> bool {
        self.settle(State::is_pending, outcome)
    }

    /// Cancels a task no worker has started; `true` if it was still queued.
    fn cancel(&self) -> bool {
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
    fn wait(&self, deadline: Option<Instant>) -> bool {
        self.wait_finished(deadline).1
    }

    fn take(&self, deadline: Option<Instant>) -> Result<T, TaskError> {
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

    fn watch(&self, watcher: Sender<usize>, index: usize) {
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
struct Completer<T> {
    /// Taken by `run`, so that only a job dropped unrun settles the slot in `Drop`.
    slot: Option<Arc<Slot<T>>>,
}

impl<T> Completer<T> {
    fn run(mut self, task: impl FnOnce() -> T) {
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

/// The result of one submitted task, to wait for (Python's `Future`).
#[must_use = "a dropped handle cannot get its task's result (the task still runs)"]
pub struct TaskHandle<T> {
    slot: Arc<Slot<T>>,
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

/// The results of [`ThreadPool::map`], in input order.
pub struct MapResults<T> {
    handles: std::vec::IntoIter<TaskHandle<T>>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_panicking_task_reports_its_message_and_the_worker_lives_on() {
        let pool = ThreadPool::new(1).unwrap();
        let bad = pool.submit(|| -> u8 { panic!("boom {}", 7) });
        let good = pool.submit(|| 5u8);
        assert_eq!(bad.result(), Err(TaskError::Panicked("boom 7".into())));
        assert_eq!(good.result(), Ok(5));
        assert_eq!(pool.workers(), 1);
    }

    #[test]
    fn shutdown_with_cancel_cancels_only_what_has_not_started() {
        let pool = ThreadPool::new(1).unwrap();
        let gate = Arc::new(crate::Event::new());
        let started = Arc::new(crate::Event::new());
        let running = {
            let (gate, started) = (Arc::clone(&gate), Arc::clone(&started));
            pool.submit(move || {
                started.set();
                gate.wait();
                "ran"
            })
        };
        let pending: Vec<_> = (0..3).map(|_| pool.submit(|| "ran")).collect();
        started.wait();
        let opener = {
            let gate = Arc::clone(&gate);
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(20));
                gate.set();
            })
        };
        pool.shutdown(true, true);
        opener.join().unwrap();
        assert_eq!(running.result(), Ok("ran"));
        for handle in pending {
            // Timed, so that a slot nobody settles fails the test instead of hanging it.
            assert_eq!(
                handle.result_timeout(Duration::from_secs(30)),
                Err(TaskError::Cancelled)
            );
        }
    }

    #[test]
    fn drop_runs_pending_tasks_before_joining() {
        let ran = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = {
            let pool = ThreadPool::new(2).unwrap();
            (0..50)
                .map(|_| {
                    let ran = Arc::clone(&ran);
                    pool.submit(move || ran.fetch_add(1, Ordering::SeqCst))
                })
                .collect()
        };
        assert_eq!(ran.load(Ordering::SeqCst), 50);
        assert!(handles.iter().all(TaskHandle::is_done));
    }

    #[test]
    fn cancel_wins_only_before_the_start_and_timeouts_time_out() {
        let pool = ThreadPool::new(1).unwrap();
        let gate = Arc::new(crate::Event::new());
        let blocker = {
            let gate = Arc::clone(&gate);
            pool.submit(move || gate.wait())
        };
        let queued = pool.submit(|| 1);
        assert!(!blocker.wait_timeout(Duration::from_millis(10)));
        assert!(queued.cancel());
        assert!(!queued.cancel(), "cancelled twice");
        let late = pool.submit(|| 2);
        assert_eq!(
            pool.submit(|| 3).result_timeout(Duration::from_millis(10)),
            Err(TaskError::TimedOut)
        );
        gate.set();
        assert_eq!(blocker.result(), Ok(true));
        assert_eq!(queued.result(), Err(TaskError::Cancelled));
        assert!(late.wait_timeout(Duration::from_secs(30)), "late never ran");
        assert!(!late.cancel(), "a finished task was cancelled");
        assert_eq!(late.result(), Ok(2));
    }

    #[test]
    fn as_completed_yields_every_index_once_in_finishing_order() {
        let pool = ThreadPool::new(2).unwrap();
        let gate = Arc::new(crate::Event::new());
        let slow = {
            let gate = Arc::clone(&gate);
            pool.submit(move || {
                gate.wait();
                0
            })
        };
        let fast: Vec<_> = (1..4).map(|n| pool.submit(move || n)).collect();
        let mut completed = as_completed(std::iter::once(slow).chain(fast));
        let mut firsts: Vec<_> = completed.by_ref().take(3).collect();
        firsts.sort_by_key(|(index, _)| *index);
        assert_eq!(firsts, [(1, Ok(1)), (2, Ok(2)), (3, Ok(3))]);
        assert_eq!(
            completed.next_timeout(Duration::from_millis(10)),
            Err(TaskError::TimedOut)
        );
        gate.set();
        assert_eq!(
            completed.next_timeout(Duration::from_secs(30)),
            Ok(Some((0, Ok(0))))
        );
        assert_eq!(completed.next_timeout(Duration::ZERO), Ok(None));
        assert_eq!(completed.next(), None);
    }
}
