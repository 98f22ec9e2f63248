//! The jail's helper: the program a contained run starts instead of the submission,
//! which makes new PID, network and mount namespaces, becomes their init, runs the
//! submission inside, counts the tasks it creates, and takes everything with it
//! when it ends.
//!
//! Three processes: the helper as started (outside, in the run's process group),
//! its one child, PID 1 of the new PID namespace (the init, never the
//! submission), and the submission, PID 2. When the submission exits, the init
//! counts and kills what it left, reports, and exits; the kernel kills whatever
//! is still inside a PID namespace whose init has exited, so nothing escapes by
//! `setsid` or a double fork. The helper outside then exits as the submission did
//! (the same code, or the same signal), so the runner sees the submission's ending.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, ExitStatus};
use std::thread;

use rustix::io::Errno;
use rustix::mount::{MountFlags, MountPropagationFlags, mount, mount_change};
use rustix::net::{AddressFamily, SocketFlags, SocketType, socket_with};
use rustix::pipe::{PipeFlags, pipe_with};
use rustix::process::{Pid, WaitOptions, waitpid};

use super::census::{Census, TICK};
use super::cgroup::{self, GroupSpec, fork_refused};
use super::context::with_context;
use super::lifeline;
use super::{JAIL_ARG, PROBE, READY};

/// The helper's entry point: when this process was started as a jail's helper
/// (its first argument is the jail's marker), serves as one and returns the exit
/// code to leave with; `None` for any other start. A program that may serve as a
/// helper calls this first thing in `main`, before starting any thread.
pub fn serve_if_asked() -> Option<i32> {
    let mut args = std::env::args_os().skip(1);
    if args.next().as_deref() != Some(JAIL_ARG.as_ref()) {
        return None;
    }
    let args: Vec<OsString> = args.collect();
    Some(serve(&args))
}

/// What the helper was asked to do: `probe`, or `FD [GROUP…] -- PROGRAM ARGS…`,
/// where each GROUP names a control group for the run to make and join
/// ([`GroupSpec::to_arg`]).
fn serve(args: &[OsString]) -> i32 {
    const USAGE: &str = "jail helper: expected FD [GROUP…] -- PROGRAM ARGS…";
    if args.first().is_some_and(|a| a == PROBE) {
        return probe();
    }
    let Some(fd) = args.first() else {
        eprintln!("{USAGE}");
        return 125;
    };
    let Some(fd) = fd.to_str().and_then(|f| f.parse::<i32>().ok()) else {
        eprintln!("jail helper: the report descriptor is not a number");
        return 125;
    };
    let Some(dashes) = args.iter().position(|a| a == "--") else {
        eprintln!("{USAGE}");
        return 125;
    };
    let Some(groups) = args[1..dashes]
        .iter()
        .map(|arg| GroupSpec::from_arg(arg))
        .collect::<Option<Vec<_>>>()
    else {
        eprintln!("jail helper: a control group is not PIDS-OR-MEMORY:V1-OR-V2:LIMIT:PATH");
        return 125;
    };
    let command = &args[dashes + 1..];
    if command.is_empty() {
        eprintln!("{USAGE}");
        return 125;
    }
    // SAFETY: the runner put the report pipe's write end at `fd` for this process
    // alone; nothing else here owns it.
    let report = unsafe { OwnedFd::from_raw_fd(fd) };
    let mut report = fs::File::from(report);
    // From here on, the runner's end is this process's to clean up after.
    let paths: Vec<PathBuf> = groups.iter().map(|group| group.path().to_owned()).collect();
    let runner = rustix::process::getppid();
    let set_up = lifeline::watch_runner()
        .and_then(|()| make_and_join(&groups))
        .and_then(|()| enter_namespaces())
        // Entering a user namespace changes this process's credentials, which
        // clears its parent-death signal: set it again, and see whether the
        // runner ended meanwhile.
        .and_then(|()| lifeline::watch_runner())
        .and_then(
            |()| match lifeline::orphaned() || rustix::process::getppid() != runner {
                true => Err(io::Error::other("the runner ended")),
                false => Ok(()),
            },
        );
    if let Err(error) = set_up {
        let _ = writeln!(report, "error {error}");
        cgroup::leave_and_remove(&paths);
        return 125;
    }
    let events = groups
        .iter()
        .find(|group| group.counts_tasks())
        .map(GroupSpec::events);
    split(report, events.as_deref(), &paths, command)
}

