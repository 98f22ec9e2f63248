//! Starting a program contained: its own process group, stdin from /dev/null,
//! captured output, the parent-death signal, and resource limits set before it
//! runs a single instruction of its own.

use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};

use rustix::process::{Resource, Rlimit, Signal};

use super::Limits;

/// Where a jailed program finds its report pipe.
pub(super) const REPORT_FD: i32 = 3;

/// Starts `command` contained: stdin from /dev/null, stdout and stderr piped, in a
/// process group of its own, with the parent-death signal and `limits`' rlimits;
/// a jailed start's `report` pipe goes to [`REPORT_FD`].
pub(super) fn spawn(
    mut command: Command,
    limits: &Limits,
    report: Option<OwnedFd>,
) -> io::Result<Child> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let runner = rustix::process::getpid();
    let cpus = limits.cpu.map(|cpu| {
        let mut set = rustix::thread::CpuSet::new();
        set.set(cpu);
        set
    });
    let nice = limits.nice;
    let rlimits = [
        (Resource::Core, Some(0)),
        (Resource::Data, limits.memory),
        (Resource::Fsize, limits.file_size),
        (Resource::Nproc, limits.user_tasks),
    ];
    // SAFETY: the closure runs in the forked child before `exec`, where only
    // async-signal-safe calls are sound. It calls prctl, getppid, dup2, fcntl,
    // signal (to SIG_DFL), sched_setaffinity, setpriority and setrlimit, which
    // are plain system calls;
    // the CPU set is made before the fork; it allocates on no path (the rlimits
    // are an array captured by value, and every error is an `io::Error` made from
    // an errno, which holds no heap data).
    unsafe {
        command.pre_exec(move || {
            rustix::process::set_parent_process_death_signal(Some(Signal::KILL))?;
            // Had the runner died between fork and prctl, no signal would ever come.
            if rustix::process::getppid() != Some(runner) {
                return Err(rustix::io::Errno::SRCH.into());
            }
            if let Some(report) = &report {
                let fd = report.as_raw_fd();
                // dup2 and fcntl, on descriptors this process holds: the copy at
                // REPORT_FD is made without close-on-exec, so the program gets it.
                let placed = match fd == REPORT_FD {
                    true => libc::fcntl(fd, libc::F_SETFD, 0),
                    false => libc::dup2(fd, REPORT_FD),
                };
                if placed < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            // The program starts with every signal's default action, whatever
            // the grader inherited: a grader started as a background job (SIGINT
            // ignored) or from Python (SIGXFSZ ignored) must run it as any other.
            for signal in 1..32 {
                if signal != libc::SIGKILL && signal != libc::SIGSTOP {
                    libc::signal(signal, libc::SIG_DFL);
                }
            }
            if let Some(cpus) = &cpus {
                rustix::thread::sched_setaffinity(None, cpus)?;
            }
            if let Some(nice) = nice {
                rustix::process::setpriority_process(None, nice)?;
            }
            for (resource, limit) in rlimits {
                if let Some(limit) = limit {
                    let limit = Some(limit);
                    rustix::process::setrlimit(
                        resource,
                        Rlimit {
                            current: limit,
                            maximum: limit,
                        },
                    )?;
                }
            }
            Ok(())
        });
    }
    command.spawn()
}
