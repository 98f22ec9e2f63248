//! runner: running a program with a deadline and an output cap, leaving nothing of it behind.
//!
//! [`run`] starts the command in a process group of its own, with stdin from
//! `/dev/null` and stdout and stderr captured. At the deadline it sends the group
//! `SIGTERM`, and `SIGKILL` [`Limits::term_grace`] later if anything is still
//! there; when stdout outgrows its cap it sends `SIGKILL` at once. It also kills the
//! group when the program exits by itself, so that background children it left in
//! its group die with it. The group leader is not reaped until that last kill has
//! been sent (`waitid` with `WNOWAIT`), so the group id cannot have been reused by an
//! unrelated process when it is killed.
//!
//! If the runner itself dies (Ctrl-C, a kill, an abort), the program gets `SIGKILL`
//! from the kernel: it is started with the parent-death signal set. (Linux sends it
//! when the *thread* that started the program ends; that is the thread calling
//! [`run`], which blocks until the program has ended.)
//!
//! A process that leaves the group (`setsid`) escapes the group kill. Plain [`run`]
//! only notices it: if it keeps the output pipes open, [`Outcome::output_held_open`]
//! says so after a short grace instead of waiting for it. [`Subreaper::run`] contains
//! it: the calling process becomes the *child subreaper* of everything it starts
//! (`PR_SET_CHILD_SUBREAPER`), so every orphan of the run, escaped or not, is
//! re-parented to it instead of to init, and is killed and reaped once the program
//! has ended ([`Outcome::left_behind`] counts them).

mod capture;
pub mod cargo;
mod contain;
pub mod jail;
pub mod outcome;
mod procfs;
mod supervise;
mod sweep;

use std::io;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

pub use outcome::{Containment, Ending, LimitReached, Limits, Outcome, Tasks};
use sweep::sweep_children;

pub use rustix::process::Signal;

/// How long to wait after the program ends for its output pipes to close.
const PIPE_GRACE: Duration = Duration::from_millis(500);
/// How long `SIGKILL` may take to be seen; only a process stuck in the kernel is slower.
const KILL_GRACE: Duration = Duration::from_secs(10);

/// Runs `command` within `limits` and returns what it printed and how it ended.
///
/// Errors are the runner's own (the program could not be started, or would not die);
/// whatever the program does is described by the [`Outcome`].
pub fn run(command: Command, limits: &Limits) -> io::Result<Outcome> {
    run_with(command, limits, false)
}

/// The calling process, made the *child subreaper* of everything it starts, so that
/// no process a run starts can outlive the run by leaving its process group.
///
/// At most one exists per process, and [`Subreaper::run`] takes it by `&mut`, so runs
/// through it happen one at a time. After each run it kills and reaps *every* child
/// of the process that is still there, so the process must not start children of its
/// own meanwhile by other means (a grader starts nothing else while it grades).
#[derive(Debug)]
pub struct Subreaper {
    /// Not `Clone`, and only built by [`Subreaper::claim`].
    _claimed: (),
}

/// Whether this process has claimed its [`Subreaper`].
static CLAIMED: AtomicBool = AtomicBool::new(false);

impl Subreaper {
    /// Makes this process the subreaper of its descendants. Fails if it was claimed
    /// before, or if the kernel refuses (`PR_SET_CHILD_SUBREAPER` is Linux 3.4+).
    pub fn claim() -> io::Result<Self> {
        if CLAIMED.swap(true, Ordering::SeqCst) {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "this process has already claimed its subreaper",
            ));
        }
        rustix::process::set_child_subreaper(Some(rustix::process::getpid()))?;
        Ok(Self { _claimed: () })
    }

    /// [`run`], and then the kill of every process the run left behind, wherever it
    /// went: descendants that left the process group are re-parented to this process
    /// when their parents die, and are killed and reaped here after the program ends.
    pub fn run(&mut self, command: Command, limits: &Limits) -> io::Result<Outcome> {
        run_with(command, limits, true)
    }

    /// [`Subreaper::run`] inside `jail`: in namespaces of its own with the jail's
    /// helper as their init, capped by the jail's control groups, its tasks
    /// counted ([`Outcome::tasks`]); without namespaces on this machine, the plain
    /// run with its tasks sampled from `/proc`.
    pub fn run_jailed(
        &mut self,
        command: Command,
        limits: &Limits,
        jail: &jail::Jail,
    ) -> io::Result<Outcome> {
        let limits = &jail.capped(limits);
        if jail.containment().namespaces {
            return jail.run(command, limits);
        }
        let start = Instant::now();
        let child = contain::spawn(command, limits, None)?;
        let census = jail::Sampler::start(child.id());
        let mut outcome = supervise::supervise(child, start, limits, true)?;
        outcome.tasks = census.stop();
        Ok(outcome)
    }

    /// Kills and reaps whatever children this process still has; returns how many
    /// were still running. [`Subreaper::run`] does this after each run.
    pub fn sweep(&mut self) -> io::Result<usize> {
        sweep_children(None)
    }

    /// [`Subreaper::sweep`], after letting the children end by themselves for up
    /// to `grace`: the helpers of runs whose runner was stopped remove the runs'
    /// control groups before they exit, which a `SIGKILL` would cut short.
    pub fn sweep_after(&mut self, grace: Duration) -> io::Result<usize> {
        sweep::reap_within(grace)?;
        sweep_children(None)
    }
}

