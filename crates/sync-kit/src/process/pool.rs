//! [`Pool`]: worker processes running named tasks, the counterpart of Python's
//! `multiprocessing.Pool`.
//!
//! Each worker has a *slot*: a thread in the pool's process that starts the worker,
//! reads its answers and, when it dies, reaps it, fails its in-flight tasks and
//! starts its replacement. The slot thread lives as long as its workers, which the
//! parent-death signal requires (it fires when the thread that started a child
//! ends, not the process).
//!
//! Work is pushed, not pulled: a call encodes its chunks, and under the pool's one
//! lock each chunk goes to the live worker with the fewest chunks in flight, up to
//! [`Builder::in_flight`] each; the rest wait in the pool's queue and are sent as
//! answers come back. Sending never blocks under the lock: a frame is written with
//! `MSG_DONTWAIT`, and what the socket does not take waits in the worker's outbox
//! for its slot thread to flush when the socket drains.

use std::collections::VecDeque;
use std::fmt;
use std::path::PathBuf;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::results::{Answer, AsyncResult, Batch, Completion, Imap, ImapUnordered, decode};
use super::slot::slot_main;
use super::state::{Deferred, Job, Phase, Shared, Slot, State, kill};
use super::wire::{self, Call, ToWorker};
use super::worker::is_pool_worker;
use super::{BuildError, Task, TaskError};
use crate::sync::atomic::{AtomicU64, Ordering};
use crate::sync::{Arc, Condvar, Mutex, lock, thread, wait_while};

/// A pool of worker processes; see the [module documentation](super).
///
/// Dropping a pool is [`join`](Pool::join): the work already submitted finishes,
/// then every worker exits and is reaped. [`terminate`](Pool::terminate) stops at
/// once instead. No worker outlives the pool, and none outlives its parent process.
pub struct Pool {
    shared: Arc<Shared>,
    slots: Vec<JoinHandle<()>>,
    chunksize: Option<usize>,
}

/// Configures and starts a [`Pool`]: `Pool::builder().workers(4).build()`.
#[derive(Debug, Clone)]
pub struct Builder {
    workers: usize,
    /// The initializer's task and its encoded argument, or why it did not encode.
    initializer: Option<(&'static str, Result<Vec<u8>, String>)>,
    max_tasks_per_child: Option<u64>,
    chunksize: Option<usize>,
    program: Option<PathBuf>,
    in_flight: usize,
}

impl Default for Builder {
    fn default() -> Self {
        Self {
            workers: 0,
            initializer: None,
            max_tasks_per_child: None,
            chunksize: None,
            program: None,
            in_flight: 8,
        }
    }
}

impl Builder {
    /// How many worker processes; 0 (the default) means one per core, as Python.
    pub fn workers(mut self, workers: usize) -> Self {
        self.workers = workers;
        self
    }

    /// A task each worker runs once, with `arg`, before any other; if it fails in
    /// any worker, [`build`](Self::build) fails with its error.
    pub fn initializer<I: Serialize>(mut self, task: &'static Task<I, ()>, arg: I) -> Self {
        // An argument that does not encode fails `build`, which can return an error.
        let arg = postcard::to_stdvec(&arg).map_err(|e| e.to_string());
        self.initializer = Some((task.name(), arg));
        self
    }

    /// Replace each worker after it has run this many chunks (Python's
    /// `maxtasksperchild`); unlimited by default.
    pub fn max_tasks_per_child(mut self, chunks: u64) -> Self {
        self.max_tasks_per_child = Some(chunks.max(1));
        self
    }

    /// The chunk size for `map`, `imap` and `imap_unordered` when the call does not
    /// give one. By default `map` uses Python's rule, ⌈len / (4 × workers)⌉, and the
    /// `imap`s use 1.
    pub fn chunksize(mut self, chunksize: usize) -> Self {
        self.chunksize = Some(chunksize.max(1));
        self
    }

    /// The program to run as a worker; by default the running executable. It must
    /// call [`init`](super::init) first thing in `main` and list the pool's tasks.
    /// An integration test, whose executable is the test harness, names a binary
    /// of its package here: `.program(env!("CARGO_BIN_EXE_my-worker"))`.
    pub fn program(mut self, program: impl Into<PathBuf>) -> Self {
        self.program = Some(program.into());
        self
    }

    /// How many chunks each worker may have sent to it and unanswered at once (8 by
    /// default). More keeps a worker busy while answers travel back; fewer balances
    /// long tasks better. Failing workers fail at most this many chunks.
    pub fn in_flight(mut self, chunks: usize) -> Self {
        self.in_flight = chunks.max(1);
        self
    }

