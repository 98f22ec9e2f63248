//! The pool's shared state: its phase, its slots and their live workers, the
//! queue of chunks waiting for a worker, and [`Shared::dispatch`], which hands
//! queued chunks to the workers with room. Every field is guarded by the one lock
//! in [`Shared::state`].

use std::collections::VecDeque;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::path::PathBuf;

use rustix::net::SendFlags;

use super::results::{Answer, Completion};
use super::{BuildError, TaskError};
use crate::sync::atomic::AtomicU64;
use crate::sync::{Arc, Condvar, Mutex};

pub(super) struct Shared {
    pub(super) state: Mutex<State>,
    /// Signalled when a slot changes status and when the last unfinished job ends.
    pub(super) changed: Condvar,
    pub(super) program: PathBuf,
    /// The `Init` message every new worker gets, as a frame.
    pub(super) init_frame: Vec<u8>,
    pub(super) max_tasks: Option<u64>,
    pub(super) in_flight: usize,
    pub(super) next_id: AtomicU64,
}

pub(super) struct State {
    pub(super) phase: Phase,
    pub(super) slots: Vec<Slot>,
    /// Chunks not yet sent to a worker.
    pub(super) queued: VecDeque<Job>,
    /// Chunks submitted whose completion has not been taken yet.
    pub(super) unfinished: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    /// Taking work.
    Running,
    /// `close`d: no new work; what was submitted still runs.
    Closed,
    /// Drained: workers are being let go.
    Stopping,
    /// `terminate`d: workers are being killed, their work failed.
    Terminated,
}

pub(super) enum Slot {
    /// A worker is being started (or replaced).
    Starting,
    Live(Live),
    /// The slot could not start a worker and gave up.
    Failed(BuildError),
    /// The slot's thread has finished.
    Done,
}

/// A worker that answered `Ready`, as the pool's state holds it.
pub(super) struct Live {
    pub(super) pid: u32,
    pub(super) channel: Arc<UnixStream>,
    /// Wakes the slot thread when another thread leaves frames in `outbox`: it
    /// then waits for the socket to drain, and flushes them.
    pub(super) wake: Arc<OwnedFd>,
    /// Frames the socket has not taken yet.
    pub(super) outbox: Vec<u8>,
    pub(super) in_flight: Vec<InFlight>,
    /// `Run` messages it may still be sent (`max_tasks_per_child`).
    pub(super) budget: Option<u64>,
}

pub(super) struct InFlight {
    pub(super) id: u64,
    pub(super) items: usize,
    pub(super) done: Completion,
}

/// One chunk of a call, encoded and waiting for a worker.
pub(super) struct Job {
    pub(super) id: u64,
    pub(super) frame: Vec<u8>,
    pub(super) items: usize,
    pub(super) done: Completion,
}

/// Completions to run once the pool's lock is released: they run user callbacks,
/// which may call the pool again.
#[must_use]
pub(super) struct Deferred(pub(super) Vec<(Completion, Vec<Answer>)>);

impl Deferred {
    pub(super) fn new() -> Self {
        Self(Vec::new())
    }

    pub(super) fn fail(&mut self, done: Completion, items: usize, error: &TaskError) {
        self.0.push((done, vec![Err(error.clone()); items]));
    }

    pub(super) fn run(self) {
        for (done, answers) in self.0 {
            done(answers);
        }
    }
}

impl State {
    /// Whether a slot should (re)start a worker: while the pool takes work, or is
    /// closed with work still queued.
    pub(super) fn wants_worker(&self) -> bool {
        match self.phase {
            Phase::Running => true,
            Phase::Closed => !self.queued.is_empty(),
            Phase::Stopping | Phase::Terminated => false,
        }
    }
}

/// Sends SIGKILL to `pid`, if it is a process id at all.
pub(super) fn kill(pid: u32) {
    if let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
    }
}

impl Shared {
    /// Sends queued chunks to live workers with room, fewest in flight first, and
    /// fails the queue if no worker is left to run it.
    pub(super) fn dispatch(&self, state: &mut State, deferred: &mut Deferred) {
        while !state.queued.is_empty() {
            let room = state
                .slots
                .iter_mut()
                .filter_map(|slot| match slot {
                    Slot::Live(live)
                        if live.in_flight.len() < self.in_flight && live.budget != Some(0) =>
                    {
                        Some(live)
                    }
                    _ => None,
                })
                .min_by_key(|live| live.in_flight.len());
            let Some(live) = room else { break };
            let Some(job) = state.queued.pop_front() else {
                break;
            };
            live.outbox.extend_from_slice(&job.frame);
            live.in_flight.push(InFlight {
                id: job.id,
                items: job.items,
                done: job.done,
            });
            live.budget = live.budget.map(|n| n - 1);
        }
        for slot in &mut state.slots {
            if let Slot::Live(live) = slot {
                live.flush_or_wake();
            }
        }
        let hopeless = state
            .slots
            .iter()
            .all(|slot| matches!(slot, Slot::Failed(_) | Slot::Done));
        if hopeless && !state.queued.is_empty() {
            let why = state.slots.iter().find_map(|slot| match slot {
                Slot::Failed(error) => Some(format!("no worker could be started ({error})")),
                _ => None,
            });
            let error =
                TaskError::NotRunning(why.unwrap_or_else(|| "the pool has no worker left".into()));
            while let Some(job) = state.queued.pop_front() {
                state.unfinished -= 1;
                deferred.fail(job.done, job.items, &error);
            }
            self.changed.notify_all();
        }
    }
}

impl Live {
    /// Writes what the socket takes now, without blocking; true if something is
    /// left for later.
    pub(super) fn flush(&mut self) -> bool {
        let mut written = 0;
        while written < self.outbox.len() {
            match rustix::net::send(
                &*self.channel,
                &self.outbox[written..],
                SendFlags::DONTWAIT | SendFlags::NOSIGNAL,
            ) {
                Ok(n) => written += n,
                Err(rustix::io::Errno::INTR) => {}
                // Full (the slot thread will flush), or the worker is gone (its slot
                // thread sees the end of file and fails what was in flight).
                Err(_) => break,
            }
        }
        self.outbox.drain(..written);
        !self.outbox.is_empty()
    }

    /// [`flush`](Self::flush) from outside the slot thread: if something is left,
    /// wakes the slot thread, which waits for the socket to drain and finishes.
    pub(super) fn flush_or_wake(&mut self) {
        if self.flush() {
            let _ = rustix::io::write(&*self.wake, &1u64.to_ne_bytes());
        }
    }
}
