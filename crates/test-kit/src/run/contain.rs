//! Starting a program contained: its own process group, stdin from /dev/null,
//! captured output, the parent-death signal, and resource limits set before it
//! runs a single instruction of its own.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};

use rustix::process::{Resource, Rlimit, Signal};

use super::Limits;

/// Starts `command` contained: stdin from /dev/null, stdout and stderr piped, in a
/// process group of its own, with the parent-death signal and `limits`' rlimits.
pub(super) fn spawn(mut command: Command, limits: &Limits) -> io::Result<Child> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    let runner = rustix::process::getpid();
    let rlimits = [
        (Resource::Core, Some(0)),
        (Resource::As, limits.memory),
        (Resource::Fsize, limits.file_size),
    ];
    // SAFETY: the closure runs in the forked child before `exec`, where only
    // async-signal-safe calls are sound. It calls prctl, getppid and setrlimit
    // through rustix, which are plain system calls; it allocates on no path (the
    // rlimits are an array captured by value, and every error is an `io::Error`
    // made from an errno, which holds no heap data).
    unsafe {
        command.pre_exec(move || {
            rustix::process::set_parent_process_death_signal(Some(Signal::KILL))?;
            // Had the runner died between fork and prctl, no signal would ever come.
            if rustix::process::getppid() != Some(runner) {
                return Err(rustix::io::Errno::SRCH.into());
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
