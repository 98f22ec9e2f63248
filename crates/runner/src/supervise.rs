//! Supervising a started program: its deadline and grace, its output cap, and
//! the kill of its process group once it ends, without ever signalling a group id
//! that may have been reused.

use std::io;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, ExitStatus};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Instant;

use rustix::process::{Pid, Signal, WaitId, WaitIdOptions};

use super::capture::{Capture, Event};
use super::sweep::sweep_children;
use super::{Ending, KILL_GRACE, Limits, Outcome, PIPE_GRACE};

/// Watches the started `child` until it has ended and its group is gone: SIGTERM
/// at the deadline, SIGKILL after the grace or when stdout outgrows its cap, and
/// with `sweep`, the kill of every process it left behind.
pub(super) fn supervise(
    mut child: Child,
    start: Instant,
    limits: &Limits,
    sweep: bool,
) -> io::Result<Outcome> {
    let group = Arc::new(Group {
        id: Pid::from_child(&child),
        reaped: Mutex::new(false),
    });

    let (events, inbox) = mpsc::channel();
    let stdout = Capture::start(child.stdout.take(), limits.output_cap, Some(events.clone()));
    let stderr = Capture::start(child.stderr.take(), limits.output_cap, None);
    let waiter = {
        let group = Arc::clone(&group);
        thread::spawn(move || {
            let status = group.wait_and_sweep(&mut child);
            let left_behind = match (&status, sweep) {
                (Ok(_), true) => sweep_children(Some(group.id)),
                _ => Ok(0),
            };
            let _ = events.send(Event::Exited(status, left_behind));
        })
    };

    let deadline = start + limits.deadline;
    let mut forced = None;
    let mut terminated_at = None;
    let mut killed_at = None;
    let (status, left_behind) = loop {
        let wake = match (killed_at, terminated_at) {
            (Some(killed), _) => killed + KILL_GRACE,
            (None, Some(terminated)) => terminated + limits.term_grace,
            (None, None) => deadline,
        };
        match inbox.recv_timeout(wake.saturating_duration_since(Instant::now())) {
            Ok(Event::Exited(status, left_behind)) => break (status?, left_behind?),
            Ok(Event::OutputLimit) => {
                forced.get_or_insert(Ending::OutputLimit);
                group.signal(Signal::KILL);
                killed_at.get_or_insert_with(Instant::now);
            }
            Err(RecvTimeoutError::Timeout) => match (killed_at, terminated_at) {
                (Some(_), _) => {
                    return Err(io::Error::other(format!(
                        "process {} survived SIGKILL for {KILL_GRACE:?}",
                        group.id.as_raw_nonzero()
                    )));
                }
                (None, Some(_)) => {
                    group.signal(Signal::KILL);
                    killed_at = Some(Instant::now());
                }
                (None, None) => {
                    forced = Some(Ending::TimedOut);
                    group.signal(Signal::TERM);
                    terminated_at = Some(Instant::now());
                }
            },
            Err(RecvTimeoutError::Disconnected) => {
                return Err(io::Error::other(
                    "the process waiter stopped without a status",
                ));
            }
        }
    };
    let elapsed = start.elapsed();
    let _ = waiter.join();

    let ending = forced.unwrap_or_else(|| match (status.code(), status.signal()) {
        (Some(code), _) => Ending::Exited(code),
        (None, Some(signal)) => Ending::Signalled(signal),
        (None, None) => Ending::Signalled(0),
    });
    let pipes_closed_by = Instant::now() + PIPE_GRACE;
    let output_held_open =
        !(stdout.wait_closed(pipes_closed_by) & stderr.wait_closed(pipes_closed_by));
    Ok(Outcome {
        ending,
        stdout: stdout.take(),
        stderr: stderr.take(),
        elapsed,
        survived_sigterm: terminated_at.is_some() && killed_at.is_some(),
        left_behind,
        output_held_open,
        tasks: None,
        limit_reached: None,
    })
}

/// The program's process group, signalable until its leader is reaped.
struct Group {
    id: Pid,
    /// Whether the leader has been reaped. Invariant: `signal` sends signals only
    /// while holding this lock and seeing `false`, so it never signals a recycled id.
    reaped: Mutex<bool>,
}

impl Group {
    fn signal(&self, signal: Signal) {
        let reaped = self.reaped.lock().unwrap_or_else(PoisonError::into_inner);
        if !*reaped {
            // ESRCH (the group is already empty) is the only expected error.
            let _ = rustix::process::kill_process_group(self.id, signal);
        }
    }

    /// Waits for the leader to exit, kills whatever is left in its group, then reaps it.
    fn wait_and_sweep(&self, child: &mut Child) -> io::Result<ExitStatus> {
        loop {
            match rustix::process::waitid(
                WaitId::Pid(self.id),
                WaitIdOptions::EXITED | WaitIdOptions::NOWAIT,
            ) {
                Err(rustix::io::Errno::INTR) => continue,
                Err(errno) => return Err(errno.into()),
                Ok(_) => break,
            }
        }
        self.signal(Signal::KILL);
        let mut reaped = self.reaped.lock().unwrap_or_else(PoisonError::into_inner);
        let status = child.wait();
        *reaped = true;
        status
    }
}
