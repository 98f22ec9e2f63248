//! The executor: the worker threads, the job channel they share, and
//! [`ThreadPool`]'s submit, map and shutdown.

use std::fmt;
use std::io;

use crossbeam_channel::{Receiver, Sender, TryRecvError};

use super::slot::{Completer, Slot};
use super::{IDLE_SPIN, MapResults, TaskHandle, spin_until};
use crate::sync::{Arc, thread};

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
            crate::cli::cores()
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
    /// (their handles report [`TaskError::Cancelled`](crate::TaskError::Cancelled)); otherwise they still run.
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

pub(super) type Job = Box<dyn FnOnce() + Send + 'static>;