/// Makes each of the run's `groups` and moves this process into it, so that the
/// init and the program it starts are born inside.
fn make_and_join(groups: &[GroupSpec]) -> io::Result<()> {
    for group in groups {
        let what = group.describe();
        group
            .make()
            .and_then(|()| group.join())
            .map_err(|e| with_context(e, &format!("{what} {}", group.path().display())))?;
    }
    Ok(())
}

/// Tries what a contained run needs, in a child, and exits 0 when it worked.
fn probe() -> i32 {
    match enter_namespaces() {
        Ok(()) => {}
        Err(error) => {
            eprintln!("{error}");
            return 1;
        }
    }
    // The namespace's init must be able to mount its /proc.
    match fork() {
        Err(error) => {
            eprintln!("{error}");
            1
        }
        Ok(None) => {
            let code = match mount_proc().and_then(|()| loopback_up()) {
                Ok(()) => 0,
                Err(error) => {
                    eprintln!("{error}");
                    1
                }
            };
            std::process::exit(code)
        }
        Ok(Some(child)) => match wait(child).map(|status| status.code()) {
            Ok(Some(0)) => {
                println!("{READY}");
                0
            }
            _ => 1,
        },
    }
}

/// New PID, network and mount namespaces for this process's children (and a user
/// namespace first, mapping this user to itself, when not root); mounts made
/// inside are kept from the rest of the machine.
fn enter_namespaces() -> io::Result<()> {
    let uid = rustix::process::geteuid().as_raw();
    let gid = rustix::process::getegid().as_raw();
    let mut flags = libc::CLONE_NEWPID | libc::CLONE_NEWNET | libc::CLONE_NEWNS;
    if uid != 0 {
        flags |= libc::CLONE_NEWUSER;
    }
    single_threaded("unshare")?;
    // SAFETY: unshare takes flags only, and is unsafe where another thread could
    // see what it changes (the descriptor table, the file system's root and
    // working directory, which CLONE_NEWNS unshares). This process has one thread,
    // checked just above, and starts none before it forks.
    if unsafe { libc::unshare(flags) } != 0 {
        return Err(with_context(io::Error::last_os_error(), "unshare"));
    }
    if uid != 0 {
        fs::write("/proc/self/setgroups", "deny")?;
        fs::write("/proc/self/uid_map", format!("{uid} {uid} 1"))?;
        fs::write("/proc/self/gid_map", format!("{gid} {gid} 1"))?;
    }
    mount_change(
        "/",
        MountPropagationFlags::REC | MountPropagationFlags::PRIVATE,
    )
    .map_err(|e| with_context(e.into(), "making / private"))
}

/// Forks the namespace's init, and mirrors the submission's ending once it is over.
///
/// Neither outlives the runner: the init gets `SIGKILL` when this process ends
/// (and the kernel then ends everything in the namespace); this process gets
/// `SIGHUP` when the runner ends, kills the init, and removes the run's control
/// `groups`, which the runner would have removed.
fn split(
    report: fs::File,
    events: Option<&std::path::Path>,
    groups: &[PathBuf],
    command: &[OsString],
) -> i32 {
    let (ending_read, ending_write) = match pipe() {
        Ok(pair) => pair,
        Err(error) => {
            eprintln!("jail helper: {error}");
            return 125;
        }
    };
    // The deadline's SIGTERM is for the submission; this process waits for it.
    // SAFETY: setting a disposition to SIG_IGN installs no handler.
    unsafe { libc::signal(libc::SIGTERM, libc::SIG_IGN) };
    match fork() {
        Err(error) => {
            eprintln!("jail helper: {error}");
            125
        }
        Ok(None) => {
            drop(ending_read);
            if let Err(error) = lifeline::die_with_helper(&ending_write) {
                let mut report = report;
                let _ = writeln!(report, "error {error}");
                std::process::exit(125);
            }
            std::process::exit(Init::new(report, events).run(command, ending_write))
        }
        Ok(Some(init)) => {
            drop(report);
            drop(ending_write);
            lifeline::forked_init(init);
            let init_status = wait(init);
            if lifeline::orphaned() {
                cgroup::leave_and_remove(groups);
            }
            let mut word = [0u8; 4];
            let ended = io::Read::read_exact(&mut fs::File::from(ending_read), &mut word);
            match (init_status, ended) {
                (_, Ok(())) => mirror(ExitStatus::from_raw(i32::from_ne_bytes(word))),
                (Ok(status), Err(_)) => mirror(status),
                (Err(error), Err(_)) => {
                    eprintln!("jail helper: {error}");
                    125
                }
            }
        }
    }
}

