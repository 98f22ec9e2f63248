//! A slot's life: start a worker process, hand it `Init` and wait for `Ready`,
//! serve it (read its answers, complete its chunks, send it more), and when it
//! ends, reap it, fail what it had in flight and start its replacement.

use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::os::unix::process::CommandExt as _;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rustix::event::{EventfdFlags, PollFd, PollFlags};
use rustix::net::{RecvFlags, SendFlags};

use super::BuildError;
use super::TaskError;
use super::state::{Deferred, Live, Phase, Shared, Slot, State, kill};
use super::wire::{self, FromWorker};
use super::worker::WORKER_ENV;
use crate::sync::{Arc, MutexGuard, lock, thread};

/// How long a new worker has to answer its first message before the pool gives up
/// on it (a program that never calls `init` may sit reading stdin for ever).
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a worker that hung up has to finish exiting before it is killed: time
/// enough for one that is exiting, even on a loaded machine, to report its own
/// status rather than the pool's SIGKILL.
const EXIT_GRACE: Duration = Duration::from_millis(500);

/// A slot's life: start a worker, serve it until it ends, and start another while
/// the pool still needs one.
pub(super) fn slot_main(shared: &Shared, index: usize) {
    loop {
        let worker = match start_worker(shared) {
            Ok(worker) => worker,
            Err(error) => {
                let mut deferred = Deferred::new();
                let mut state = lock(&shared.state);
                state.slots[index] = Slot::Failed(error);
                shared.dispatch(&mut state, &mut deferred);
                drop(state);
                shared.changed.notify_all();
                deferred.run();
                return;
            }
        };
        let mut deferred = Deferred::new();
        let mut state = lock(&shared.state);
        if !state.wants_worker() {
            state.slots[index] = Slot::Done;
            drop(state);
            shared.changed.notify_all();
            worker.dismiss();
            return;
        }
        state.slots[index] = Slot::Live(Live {
            pid: worker.child.id(),
            channel: Arc::clone(&worker.channel),
            wake: Arc::clone(&worker.wake),
            outbox: Vec::new(),
            in_flight: Vec::new(),
            budget: shared.max_tasks,
        });
        shared.dispatch(&mut state, &mut deferred);
        drop(state);
        shared.changed.notify_all();
        deferred.run();

        serve(shared, index, &worker);

        // The worker has gone (or broke the protocol): take its work back, reap it,
        // and fail what it had in flight.
        let mut deferred = Deferred::new();
        let mut state = lock(&shared.state);
        let live = std::mem::replace(&mut state.slots[index], Slot::Starting);
        drop(state);
        let pid = worker.child.id();
        let status = worker.end();
        let mut state = lock(&shared.state);
        let error = match state.phase {
            Phase::Terminated => TaskError::Terminated,
            _ => TaskError::WorkerDied {
                pid,
                signal: status.and_then(|s| s.signal()),
                code: status.and_then(|s| s.code()),
            },
        };
        if let Slot::Live(live) = live {
            for lost in live.in_flight {
                state.unfinished -= 1;
                deferred.fail(lost.done, lost.items, &error);
            }
        }
        let replace = state.wants_worker();
        if !replace {
            state.slots[index] = Slot::Done;
            shared.dispatch(&mut state, &mut deferred);
        }
        drop(state);
        shared.changed.notify_all();
        deferred.run();
        if !replace {
            return;
        }
    }
}

/// A started worker process, owned by its slot thread.
struct Worker {
    child: Child,
    channel: Arc<UnixStream>,
    wake: Arc<OwnedFd>,
}

impl Worker {
    /// Lets a worker that is not wanted go: closing the channel ends it.
    fn dismiss(self) {
        let _ = self.channel.shutdown(std::net::Shutdown::Both);
        let _ = self.end();
    }

    /// Makes sure the worker has ended (it has, after end-of-file; SIGKILL for one
    /// that broke the protocol instead) and reaps it.
    fn end(mut self) -> Option<std::process::ExitStatus> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return Some(status);
        }
        let deadline = Instant::now() + EXIT_GRACE;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            thread::sleep(Duration::from_micros(100));
        }
        let _ = self.child.kill();
        self.child.wait().ok()
    }
}