/// Sends `signal` to every child of this process that is still running, without
/// reaping any (their runs' supervisors do): how a program that grades with
/// several runs at once stops them all. Returns how many were signalled.
pub fn signal_children(signal: Signal) -> io::Result<usize> {
    sweep::signal_children(signal)
}

/// Contains `command`, then supervises it until nothing of it is left.
fn run_with(command: Command, limits: &Limits, sweep: bool) -> io::Result<Outcome> {
    let start = Instant::now();
    let child = contain::spawn(command, limits, None)?;
    supervise::supervise(child, start, limits, sweep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    fn limits(deadline_ms: u64, output_cap: usize) -> Limits {
        Limits {
            deadline: Duration::from_millis(deadline_ms),
            output_cap,
            ..Limits::default()
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
        assert!(outcome.survived_sigterm);
        // SIGKILL came a grace after SIGTERM, not at once and not never.
        assert!(
            outcome.elapsed >= Duration::from_millis(2500),
            "{outcome:?}"
        );
    }

    #[test]
    fn a_program_that_heeds_sigterm_is_not_killed() {
        // The shell's trap prints and exits on SIGTERM; the sleeper in the
        // background is in the group too and gets its own SIGTERM.
        let outcome = run(
            sh("trap 'echo terminated; exit 0' TERM; echo started; sleep 30 & wait"),
            &limits(1000, 1024),
        )
        .unwrap();
        assert_eq!(outcome.ending, Ending::TimedOut);
        assert_eq!(outcome.stdout, b"started\nterminated\n");
        assert!(!outcome.survived_sigterm);
    }

    #[test]
    fn the_memory_limit_makes_a_large_allocation_fail() {
        let mut limits = limits(30_000, 4096);
        limits.memory = Some(256 << 20);
        let mut python = Command::new("python3");
        python.args(["-c", "x = bytearray(1 << 30)"]);
        let outcome = run(python, &limits).unwrap();
        assert_eq!(outcome.ending, Ending::Exited(1));
        assert!(
            outcome.stderr_tail(1).contains("MemoryError"),
            "{outcome:?}"
        );
        // Without the limit the same gibibyte is allocated.
        limits.memory = None;
        let mut python = Command::new("python3");
        python.args(["-c", "x = bytearray(1 << 30)"]);
        assert_eq!(run(python, &limits).unwrap().ending, Ending::Exited(0));
    }

    #[test]
    fn the_file_size_limit_stops_a_disk_filler() {
        let file = std::env::temp_dir().join(format!("runner-fsize-{}", std::process::id()));
        let mut limits = limits(30_000, 4096);
        limits.file_size = Some(1 << 20);
        let script = format!("head -c 4000000 /dev/zero > {}", file.display());
        let outcome = run(sh(&script), &limits).unwrap();
        let written = std::fs::metadata(&file).map(|m| m.len());
        let _ = std::fs::remove_file(&file);
        // The shell reports its child killed by SIGXFSZ (25) as 128 + 25.
        assert_eq!(outcome.ending, Ending::Exited(128 + 25), "{outcome:?}");
        assert_eq!(written.unwrap(), 1 << 20);
    }

    #[test]
    fn a_run_can_be_pinned_to_one_cpu_at_the_lowest_priority() {
        let mut limits = limits(10_000, 4096);
        limits.cpu = Some(0);
        limits.nice = Some(19);
        // The child of the shell inherits both.
        let script =
            "sh -c 'grep Cpus_allowed_list /proc/self/status; cut -d\" \" -f19 /proc/self/stat'";
        let outcome = run(sh(script), &limits).unwrap();
        assert_eq!(outcome.ending, Ending::Exited(0), "{outcome:?}");
        assert_eq!(
            String::from_utf8_lossy(&outcome.stdout),
            "Cpus_allowed_list:\t0\n19\n"
        );
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
        let mark = std::env::temp_dir().join(format!("runner-escaped-{}", std::process::id()));
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
