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
use std::process::{Command, ExitStatus};
use std::thread;

use super::census::{Census, TICK};
use super::cgroup::fork_refused;
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

/// What the helper was asked to do: `probe`, or `FD EVENTS -- PROGRAM ARGS…`.
fn serve(args: &[OsString]) -> i32 {
    if args.first().is_some_and(|a| a == PROBE) {
        return probe();
    }
    let (Some(fd), Some(events), Some(dashes)) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!("jail helper: expected FD EVENTS -- PROGRAM ARGS…");
        return 125;
    };
    let Some(fd) = fd.to_str().and_then(|f| f.parse::<i32>().ok()) else {
        eprintln!("jail helper: the report descriptor is not a number");
        return 125;
    };
    if dashes != "--" || args.len() < 4 {
        eprintln!("jail helper: expected FD EVENTS -- PROGRAM ARGS…");
        return 125;
    }
    // SAFETY: the runner put the report pipe's write end at `fd` for this process
    // alone; nothing else here owns it.
    let report = unsafe { OwnedFd::from_raw_fd(fd) };
    let mut report = fs::File::from(report);
    let events = (events != "-").then(|| std::path::PathBuf::from(events));
    if let Err(error) = enter_namespaces() {
        let _ = writeln!(report, "error {error}");
        return 125;
    }
    let command = &args[3..];
    split(report, events.as_deref(), command)
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
    // SAFETY: this helper is single-threaded (it is called before `main` starts
    // any thread), so the child may do anything the parent could.
    match unsafe { libc::fork() } {
        -1 => {
            eprintln!("{}", io::Error::last_os_error());
            1
        }
        0 => {
            let code = match mount_proc().and_then(|()| loopback_up()) {
                Ok(()) => 0,
                Err(error) => {
                    eprintln!("{error}");
                    1
                }
            };
            std::process::exit(code)
        }
        child => match wait(child).map(|status| status.code()) {
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
    // SAFETY: geteuid/getegid cannot fail and touch no memory.
    let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
    let mut flags = libc::CLONE_NEWPID | libc::CLONE_NEWNET | libc::CLONE_NEWNS;
    if uid != 0 {
        flags |= libc::CLONE_NEWUSER;
    }
    // SAFETY: unshare takes flags only; the helper is single-threaded, as a new
    // user namespace requires.
    if unsafe { libc::unshare(flags) } != 0 {
        return Err(with_context(io::Error::last_os_error(), "unshare"));
    }
    if uid != 0 {
        fs::write("/proc/self/setgroups", "deny")?;
        fs::write("/proc/self/uid_map", format!("{uid} {uid} 1"))?;
        fs::write("/proc/self/gid_map", format!("{gid} {gid} 1"))?;
    }
    // SAFETY: the strings are NUL-terminated literals; null pointers are allowed
    // for the source, type and data of a propagation change.
    let private = unsafe {
        libc::mount(
            std::ptr::null(),
            c"/".as_ptr(),
            std::ptr::null(),
            libc::MS_REC | libc::MS_PRIVATE,
            std::ptr::null(),
        )
    };
    if private != 0 {
        return Err(with_context(io::Error::last_os_error(), "making / private"));
    }
    Ok(())
}

/// Forks the namespace's init, and mirrors the submission's ending once it is over.
fn split(report: fs::File, events: Option<&std::path::Path>, command: &[OsString]) -> i32 {
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
    // SAFETY: the helper is single-threaded, so the child may go on as it likes.
    match unsafe { libc::fork() } {
        -1 => {
            eprintln!("jail helper: fork: {}", io::Error::last_os_error());
            125
        }
        0 => {
            drop(ending_read);
            std::process::exit(Init::new(report, events).run(command, ending_write))
        }
        init => {
            drop(report);
            drop(ending_write);
            let init_status = wait(init);
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
            "tasks created {} seen {} processes {} peak-processes {} peak-threads {} left {left}",
            tasks.created, tasks.seen, tasks.processes, tasks.peak_processes, tasks.peak_threads,
        );
        let _ = fs::File::from(ending).write_all(&status.into_raw().to_ne_bytes());
        0
    }

    /// Reaps every task that ends and samples the namespace until the submission
    /// has exited (or the process cap was reached, which ends the run); returns
    /// the submission's status.
    fn watch(&mut self, submission: i32) -> ExitStatus {
        loop {
            loop {
                let mut raw = 0;
                // SAFETY: waitpid writes the status to a local.
                let pid = unsafe { libc::waitpid(-1, &mut raw, libc::WNOHANG) };
                if pid == submission {
                    return ExitStatus::from_raw(raw);
                }
                if pid <= 0 {
                    break;
                }
            }
            self.census.sample();
            if !self.cap_reached && self.events.as_deref().is_some_and(fork_refused) {
                self.cap_reached = true;
                // SAFETY: as above, every process of the namespace but this one.
                unsafe { libc::kill(-1, libc::SIGKILL) };
            }
            thread::sleep(TICK);
        }
    }
}

/// Reaps children until none is left.
fn reap_all() {
    loop {
        let mut raw = 0;
        // SAFETY: waitpid writes the status to a local.
        let pid = unsafe { libc::waitpid(-1, &mut raw, 0) };
        if pid > 0 {
            continue;
        }
        if io::Error::last_os_error().raw_os_error() == Some(libc::EINTR) {
            continue;
        }
        return;
    }
}

/// Waits for child `pid`.
fn wait(pid: libc::pid_t) -> io::Result<ExitStatus> {
    loop {
        let mut raw = 0;
        // SAFETY: waitpid writes the status to a local.
        if unsafe { libc::waitpid(pid, &mut raw, 0) } == pid {
            return Ok(ExitStatus::from_raw(raw));
        }
        let error = io::Error::last_os_error();
        if error.raw_os_error() != Some(libc::EINTR) {
            return Err(error);
        }
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
    // SAFETY: every string is a NUL-terminated literal and data may be null.
    let mounted = unsafe {
        libc::mount(
            c"proc".as_ptr(),
            c"/proc".as_ptr(),
            c"proc".as_ptr(),
            libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
            std::ptr::null(),
        )
    };
    match mounted {
        0 => Ok(()),
        _ => Err(with_context(io::Error::last_os_error(), "mounting /proc")),
    }
}

/// Brings up the new network namespace's loopback, its only interface.
fn loopback_up() -> io::Result<()> {
    // SAFETY: a plain socket call; the descriptor is owned at once.
    let socket = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if socket < 0 {
        return Err(with_context(io::Error::last_os_error(), "socket"));
    }
    // SAFETY: `socket` was just opened here and is owned by nothing else.
    let socket = unsafe { OwnedFd::from_raw_fd(socket) };
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
    let mut ends = [0; 2];
    // SAFETY: pipe2 writes two descriptors into the array given.
    if unsafe { libc::pipe2(ends.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(with_context(io::Error::last_os_error(), "pipe"));
    }
    // SAFETY: both were just opened here and are owned by nothing else.
    Ok(unsafe { (OwnedFd::from_raw_fd(ends[0]), OwnedFd::from_raw_fd(ends[1])) })
}

/// `error` with what was being done, keeping its kind.
fn with_context(error: io::Error, doing: &str) -> io::Error {
    io::Error::new(error.kind(), format!("{doing}: {error}"))
}