/// Starts a worker and waits for its `Ready`.
fn start_worker(shared: &Shared) -> Result<Worker, BuildError> {
    let spawn_error = |source| BuildError::Spawn {
        program: shared.program.display().to_string(),
        source,
    };
    let (ours, theirs) = UnixStream::pair().map_err(spawn_error)?;
    let wake = rustix::event::eventfd(0, EventfdFlags::CLOEXEC | EventfdFlags::NONBLOCK)
        .map_err(|e| spawn_error(e.into()))?;
    let child = Command::new(&shared.program)
        .env(WORKER_ENV, std::process::id().to_string())
        .stdin(Stdio::from(OwnedFd::from(theirs)))
        // Ctrl-C is the program's to handle: a worker ends with it regardless.
        .process_group(0)
        .spawn()
        .map_err(spawn_error)?;
    let worker = Worker {
        child,
        channel: Arc::new(ours),
        wake: Arc::new(wake),
    };
    let pid = worker.child.id();
    let answer = handshake(shared, &worker.channel);
    match answer {
        Ok(FromWorker::Ready) => Ok(worker),
        Ok(FromWorker::InitFailed(error)) => {
            let _ = worker.end();
            Err(BuildError::Initializer { pid, error })
        }
        Ok(FromWorker::Done { .. }) | Err(_) => {
            let what = match answer {
                Err(e) if e.kind() == io::ErrorKind::TimedOut => {
                    format!("was silent for {} s", READY_TIMEOUT.as_secs())
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::UnexpectedEof
                            | io::ErrorKind::ConnectionReset
                            | io::ErrorKind::BrokenPipe
                    ) =>
                {
                    "exited".to_owned()
                }
                Err(e) => format!("broke the protocol ({e})"),
                Ok(_) => "answered out of turn".to_owned(),
            };
            let _ = worker.channel.shutdown(std::net::Shutdown::Both);
            kill(pid);
            let _ = worker.end();
            Err(BuildError::NotAWorker { pid, what })
        }
    }
}

/// Sends `Init` and reads the first answer, within [`READY_TIMEOUT`].
fn handshake(shared: &Shared, channel: &UnixStream) -> io::Result<FromWorker> {
    let mut sent = 0;
    while sent < shared.init_frame.len() {
        match rustix::net::send(channel, &shared.init_frame[sent..], SendFlags::NOSIGNAL) {
            Ok(n) => sent += n,
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
    channel.set_read_timeout(Some(READY_TIMEOUT))?;
    let mut body = Vec::new();
    let read = wire::read_frame(&mut &*channel, &mut body);
    channel.set_read_timeout(None)?;
    match read {
        Ok(true) => wire::decode(&body),
        Ok(false) => Err(io::ErrorKind::UnexpectedEof.into()),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Err(io::ErrorKind::TimedOut.into()),
        Err(e) => Err(e),
    }
}

/// Reads a live worker's answers until it ends, completing its chunks and sending
/// it more; flushes its outbox when woken.
fn serve(shared: &Shared, index: usize, worker: &Worker) {
    let mut buf: Vec<u8> = Vec::with_capacity(64 << 10);
    let mut chunk = vec![0u8; 64 << 10];
    let mut want_out = false;
    loop {
        let mut fds = [
            PollFd::new(
                &*worker.channel,
                if want_out {
                    PollFlags::IN | PollFlags::OUT
                } else {
                    PollFlags::IN
                },
            ),
            PollFd::new(&*worker.wake, PollFlags::IN),
        ];
        match rustix::event::poll(&mut fds, None) {
            Ok(_) | Err(rustix::io::Errno::INTR) => {}
            Err(_) => return,
        }
        let channel_ready = fds[0].revents();
        let woken = fds[1].revents().contains(PollFlags::IN);
        // Anything but room to write is something to read, or the end (a hang-up
        // or an error, which a read reports).
        if !channel_ready.difference(PollFlags::OUT).is_empty() {
            // Read all there is; answers that came just before the end still count.
            let ended = loop {
                match rustix::net::recv(&*worker.channel, &mut chunk, RecvFlags::DONTWAIT) {
                    Ok((0, _)) => break true,
                    Ok((n, _)) => buf.extend_from_slice(&chunk[..n]),
                    Err(rustix::io::Errno::AGAIN) => break false,
                    Err(rustix::io::Errno::INTR) => {}
                    Err(_) => break true,
                }
            };
            if complete(shared, index, &mut buf).is_err() || ended {
                return;
            }
        }
        if woken || channel_ready.contains(PollFlags::OUT) {
            let mut counter = [0u8; 8];
            let _ = rustix::io::read(&*worker.wake, &mut counter);
            let mut state = lock(&shared.state);
            // What the socket does not take now waits for it to drain (`OUT`).
            want_out = match &mut state.slots[index] {
                Slot::Live(live) => live.flush(),
                _ => false,
            };
        }
    }
}

/// Completes the chunks whose answers are whole in `buf`, and refills the workers.
fn complete(shared: &Shared, index: usize, buf: &mut Vec<u8>) -> io::Result<()> {
    let mut answered = Vec::new();
    wire::drain_frames(buf, |body| match wire::decode(body)? {
        FromWorker::Done { id, results } => {
            answered.push((id, results));
            Ok(())
        }
        other => Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a worker sent {other:?} out of turn"),
        )),
    })?;
    if answered.is_empty() {
        return Ok(());
    }
    let mut deferred = Deferred::new();
    let mut state: MutexGuard<'_, State> = lock(&shared.state);
    if let Slot::Live(live) = &mut state.slots[index] {
        for (id, results) in answered {
            if let Some(at) = live.in_flight.iter().position(|job| job.id == id) {
                let job = live.in_flight.swap_remove(at);
                deferred.0.push((job.done, results));
            }
        }
    }
    state.unfinished -= deferred.0.len();
    shared.dispatch(&mut state, &mut deferred);
    let drained = state.unfinished == 0;
    drop(state);
    if drained {
        shared.changed.notify_all();
    }
    deferred.run();
    Ok(())
}
