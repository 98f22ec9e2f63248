//! Ctrl-C during a class: no new grade starts, the grades running finish, and the
//! gradebook of what finished is still written. A second Ctrl-C quits at once.
//!
//! Each grade runs in a process group of its own, so the terminal's SIGINT reaches
//! only this process; the handler does nothing but set a flag, the one thing a
//! signal handler may safely do, and the job loop reads it between grades.

use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the first SIGINT or SIGTERM.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the handler for SIGINT and SIGTERM.
pub(super) fn watch() -> std::io::Result<()> {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: `on_interrupt` only touches an atomic and, on a second signal,
        // calls `signal` and `raise`, which POSIX lists as async-signal-safe. The
        // `sigaction` struct is zeroed (a valid empty mask and no flags) before its
        // handler is set, and outlives the call.
        let installed = unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_interrupt as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut())
        };
        if installed != 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Whether Ctrl-C (or SIGTERM) came: start no new grade.
pub(super) fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

extern "C" fn on_interrupt(signal: libc::c_int) {
    if INTERRUPTED.swap(true, Ordering::SeqCst) {
        // SAFETY: both calls are async-signal-safe; the default action ends the
        // process as the second signal asks.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}
