//! The jail's lifeline: how its helper and its init learn that the process above
//! them has ended, so that neither outlives the runner.
//!
//! The runner starts the helper with the parent-death signal `SIGKILL`; the
//! helper makes it `SIGHUP`, whose handler kills the init once there is one, so
//! that the helper itself lives on to remove the run's control groups. The init
//! gets `SIGKILL` when the helper ends, and the kernel ends a PID namespace with
//! its init.

use std::io;
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use rustix::process::Pid;

use super::context::with_context;

/// The init this helper forked, for the parent-death handler to kill; 0 before.
static INIT: AtomicI32 = AtomicI32::new(0);
/// Whether the runner that started this helper has ended.
static ORPHANED: AtomicBool = AtomicBool::new(false);

/// Makes the runner's end (this process's parent-death signal, until now
/// `SIGKILL`) a `SIGHUP` that kills the init, once there is one, and lets this
/// process clean up after the run. Had the runner ended before this, the
/// `SIGKILL` would have come instead, before anything was made. (The kernel
/// clears the setting when the credentials change, as entering a user namespace
/// does: the helper calls this again after.)
pub(super) fn watch_runner() -> io::Result<()> {
    // SAFETY: the handler only touches atomics and calls kill, which is
    // async-signal-safe; the sigaction struct is zeroed (an empty mask, no flags)
    // before its handler is set, and outlives the call.
    let installed = unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_orphaned as extern "C" fn(libc::c_int) as usize;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGHUP, &action, std::ptr::null_mut())
    };
    if installed != 0 {
        return Err(with_context(io::Error::last_os_error(), "sigaction"));
    }
    rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::HUP))
        .map_err(|e| with_context(e.into(), "prctl"))
}

extern "C" fn on_orphaned(_: libc::c_int) {
    ORPHANED.store(true, Ordering::SeqCst);
    let init = INIT.load(Ordering::SeqCst);
    if init > 0 {
        // SAFETY: kill is async-signal-safe; `init` is this process's child,
        // not reaped yet, so its pid names it still.
        unsafe { libc::kill(init, libc::SIGKILL) };
    }
}

/// In the init: `SIGKILL` when the helper ends, and a check that it has not
/// ended already. `ending` is the write end of a pipe whose only read end the
/// helper holds: with no reader left, a pipe's write end polls as an error.
pub(super) fn die_with_helper(ending: &OwnedFd) -> io::Result<()> {
    rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))
        .map_err(|e| with_context(e.into(), "prctl"))?;
    let mut polled = [rustix::event::PollFd::new(
        ending,
        rustix::event::PollFlags::OUT,
    )];
    let zero = rustix::event::Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    rustix::event::poll(&mut polled, Some(&zero)).map_err(|e| with_context(e.into(), "poll"))?;
    match polled[0].revents().contains(rustix::event::PollFlags::ERR) {
        true => Err(io::Error::other(
            "the jail's helper ended before its init started",
        )),
        false => Ok(()),
    }
}

/// Whether the runner that started this helper has ended.
pub(super) fn orphaned() -> bool {
    ORPHANED.load(Ordering::SeqCst)
}

/// Tells the handler which init to kill, and kills it now if the runner has
/// ended already: either the handler sees the init's pid, or this sees the flag.
pub(super) fn forked_init(init: Pid) {
    INIT.store(init.as_raw_nonzero().get(), Ordering::SeqCst);
    if orphaned() {
        // SAFETY: kill takes plain numbers; `init` is this process's child, not
        // reaped yet.
        unsafe { libc::kill(init.as_raw_nonzero().get(), libc::SIGKILL) };
    }
}