    /// Starts the workers and waits until every one is ready (its initializer run).
    pub fn build(self) -> Result<Pool, BuildError> {
        if is_pool_worker() {
            return Err(BuildError::InsideWorker);
        }
        let initializer = match &self.initializer {
            Some((task, Ok(arg))) => Some((*task, arg.as_slice())),
            Some((task, Err(why))) => {
                return Err(BuildError::InitializerArgument {
                    task,
                    why: why.clone(),
                });
            }
            None => None,
        };
        let workers = match self.workers {
            0 => crate::cli::cores(),
            n => n,
        };
        let program = match self.program {
            Some(program) => program,
            None => std::env::current_exe().map_err(|source| BuildError::Spawn {
                program: "the running executable".into(),
                source,
            })?,
        };
        let initializer = initializer.map(|(task, arg)| Call {
            task,
            inputs: vec![arg],
        });
        let mut init_frame = Vec::new();
        wire::encode_frame(
            &ToWorker::Init {
                initializer,
                max_tasks: self.max_tasks_per_child,
            },
            &mut init_frame,
        );
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                phase: Phase::Running,
                slots: (0..workers).map(|_| Slot::Starting).collect(),
                queued: VecDeque::new(),
                unfinished: 0,
            }),
            changed: Condvar::new(),
            program,
            init_frame,
            max_tasks: self.max_tasks_per_child,
            in_flight: self.in_flight,
            next_id: AtomicU64::new(0),
        });
        let mut pool = Pool {
            shared: Arc::clone(&shared),
            slots: Vec::with_capacity(workers),
            chunksize: self.chunksize,
        };
        for index in 0..workers {
            let slot_shared = Arc::clone(&shared);
            let spawned = thread::Builder::new()
                .name(format!("pool-slot-{index}"))
                .spawn(move || slot_main(&slot_shared, index));
            match spawned {
                Ok(handle) => pool.slots.push(handle),
                Err(source) => {
                    lock(&shared.state).slots[index] = Slot::Failed(BuildError::Spawn {
                        program: "a pool slot thread".into(),
                        source,
                    });
                }
            }
        }
        // Wait until no slot is starting; the first failure fails the build.
        let state = lock(&shared.state);
        let (mut state, _) = wait_while(&shared.changed, state, None, |s| {
            s.slots.iter().any(|slot| matches!(slot, Slot::Starting))
        });
        let failure = state.slots.iter_mut().find_map(|slot| match slot {
            Slot::Failed(_) => match std::mem::replace(slot, Slot::Done) {
                Slot::Failed(error) => Some(error),
                _ => None,
            },
            _ => None,
        });
        drop(state);
        match failure {
            Some(error) => {
                pool.stop(Phase::Terminated);
                Err(error)
            }
            None => Ok(pool),
        }
    }
}

impl Pool {
    /// A builder, with Python's defaults: one worker per core, no initializer,
    /// workers never replaced.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// A pool of `workers` workers (0: one per core) running this executable.
    pub fn new(workers: usize) -> Result<Self, BuildError> {
        Self::builder().workers(workers).build()
    }

    /// How many workers the pool keeps.
    pub fn workers(&self) -> usize {
        lock(&self.shared.state).slots.len()
    }

    /// The process ids of the live workers, in slot order.
    pub fn pids(&self) -> Vec<u32> {
        let state = lock(&self.shared.state);
        state
            .slots
            .iter()
            .filter_map(|slot| match slot {
                Slot::Live(live) => Some(live.pid),
                _ => None,
            })
            .collect()
    }

