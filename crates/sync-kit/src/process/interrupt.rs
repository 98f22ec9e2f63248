//! Ctrl-C and `kill`: SIGINT and SIGTERM turned into a flag a program reads when
//! it is ready to stop, so it can finish or cancel its work, say what it did, and
//! exit with the conventional code (130 for SIGINT, 143 for SIGTERM).
//!
//! The handler does nothing but store the signal's number, the one thing a signal
//! handler may safely do; a second signal while the first is being handled quits at
//! once with the default action, so a user who presses Ctrl-C twice is never stuck
//! waiting for a grace period. A program that can stop its work at once and still
//! save what is done watches with [`watch_twice`]: the second signal is counted
//! ([`count`]) for it to act on, and only a third quits.
//!
//! ```no_run
//! use sync_kit::process::interrupt;
//!
//! interrupt::watch().expect("handlers installed");
//! for job in 0..100 {
//!     if let Some(signal) = interrupt::received() {
//!         eprintln!("stopping before job {job}");
//!         std::process::exit(interrupt::exit_code(signal));
//!     }
//!     // ... job ...
//! }
//! ```

use std::io;

use crate::sync::shared_atomic::{AtomicI32, Ordering};

/// The number of the first SIGINT or SIGTERM received, or 0.
static RECEIVED: AtomicI32 = AtomicI32::new(0);
/// How many SIGINTs and SIGTERMs came.
static COUNT: AtomicI32 = AtomicI32::new(0);
/// Which of them quits with the default action: the second, or with
/// [`watch_twice`] the third.
static QUITS_AT: AtomicI32 = AtomicI32::new(2);

/// Installs the handler for SIGINT and SIGTERM in this process.
///
/// # Errors
///
/// When `sigaction` fails (it does not for these signals).
pub fn watch() -> io::Result<()> {
    QUITS_AT.store(2, Ordering::SeqCst);
    install()
}

/// [`watch`], where the second signal is counted rather than fatal, for a
/// program that then stops its work at once and saves what is done; a third
/// quits.
///
/// # Errors
///
/// As [`watch`].
pub fn watch_twice() -> io::Result<()> {
    QUITS_AT.store(3, Ordering::SeqCst);
    install()
}

/// How many SIGINTs and SIGTERMs have come since [`watch`] or [`watch_twice`].
#[must_use]
pub fn count() -> i32 {
    COUNT.load(Ordering::SeqCst)
}

fn install() -> io::Result<()> {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: `on_signal` only touches an atomic and, on a second signal,
        // calls `signal` and `raise`, which POSIX lists as async-signal-safe. The
        // `sigaction` struct is zeroed (a valid empty mask and no flags) before its
        // handler is set, and outlives the call.
        let installed = unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(signal, &action, std::ptr::null_mut())
        };
        if installed != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// The first signal received since [`watch`] (`libc::SIGINT` or
/// `libc::SIGTERM`), if one came.
#[must_use]
pub fn received() -> Option<i32> {
    match RECEIVED.load(Ordering::SeqCst) {
        0 => None,
        signal => Some(signal),
    }
}

/// The exit code a program stopped by `signal` ends with: 128 plus its number,
/// as a shell reports a process the signal killed (130 for SIGINT, 143 for
/// SIGTERM).
#[must_use]
pub fn exit_code(signal: i32) -> i32 {
    128 + signal
}

/// The signal's name, as `kill -l` prints it with a `SIG` prefix.
#[must_use]
pub fn name(signal: i32) -> &'static str {
    super::signal_name(signal).unwrap_or("a signal")
}

extern "C" fn on_signal(signal: libc::c_int) {
    let _ = RECEIVED.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst);
    if COUNT.fetch_add(1, Ordering::SeqCst) + 1 >= QUITS_AT.load(Ordering::SeqCst) {
        // SAFETY: both calls are async-signal-safe; the default action ends the
        // process as the signal that quits asks.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_shell() {
        assert_eq!(exit_code(libc::SIGINT), 130);
        assert_eq!(exit_code(libc::SIGTERM), 143);
        assert_eq!(name(libc::SIGINT), "SIGINT");
        assert_eq!(name(libc::SIGTERM), "SIGTERM");
    }
}
