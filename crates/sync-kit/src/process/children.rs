//! Child processes that are this program started again in a named role, and
//! [`Children`], the guard that leaves none of them running, whatever happens to
//! the code that started them.
//!
//! A child is told its role in an environment variable (the role's name and its
//! numbers, separated by spaces). [`serve_role`], first thing in `main`, runs the
//! role and exits, so a child never runs the rest of the program:
//!
//! ```no_run
//! use sync_kit::process::children::{self, Children, Role};
//!
//! const ROLES: &[Role<String>] = &[("square", |n| {
//!     let n = n.first().copied().unwrap_or(0);
//!     std::process::exit(i32::from(n * n == 49))
//! })];
//!
//! fn main() {
//!     children::serve_role("DEMO_CHILD", ROLES); // a child never returns from here
//!     let mut kids = Children::new("DEMO_CHILD");
//!     let pid = kids.start("square", &[7], |_| Ok(())).expect("started");
//!     let status = kids.wait(pid, std::time::Duration::from_secs(5)).expect("waited");
//!     assert_eq!(status.and_then(|s| s.code()), Some(1));
//! }
//! ```
//!
//! Each child is started in a process group of its own, so a terminal's Ctrl-C
//! reaches only the program, which decides what its children do; and each has the
//! parent-death signal set, so it ends with the thread that started it even when
//! the program is killed and no guard runs. Start children from a thread that
//! outlives them (the kernel sends the parent-death signal when the *thread* that
//! forked the child ends).

