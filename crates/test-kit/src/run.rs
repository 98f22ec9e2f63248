//! Running a program with a deadline and an output cap, leaving nothing of it behind.
//!
//! [`run`] starts the command in a process group of its own, with stdin closed and
//! stdout and stderr captured. It kills the whole group with `SIGKILL` when the
//! deadline passes or stdout outgrows its cap, and also when the program exits by
//! itself, so that background children it left in its group die with it. The group
//! leader is not reaped until that last kill has been sent (`waitid` with `WNOWAIT`),
//! so the group id cannot have been reused by an unrelated process when it is killed.
//!
//! If the runner itself dies (Ctrl-C, a kill, an abort), the program gets `SIGKILL`
//! from the kernel: it is started with the parent-death signal set. (Linux sends it
//! when the *thread* that started the program ends; that is the thread calling
//! [`run`], which blocks until the program has ended.)
//!
//! A process that leaves the group (`setsid`) escapes the kill; if it keeps the
//! output pipes open, [`Outcome::output_held_open`] says so after a short grace
//! instead of waiting for it. Stronger containment belongs to the grader.

use std::io::{self, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, WaitId, WaitIdOptions};

/// How long [`run`] lets a program run and how much of its output it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The program is killed if it is still running this long after its start.
    pub deadline: Duration,
    /// The program is killed once its stdout exceeds this many bytes; that much is
    /// kept. Stderr is kept up to the same size and drained (not limited) past it.
    pub output_cap: usize,
}

impl Default for Limits {
    /// A minute and a mebibyte.
    fn default() -> Self {
        Self {
            deadline: Duration::from_secs(60),
            output_cap: 1 << 20,
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The program exited by itself with this code.
    Exited(i32),
    /// The program was killed by this signal, not sent by the runner.
    Signalled(i32),
    /// The program was still running at the deadline and was killed.
    TimedOut,
    /// The program's stdout outgrew the cap and it was killed.
    OutputLimit,
}

/// What a run printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// How the run ended.
    pub ending: Ending,
    /// Stdout, up to the cap.
    pub stdout: Vec<u8>,
    /// Stderr, up to the cap.
    pub stderr: Vec<u8>,
    /// From the start to the end of the program (not of the output).
    pub elapsed: Duration,
    /// Some process that escaped the group still held stdout or stderr open after
    /// the program ended; the output is what had arrived by then.
    pub output_held_open: bool,
}

impl Outcome {
    /// The last `n` lines of stdout, for reports about runs that went wrong.
    pub fn stdout_tail(&self, n: usize) -> String {
        last_lines(&self.stdout, n)
    }

    /// The last `n` lines of stderr, for reports about runs that crashed.
    pub fn stderr_tail(&self, n: usize) -> String {
        last_lines(&self.stderr, n)
    }
}

/// The last `n` lines of `output`, bytes that are not UTF-8 shown as U+FFFD.
fn last_lines(output: &[u8], n: usize) -> String {
    let text = String::from_utf8_lossy(output);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// How long to wait after the program ends for its output pipes to close.
const PIPE_GRACE: Duration = Duration::from_millis(500);
/// How long `SIGKILL` may take to be seen; only a process stuck in the kernel is slower.
const KILL_GRACE: Duration = Duration::from_secs(10);

/// Runs `command` within `limits` and returns what it printed and how it ended.
///
/// Errors are the runner's own (the program could not be started, or would not die);
/// whatever the program does is described by the [`Outcome`].
pub fn run(mut command: Command, limits: &Limits) -> io::Result<Outcome> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let runner = rustix::process::getpid();
    // SAFETY: the closure runs in the forked child before `exec`; it makes only
    // async-signal-safe system calls (prctl, getppid) and allocates nothing.
    unsafe {
        command.pre_exec(move || {
            rustix::process::set_parent_process_death_signal(Some(Signal::KILL))?;
            // Had the runner died between fork and prctl, no signal would ever come.
            if rustix::process::getppid() != Some(runner) {
                return Err(io::Error::other(
                    "the runner exited while starting the program",
                ));
            }
            Ok(())
        });
    }
    let start = Instant::now();
    let mut child = command.spawn()?;
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
            let _ = events.send(Event::Exited(status));
        })
    };

    let deadline = start + limits.deadline;
    let mut forced = None;
    let status = loop {
        let timeout = match forced {
            None => deadline.saturating_duration_since(Instant::now()),
            Some(_) => KILL_GRACE,
        };
        match inbox.recv_timeout(timeout) {
            Ok(Event::Exited(status)) => break status?,
            Ok(Event::OutputLimit) => {
                forced.get_or_insert(Ending::OutputLimit);
                group.kill();
            }
            Err(RecvTimeoutError::Timeout) if forced.is_none() => {
                forced = Some(Ending::TimedOut);
                group.kill();
            }
            Err(RecvTimeoutError::Timeout) => {
                return Err(io::Error::other(format!(
                    "process {} survived SIGKILL for {KILL_GRACE:?}",
                    group.id.as_raw_nonzero()
                )));
            }
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
        output_held_open,
    })
}

/// What the runner's helper threads report.
enum Event {
    Exited(io::Result<ExitStatus>),
    OutputLimit,
}

/// The program's process group, killable until its leader is reaped.
struct Group {
    id: Pid,
    /// Whether the leader has been reaped. Invariant: `kill` sends signals only while
    /// holding this lock and seeing `false`, so it never signals a recycled id.
    reaped: Mutex<bool>,
}