/// The namespace's PID 1 and what it sees.
struct Init {
    report: fs::File,
    /// The pids cgroup's events file: a count above 0 means a fork was refused.
    events: Option<std::path::PathBuf>,
    /// What the samples saw of the program.
    census: Census,
    /// The cap was reached and everything killed: once is enough.
    cap_reached: bool,
}

impl Init {
    fn new(report: fs::File, events: Option<&std::path::Path>) -> Self {
        Self {
            report,
            events: events.map(std::path::Path::to_path_buf),
            census: Census::namespace(),
            cap_reached: false,
        }
    }

    /// Runs the submission to its end, then ends everything else; returns the
    /// init's exit code after sending the submission's raw status to the helper.
    fn run(mut self, command: &[OsString], ending: OwnedFd) -> i32 {
        // SAFETY: restoring the default disposition installs no handler.
        unsafe { libc::signal(libc::SIGTERM, libc::SIG_DFL) };
        if let Err(error) = mount_proc().and_then(|()| loopback_up()) {
            let _ = writeln!(self.report, "error {error}");
            return 125;
        }
        let child = match Command::new(&command[0]).args(&command[1..]).spawn() {
            Ok(child) => child,
            Err(error) => {
                let _ = writeln!(
                    self.report,
                    "exec-error {}",
                    error.raw_os_error().unwrap_or(libc::ENOENT)
                );
                return 127;
            }
        };
        let submission = child.id() as i32;
        let status = self.watch(submission);
        let left = self.census.sample();
        // SAFETY: kill(-1) from a namespace's init signals every other process in
        // the namespace, never the init itself.
        unsafe { libc::kill(-1, libc::SIGKILL) };
        reap_all();
        let tasks = self.census.tasks();
        let _ = writeln!(
            self.report,
            "tasks created {} seen {} processes {} peak-processes {} peak-threads {} left {left} \
             before-exec {}",
            tasks.created,
            tasks.seen,
            tasks.processes,
            tasks.peak_processes,
            tasks.peak_threads,
            self.census.before_exec(),
        );
        let _ = fs::File::from(ending).write_all(&status.into_raw().to_ne_bytes());
        0
    }

    /// Reaps every task that ends and samples the namespace until the submission
    /// has exited (or the process cap was reached, which ends the run); returns
    /// the submission's status.
    fn watch(&mut self, submission: i32) -> ExitStatus {
        // A fork bomb's orphans end here as fast as they can be reaped: reaping
        // is bounded per tick, so that the cap is still looked at.
        const REAPS_PER_TICK: usize = 256;
        loop {
            let mut reaped = 0;
            while reaped < REAPS_PER_TICK
                && let Ok(Some((pid, status))) = waitpid(None, WaitOptions::NOHANG)
            {
                if pid.as_raw_nonzero().get() == submission {
                    return ExitStatus::from_raw(status.as_raw());
                }
                reaped += 1;
            }
            self.census.sample();
            if !self.cap_reached && self.events.as_deref().is_some_and(fork_refused) {
                self.cap_reached = true;
                // SAFETY: as above, every process of the namespace but this one.
                unsafe { libc::kill(-1, libc::SIGKILL) };
            }
            if reaped < REAPS_PER_TICK {
                thread::sleep(TICK);
            }
        }
    }
}

/// Reaps children until none is left.
fn reap_all() {
    loop {
        match waitpid(None, WaitOptions::empty()) {
            Ok(Some(_)) | Err(Errno::INTR) => continue,
            Ok(None) | Err(_) => return,
        }
    }
}

/// Waits for child `pid`.
fn wait(pid: Pid) -> io::Result<ExitStatus> {
    loop {
        match waitpid(Some(pid), WaitOptions::empty()) {
            Ok(Some((_, status))) => return Ok(ExitStatus::from_raw(status.as_raw())),
            Ok(None) => return Err(io::Error::other("waitpid returned no child")),
            Err(Errno::INTR) => continue,
            Err(error) => return Err(error.into()),
        }
    }
}