use std::fmt::Display;
use std::io;
use std::os::unix::process::CommandExt as _;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// A child's job: its name, and the function that does it, given the role's
/// numbers. A child exits 0 when the function returns `Ok`, and 1 with the error on
/// stderr when it returns `Err`.
pub type Role<E> = (&'static str, fn(&[u64]) -> Result<(), E>);

/// In a child started by [`Children::start`] with this `env` variable, plays the
/// role it names and exits; in the program as the user started it, returns at
/// once.
pub fn serve_role<E: Display>(env: &str, roles: &[Role<E>]) {
    let Some(role) = std::env::var_os(env) else {
        return;
    };
    let role = role.to_string_lossy().into_owned();
    let program = std::env::current_exe()
        .ok()
        .and_then(|path| Some(path.file_name()?.to_string_lossy().into_owned()))
        .unwrap_or_default();
    let code = match play(env, &role, roles) {
        Ok(()) => 0,
        Err(why) => {
            eprintln!("{program} child `{role}`: error: {why}");
            1
        }
    };
    std::process::exit(code);
}

fn play<E: Display>(env: &str, role: &str, roles: &[Role<E>]) -> Result<(), String> {
    let mut words = role.split(' ');
    let name = words.next().unwrap_or_default();
    let numbers: Vec<u64> = words
        .map(|n| {
            n.parse()
                .map_err(|_| format!("{env}={role}: `{n}` is not a number"))
        })
        .collect::<Result<_, _>>()?;
    let Some((_, run)) = roles.iter().find(|(known, _)| *known == name) else {
        return Err(format!("{env}={role}: no role is called `{name}`"));
    };
    run(&numbers).map_err(|e| format!("{e:#}"))
}

/// A command that starts `program` (this program, or one whose `main` serves the
/// same roles) playing `role` with `numbers`, told in `env`; its stdin and stdout
/// are null. It is plain: no process group, no parent-death signal, no guard; for
/// a child that must not outlive its parent, use [`Children`]. A measurement of
/// what starting a process costs uses it as it is, since a `pre_exec` hook makes
/// the standard library fork where it would otherwise use `posix_spawn`.
#[must_use]
pub fn role_command(
    program: impl AsRef<std::ffi::OsStr>,
    env: &str,
    role: &str,
    numbers: &[u64],
) -> Command {
    let mut command = Command::new(program);
    let mut words = vec![role.to_owned()];
    words.extend(numbers.iter().map(ToString::to_string));
    command
        .env(env, words.join(" "))
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    command
}

/// The children a program started in roles: each is killed and reaped when this
/// is dropped, unless it was waited for already.
#[derive(Debug)]
pub struct Children {
    env: &'static str,
    /// The program to start; this one when `None`.
    program: Option<std::path::PathBuf>,
    running: Vec<Child>,
}

impl Children {
    /// No children yet; those started will be told their role in `env`.
    #[must_use]
    pub fn new(env: &'static str) -> Self {
        Self {
            env,
            program: None,
            running: Vec::new(),
        }
    }

    /// Starts `program` instead of this one: a binary whose `main` serves the
    /// same roles (a benchmark or a test reaching an exercise's binary).
    #[must_use]
    pub fn program(mut self, program: impl Into<std::path::PathBuf>) -> Self {
        self.program = Some(program.into());
        self
    }

    /// Starts this program again as a child playing `role` with `numbers`, its
    /// stdin and stdout null unless `prepare` (given the command, to share
    /// primitives with it or pipe its output) says otherwise; returns its pid.
    ///
    /// # Errors
    ///
    /// When this program cannot be found or started, or `prepare` fails.
    pub fn start(
        &mut self,
        role: &str,
        numbers: &[u64],
        prepare: impl FnOnce(&mut Command) -> io::Result<()>,
    ) -> io::Result<u32> {
        self.spawn(role, numbers, prepare).map(|child| child.id())
    }

    /// As [`start`](Self::start), and returns the child itself, to take its piped
    /// stdout; it stays in the guard's care.
    ///
    /// # Errors
    ///
    /// As for [`start`](Self::start).
    pub fn spawn(
        &mut self,
        role: &str,
        numbers: &[u64],
        prepare: impl FnOnce(&mut Command) -> io::Result<()>,
    ) -> io::Result<&mut Child> {
        let program = match &self.program {
            Some(program) => program.clone(),
            None => std::env::current_exe()?,
        };
        let mut command = role_command(program, self.env, role, numbers);
        command.process_group(0);
        let parent = rustix::process::getpid();
        // SAFETY: the closure runs in the forked child before `exec`, where only
        // async-signal-safe calls are sound: prctl and getppid are plain system
        // calls through rustix, and the error is made from an errno, allocating
        // nothing.
        unsafe {
            command.pre_exec(move || {
                // A child whose parent dies goes with it, even while it sleeps
                // holding a lock; had the parent died before this, no signal
                // would ever come, so the child does not start at all.
                rustix::process::set_parent_process_death_signal(Some(
                    rustix::process::Signal::KILL,
                ))?;
                if rustix::process::getppid() != Some(parent) {
                    return Err(rustix::io::Errno::SRCH.into());
                }
                Ok(())
            });
        }
        prepare(&mut command)?;
        let child = command
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("starting a child process: {e}")))?;
        self.running.push(child);
        Ok(self.running.last_mut().expect("just pushed"))
    }

    /// Waits for every child to end, and fails unless each exited with 0.
    ///
    /// # Errors
    ///
    /// When a child failed (the rest are left for the drop to end), or waiting
    /// failed.
    pub fn wait_all(&mut self) -> io::Result<()> {
        while let Some(child) = self.running.first_mut() {
            let pid = child.id();
            let status = child.wait()?;
            self.forget(pid);
            if !status.success() {
                return Err(io::Error::other(format!("child {pid} failed ({status})")));
            }
        }
        Ok(())
    }

    /// Waits up to `limit` for child `pid` to end: its status, or `None` if it
    /// is still running (it stays in the guard's care).
    ///
    /// # Errors
    ///
    /// When no such child is in the guard's care, or waiting failed.
    pub fn wait(&mut self, pid: u32, limit: Duration) -> io::Result<Option<ExitStatus>> {
        self.position(pid)?;
        Ok(self
            .reap_within(limit, Some(pid))?
            .map(|(_, status)| status))
    }

    /// Waits up to `limit` for any child to end: its pid and status, or `None`
    /// when none ended in time (or there is none).
    ///
    /// # Errors
    ///
    /// When waiting failed.
    pub fn wait_any(&mut self, limit: Duration) -> io::Result<Option<(u32, ExitStatus)>> {
        self.reap_within(limit, None)
    }

    /// Sends `signal` to child `pid`, which stays in the guard's care.
    ///
    /// # Errors
    ///
    /// When no such child is in the guard's care, or the signal cannot be sent.
    pub fn signal(&self, pid: u32, signal: rustix::process::Signal) -> io::Result<()> {
        let at = self.position(pid)?;
        let raw = i32::try_from(self.running[at].id()).map_err(io::Error::other)?;
        let pid = rustix::process::Pid::from_raw(raw)
            .ok_or_else(|| io::Error::other(format!("{raw} is no pid")))?;
        rustix::process::kill_process(pid, signal)?;
        Ok(())
    }

    /// Kills child `pid` with SIGKILL and reaps it.
    ///
    /// # Errors
    ///
    /// When no such child is in the guard's care, or killing or reaping failed.
    pub fn kill(&mut self, pid: u32) -> io::Result<()> {
        let at = self.position(pid)?;
        let mut child = self.running.remove(at);
        let killed = child.kill();
        let reaped = child.wait();
        killed?;
        reaped.map(drop)
    }

    /// Reaps the first child (`only` that one, if given) to have ended, looking
    /// again every [`POLL`] for up to `limit`.
    fn reap_within(
        &mut self,
        limit: Duration,
        only: Option<u32>,
    ) -> io::Result<Option<(u32, ExitStatus)>> {
        let started = Instant::now();
        loop {
            for child in &mut self.running {
                if only.is_some_and(|pid| pid != child.id()) {
                    continue;
                }
                if let Some(status) = child.try_wait()? {
                    let pid = child.id();
                    self.forget(pid);
                    return Ok(Some((pid, status)));
                }
            }
            if self.running.is_empty() || started.elapsed() >= limit {
                return Ok(None);
            }
            std::thread::sleep(POLL);
        }
    }

    /// Drops child `pid` from the guard's care: it has been reaped.
    fn forget(&mut self, pid: u32) {
        self.running.retain(|child| child.id() != pid);
    }

    fn position(&self, pid: u32) -> io::Result<usize> {
        self.running
            .iter()
            .position(|child| child.id() == pid)
            .ok_or_else(|| io::Error::other(format!("no child {pid} is running")))
    }
}

impl Drop for Children {
    fn drop(&mut self) {
        for child in &mut self.running {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// How often a wait for a child, or for what a child reports, looks again.
const POLL: Duration = Duration::from_millis(1);

/// Polls `ready` until it is true, failing after `limit`: how a parent waits for
/// a child to reach a point it reports through shared memory.
///
/// # Errors
///
/// `TimedOut`, naming `what`, when `limit` passes first.
pub fn wait_for(what: &str, limit: Duration, mut ready: impl FnMut() -> bool) -> io::Result<()> {
    let started = Instant::now();
    while !ready() {
        if started.elapsed() > limit {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("{what} did not happen within {limit:?}"),
            ));
        }
        std::thread::sleep(POLL);
    }
    Ok(())
}