impl Group {
    fn kill(&self) {
        let reaped = self.reaped.lock().unwrap_or_else(PoisonError::into_inner);
        if !*reaped {
            // ESRCH (the group is already empty) is the only expected error.
            let _ = rustix::process::kill_process_group(self.id, Signal::KILL);
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
        self.kill();
        let mut reaped = self.reaped.lock().unwrap_or_else(PoisonError::into_inner);
        let status = child.wait();
        *reaped = true;
        status
    }
}

/// One captured output stream, read by its own thread into a shared buffer.
struct Capture {
    kept: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
}

impl Capture {
    /// Reads `pipe` until it closes, keeping `cap` bytes; past the cap, tells
    /// `over_cap` (once) if given and drains the rest.
    fn start(
        pipe: Option<impl Read + Send + 'static>,
        cap: usize,
        over_cap: Option<Sender<Event>>,
    ) -> Self {
        let kept = Arc::new(Mutex::new(Vec::new()));
        let reader = pipe.map(|mut pipe| {
            let kept = Arc::clone(&kept);
            thread::spawn(move || {
                let mut buf = [0u8; 8192];
                let mut over_cap = over_cap;
                loop {
                    let n = match pipe.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(_) => break,
                    };
                    let mut kept = kept.lock().unwrap_or_else(PoisonError::into_inner);
                    let room = cap.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                    if n > room
                        && let Some(tell) = over_cap.take()
                    {
                        let _ = tell.send(Event::OutputLimit);
                    }
                }
            })
        });
        Self { kept, reader }
    }

    /// Whether the stream closed by `by`.
    fn wait_closed(&self, by: Instant) -> bool {
        let Some(reader) = &self.reader else {
            return true;
        };
        while !reader.is_finished() {
            if Instant::now() >= by {
                return false;
            }
            thread::sleep(Duration::from_millis(2));
        }
        true
    }

    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.kept.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    fn limits(deadline_ms: u64, output_cap: usize) -> Limits {
        Limits {
            deadline: Duration::from_millis(deadline_ms),
            output_cap,
        }
    }

    fn alive(pid: &str) -> bool {
        std::path::Path::new(&format!("/proc/{pid}")).exists()
            && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .is_ok_and(|stat| stat.contains(") Z "))
    }

    #[test]
    fn captures_both_streams_and_the_exit_code() {
        let outcome = run(sh("echo out; echo err >&2; exit 3"), &Limits::default()).unwrap();
        assert_eq!(outcome.ending, Ending::Exited(3));
        assert_eq!(outcome.stdout, b"out\n");
        assert_eq!(outcome.stderr, b"err\n");
        assert!(!outcome.output_held_open);
    }

    #[test]
    fn stdin_is_closed() {
        // Reading stdin must end at once (a `cat` on the harness's terminal would
        // hang), and stdin must be /dev/null whatever the harness's own stdin is.
        let outcome = run(sh("cat; readlink /proc/self/fd/0"), &limits(10_000, 1024)).unwrap();
        assert_eq!(outcome.ending, Ending::Exited(0));
        assert_eq!(outcome.stdout, b"/dev/null\n");
    }

    #[test]
    fn a_hang_is_killed_at_the_deadline_with_what_it_printed() {
        let outcome = run(
            sh("echo started; trap '' TERM; sleep 30"),
            &limits(1500, 1024),
        )
        .unwrap();
        assert_eq!(outcome.ending, Ending::TimedOut);
        assert_eq!(outcome.stdout_tail(5), "started");
    }

    #[test]
    fn a_flood_is_cut_at_the_cap() {
        let outcome = run(sh("yes flood"), &limits(30_000, 4096)).unwrap();
        assert_eq!(outcome.ending, Ending::OutputLimit);
        assert_eq!(outcome.stdout.len(), 4096);
    }

    #[test]
    fn a_signal_is_reported() {
        let outcome = run(sh("kill -SEGV $$"), &Limits::default()).unwrap();
        assert_eq!(outcome.ending, Ending::Signalled(11));
    }

    #[test]
    fn background_children_die_with_the_program() {
        // The child prints its pid and leaves a sleeper behind in its group.
        let outcome = run(sh("sleep 30 & echo $!"), &limits(10_000, 1024)).unwrap();
        assert_eq!(outcome.ending, Ending::Exited(0));
        let sleeper = String::from_utf8(outcome.stdout).unwrap();
        // SIGKILL is delivered before the leader is reaped; give the kernel a moment
        // to finish tearing the sleeper down (it was orphaned to init, which reaps it).
        let gone_by = Instant::now() + Duration::from_secs(5);
        while alive(sleeper.trim()) && Instant::now() < gone_by {
            thread::sleep(Duration::from_millis(10));
        }
        assert!(
            !alive(sleeper.trim()),
            "background child {} survived",
            sleeper.trim()
        );
    }

    #[test]
    fn an_escaped_holder_of_the_pipe_does_not_hold_the_run() {
        // The escapee marks a file once it has its own session, and the program waits
        // for the mark, so the final sweep cannot catch it before it escapes.
        let mark = std::env::temp_dir().join(format!("test-kit-escaped-{}", std::process::id()));
        let script = format!(
            "setsid sh -c 'touch {0}; exec sleep 2' & while [ ! -e {0} ]; do sleep 0.01; done; echo bye",
            mark.display()
        );
        let outcome = run(sh(&script), &limits(10_000, 1024)).unwrap();
        let _ = std::fs::remove_file(&mark);
        assert_eq!(outcome.ending, Ending::Exited(0));
        assert_eq!(outcome.stdout, b"bye\n");
        assert!(outcome.output_held_open);
    }
}