/// Forks this process, having checked that it has one thread, as a fork needs:
/// a child of a threaded parent holds every lock another thread held, for ever.
/// `None` in the child, the child's pid in the parent.
fn fork() -> io::Result<Option<Pid>> {
    single_threaded("fork")?;
    // SAFETY: this process has one thread (checked just above, and nothing here
    // starts one), so the child gets a consistent copy of it, holding no lock
    // another thread held, and may go on as the parent could.
    match unsafe { libc::fork() } {
        -1 => Err(with_context(io::Error::last_os_error(), "fork")),
        0 => Ok(None),
        child => Ok(Pid::from_raw(child)),
    }
}

/// Refuses to go on to `what` unless this process has exactly one thread, as
/// `/proc/self/status` counts them.
fn single_threaded(what: &str) -> io::Result<()> {
    let status = fs::read_to_string("/proc/self/status")?;
    let threads: usize = status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|count| count.trim().parse().ok())
        .ok_or_else(|| io::Error::other("/proc/self/status gives no thread count"))?;
    match threads {
        1 => Ok(()),
        _ => Err(io::Error::other(format!(
            "{what}: the jail helper has {threads} threads, and does this only from one"
        ))),
    }
}

/// Ends this process as `status` says: the same exit code, or the same signal.
fn mirror(status: ExitStatus) -> i32 {
    if let Some(signal) = status.signal() {
        // SAFETY: restoring the default disposition and raising a signal at this
        // process touch no memory; a signal whose default is to be ignored returns
        // here and is reported as 128 + its number, as a shell would.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            let mut set = std::mem::zeroed::<libc::sigset_t>();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, signal);
            libc::sigprocmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
            libc::raise(signal);
        }
        return 128 + signal;
    }
    status.code().unwrap_or(125)
}

/// A fresh `/proc` for the new PID namespace, so that the submission and the
/// init's counts see only the namespace's tasks.
fn mount_proc() -> io::Result<()> {
    let flags = MountFlags::NOSUID | MountFlags::NODEV | MountFlags::NOEXEC;
    mount("proc", "/proc", "proc", flags, None)
        .map_err(|e| with_context(e.into(), "mounting /proc"))
}

/// Brings up the new network namespace's loopback, its only interface.
fn loopback_up() -> io::Result<()> {
    let socket = socket_with(
        AddressFamily::INET,
        SocketType::DGRAM,
        SocketFlags::CLOEXEC,
        None,
    )
    .map_err(|e| with_context(e.into(), "socket"))?;
    // SAFETY: ifreq is plain data, valid when zeroed.
    let mut request: libc::ifreq = unsafe { std::mem::zeroed() };
    for (slot, byte) in request.ifr_name.iter_mut().zip(b"lo\0") {
        *slot = *byte as libc::c_char;
    }
    request.ifr_ifru.ifru_flags = (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
    // SAFETY: SIOCSIFFLAGS reads the ifreq given, which lives across the call.
    let set = unsafe {
        libc::ioctl(
            std::os::fd::AsRawFd::as_raw_fd(&socket),
            libc::SIOCSIFFLAGS,
            &request,
        )
    };
    match set {
        0 => Ok(()),
        _ => Err(with_context(io::Error::last_os_error(), "bringing up lo")),
    }
}

/// A pipe whose ends close on exec.
pub(super) fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    pipe_with(PipeFlags::CLOEXEC).map_err(|e| with_context(e.into(), "pipe"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_with_several_threads_neither_forks_nor_unshares() {
        // A thread of our own, alive while the checks run, makes sure this process
        // has several: the checks must refuse before any call is made.
        let started = std::sync::Barrier::new(2);
        let (tell, wait) = std::sync::mpsc::channel::<()>();
        let started = &started;
        std::thread::scope(|scope| {
            scope.spawn(move || {
                started.wait();
                let _ = wait.recv();
            });
            started.wait();
            let refused = fork().expect_err("a threaded process must not fork");
            assert!(refused.to_string().contains("threads"), "{refused}");
            let refused = enter_namespaces().expect_err("nor unshare");
            assert!(refused.to_string().starts_with("unshare: "), "{refused}");
            drop(tell);
        });
    }
}