    /// Runs `task` on one input and waits for its value (Python's `apply`).
    pub fn apply<I, O>(&self, task: &'static Task<I, O>, input: I) -> Result<O, TaskError>
    where
        I: Serialize,
        O: DeserializeOwned,
    {
        self.apply_async(task, input).get()
    }

    /// [`apply`](Self::apply), waiting at most `timeout` for the value:
    /// [`TaskError::TimedOut`] if the task has not ended by then (it goes on).
    pub fn apply_timeout<I, O>(
        &self,
        task: &'static Task<I, O>,
        input: I,
        timeout: Duration,
    ) -> Result<O, TaskError>
    where
        I: Serialize,
        O: DeserializeOwned,
    {
        self.apply_async(task, input).get_timeout(timeout)
    }

    /// Starts `task` on one input and returns a handle to its result.
    pub fn apply_async<I, O>(&self, task: &'static Task<I, O>, input: I) -> AsyncResult<O>
    where
        I: Serialize,
        O: DeserializeOwned,
    {
        AsyncResult::new(self.scatter(task, [input], 1).0)
    }

    /// Like [`apply_async`](Self::apply_async), calling `callback` with the value or
    /// `error_callback` with the error as soon as the task ends, on the pool's
    /// thread for that worker, before the handle reports the task ready. Keep them
    /// short: that worker's next answers wait for them.
    pub fn apply_async_with<I, O>(
        &self,
        task: &'static Task<I, O>,
        input: I,
        callback: impl FnOnce(&O) + Send + 'static,
        error_callback: impl FnOnce(&TaskError) + Send + 'static,
    ) -> AsyncResult<O>
    where
        I: Serialize,
        O: DeserializeOwned,
    {
        let batch = Batch::new(1);
        let fill = batch.completion(0);
        let mut done: Option<Completion> = Some(Box::new(move |answers: Vec<Answer>| {
            if let Some(answer) = answers.first() {
                match decode::<O>(answer.clone()) {
                    Ok(value) => callback(&value),
                    Err(error) => error_callback(&error),
                }
            }
            fill(answers);
        }));
        // One input makes one chunk, so `done` is asked for once.
        self.submit(task.name(), [input], 1, |first| {
            done.take().unwrap_or_else(|| batch.completion(first))
        });
        AsyncResult::new(batch)
    }

    /// Runs `task` on every input and gives the values in input order, or the error
    /// of the first input (in input order) whose task failed. Inputs go in chunks
    /// of the builder's chunk size, or by default ⌈len / (4 × workers)⌉ as Python.
    pub fn map<I, O>(
        &self,
        task: &'static Task<I, O>,
        inputs: impl IntoIterator<Item = I>,
    ) -> Result<Vec<O>, TaskError>
    where
        I: Serialize,
        O: DeserializeOwned,
    {
        self.map_timeout(task, inputs, Duration::MAX)
    }

    /// [`map`](Self::map), waiting at most `timeout` for every value:
    /// [`TaskError::TimedOut`] if any task has not ended by then (they go on).
    pub fn map_timeout<I, O>(
        &self,
        task: &'static Task<I, O>,
        inputs: impl IntoIterator<Item = I>,
        timeout: Duration,
    ) -> Result<Vec<O>, TaskError>
    where
        I: Serialize,
        O: DeserializeOwned,
    {
        // `Duration::MAX` has no deadline: it waits for as long as it takes.
        let deadline = crate::sync::deadline_after(timeout);
        let inputs: Vec<I> = inputs.into_iter().collect();
        let chunksize = self
            .chunksize
            .unwrap_or_else(|| inputs.len().div_ceil(4 * self.workers().max(1)));
        self.map_until(task, inputs, chunksize, deadline)
    }

    /// Maps in chunks of `chunksize`, waiting for every value until `deadline`.
    fn map_until<I, O>(
        &self,
        task: &'static Task<I, O>,
        inputs: impl IntoIterator<Item = I>,
        chunksize: usize,
        deadline: Option<Instant>,
    ) -> Result<Vec<O>, TaskError>
    where
        I: Serialize,
        O: DeserializeOwned,
    {
        let (batch, _) = self.scatter(task, inputs, chunksize);
        let answers = batch.take_all(deadline).ok_or(TaskError::TimedOut)?;
        answers.into_iter().map(decode).collect()
    }

    /// [`map`](Self::map) with an explicit chunk size: each worker message carries
    /// `chunksize` inputs, so fewer, larger messages for many small tasks.
    pub fn map_chunked<I, O>(
        &self,
        task: &'static Task<I, O>,
        inputs: impl IntoIterator<Item = I>,
        chunksize: usize,
    ) -> Result<Vec<O>, TaskError>
    where
        I: Serialize,
        O: DeserializeOwned,
    {
        self.map_until(task, inputs, chunksize, None)
    }

    /// [`map`](Self::map) for a task of several arguments: in Rust they are one
    /// tuple, so this is `map` under Python's name.
    pub fn starmap<I, O>(
        &self,
        task: &'static Task<I, O>,
        inputs: impl IntoIterator<Item = I>,
    ) -> Result<Vec<O>, TaskError>
    where
        I: Serialize,
        O: DeserializeOwned,
    {
        self.map(task, inputs)
    }

    /// Runs `task` on every input; the results come in input order, each as soon as
    /// it is in. Chunks of the builder's chunk size, else 1.
    pub fn imap<I, O>(
        &self,
        task: &'static Task<I, O>,
        inputs: impl IntoIterator<Item = I>,
    ) -> Imap<O>
    where
        I: Serialize,
        O: DeserializeOwned,
    {
        let (batch, len) = self.scatter(task, inputs, self.chunksize.unwrap_or(1));
        Imap::new(batch, len)
    }

    /// Runs `task` on every input; the results come in the order they finish.
    /// Chunks of the builder's chunk size, else 1.
    pub fn imap_unordered<I, O>(
        &self,
        task: &'static Task<I, O>,
        inputs: impl IntoIterator<Item = I>,
    ) -> ImapUnordered<O>
    where
        I: Serialize,
        O: DeserializeOwned,
    {
        let (batch, len) = self.scatter(task, inputs, self.chunksize.unwrap_or(1));
        ImapUnordered::new(batch, len)
    }

    /// Takes no more work: later calls fail with [`TaskError::NotRunning`]. What was
    /// submitted still runs. Python's `close`.
    pub fn close(&self) {
        let mut state = lock(&self.shared.state);
        if state.phase == Phase::Running {
            state.phase = Phase::Closed;
        }
    }

    /// Closes the pool, waits for every submitted task, then lets the workers go
    /// and reaps them. Python's `close` then `join`; dropping the pool does the same.
    pub fn join(mut self) {
        self.stop(Phase::Stopping);
    }

    /// Stops at once: kills every worker (SIGKILL), fails every unfinished task with
    /// [`TaskError::Terminated`], and reaps the workers.
    pub fn terminate(mut self) {
        self.stop(Phase::Terminated);
    }

    /// Queues `task` on every input, in chunks of `chunksize`, with one batch to
    /// collect the answers; gives the batch and the number of inputs.
    fn scatter<I: Serialize, O>(
        &self,
        task: &'static Task<I, O>,
        inputs: impl IntoIterator<Item = I>,
        chunksize: usize,
    ) -> (Arc<Batch>, usize) {
        let inputs: Vec<I> = inputs.into_iter().collect();
        let len = inputs.len();
        let batch = Batch::new(len);
        self.submit(task.name(), inputs, chunksize, |first| {
            batch.completion(first)
        });
        (batch, len)
    }

    /// Encodes `inputs` in chunks of `chunksize` and queues them, each chunk's
    /// answers going to `completion(index of its first input)`.
    fn submit<I: Serialize>(
        &self,
        task: &'static str,
        inputs: impl IntoIterator<Item = I>,
        chunksize: usize,
        mut completion: impl FnMut(usize) -> Completion,
    ) {
        let mut deferred = Deferred::new();
        let encoded: Vec<_> = inputs
            .into_iter()
            .map(|input| postcard::to_stdvec(&input))
            .collect();
        if let Some(Err(e)) = encoded.iter().find(|bytes| bytes.is_err()) {
            // Nothing is sent: every input of the call fails, as Python's call raises.
            let error = TaskError::Codec(format!("an input did not encode: {e}"));
            deferred.fail(completion(0), encoded.len(), &error);
            deferred.run();
            return;
        }
        let encoded: Vec<Vec<u8>> = encoded.into_iter().flatten().collect();
        let mut jobs = Vec::new();
        for (number, chunk) in encoded.chunks(chunksize.max(1)).enumerate() {
            let id = self.shared.next_id.fetch_add(1, Ordering::Relaxed);
            let mut frame = Vec::new();
            let call = Call {
                task,
                inputs: chunk.iter().map(Vec::as_slice).collect(),
            };
            wire::encode_frame(&ToWorker::Run { id, call }, &mut frame);
            jobs.push(Job {
                id,
                frame,
                items: chunk.len(),
                done: completion(number * chunksize.max(1)),
            });
        }
        let mut state = lock(&self.shared.state);
        if state.phase != Phase::Running {
            let error = TaskError::NotRunning("the pool was closed".into());
            for job in jobs {
                deferred.fail(job.done, job.items, &error);
            }
        } else {
            state.unfinished += jobs.len();
            state.queued.extend(jobs);
            self.shared.dispatch(&mut state, &mut deferred);
        }
        drop(state);
        deferred.run();
    }

    /// Ends the pool: `Stopping` drains first, `Terminated` kills at once. Then
    /// waits for every slot thread, which reaps its worker.
    fn stop(&mut self, how: Phase) {
        let shared = &self.shared;
        let mut deferred = Deferred::new();
        let mut state = lock(&shared.state);
        if how == Phase::Stopping {
            if state.phase == Phase::Running {
                state.phase = Phase::Closed;
            }
            state = wait_while(&shared.changed, state, None, |s| s.unfinished > 0).0;
        }
        if state.phase != Phase::Terminated {
            state.phase = how;
        }
        while let Some(job) = state.queued.pop_front() {
            state.unfinished -= 1;
            deferred.fail(job.done, job.items, &TaskError::Terminated);
        }
        for slot in &state.slots {
            if let Slot::Live(live) = slot {
                if how == Phase::Terminated {
                    kill(live.pid);
                } else {
                    // The worker reads end-of-file and exits.
                    let _ = live.channel.shutdown(std::net::Shutdown::Write);
                }
            }
        }
        drop(state);
        shared.changed.notify_all();
        deferred.run();
        for slot in self.slots.drain(..) {
            let _ = slot.join();
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        if !self.slots.is_empty() {
            self.stop(Phase::Stopping);
        }
    }
}

impl fmt::Debug for Pool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("workers", &self.workers())
            .field("pids", &self.pids())
            .finish()
    }
}
