//! Handing a process primitive to a child: [`CommandExt::share`] passes its
//! descriptors to the program a `Command` starts, under a name, and [`inherit`]
//! takes them back in the child.
//!
//! A primitive is one or more file descriptors (a memfd of shared memory, a
//! socket). The parent duplicates them, and only in the child, between `fork` and
//! `exec`, clears their close-on-exec flag: no other child started at the same
//! time inherits them. Their numbers travel in an environment variable,
//! `SYNC_KIT_SHARE_<NAME>`, together with the parent's process id, so a
//! grandchild that inherited the variable but not the descriptors is refused.

use crate::sync::{Arc, Mutex, PoisonError};
use std::collections::BTreeSet;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt as _;
use std::process::Command;

/// A primitive that can cross to a child process: its descriptors out, and the
/// primitive back from them on the other side. Sealed: implemented by this
/// module's primitives only.
pub trait Share: private::Sealed + Sized {
    /// The descriptors that make up the primitive, in a fixed order.
    #[doc(hidden)]
    fn descriptors(&self) -> Vec<BorrowedFd<'_>>;

    /// Words that travel with the descriptors (a manager's address and object id).
    #[doc(hidden)]
    fn extra(&self) -> String {
        String::new()
    }

    /// Rebuilds the primitive from descriptors given in that order, and the
    /// number [`Share::extra`] gave, checking that they really are what this type
    /// expects.
    #[doc(hidden)]
    fn from_descriptors(fds: Vec<OwnedFd>, extra: &str) -> io::Result<Self>;
}

pub(crate) mod private {
    /// Keeps [`Share`](super::Share) implemented by this crate only.
    pub trait Sealed {}
}

/// Adds [`share`](CommandExt::share) to [`std::process::Command`].
pub trait CommandExt {
    /// Passes `what` to the program this command starts, under `name` (ASCII
    /// letters, digits and `_`); the program takes it with [`inherit`]. The
    /// primitive may be dropped here before the command is spawned: the command
    /// holds descriptors of its own.
    ///
    /// # Errors
    ///
    /// A name that is not a plain identifier, or descriptors that cannot be
    /// duplicated (the process is out of them).
    fn share<S: Share>(&mut self, name: &str, what: &S) -> io::Result<&mut Self>;
}

impl CommandExt for Command {
    fn share<S: Share>(&mut self, name: &str, what: &S) -> io::Result<&mut Self> {
        let key = variable(name)?;
        let copies: Vec<OwnedFd> = what
            .descriptors()
            .into_iter()
            .map(|fd| fd.try_clone_to_owned())
            .collect::<io::Result<_>>()?;
        let numbers: Vec<String> = keep_open(self, copies)
            .iter()
            .map(ToString::to_string)
            .collect();
        self.env(
            key,
            format!(
                "{}:{}:{}",
                std::process::id(),
                numbers.join(","),
                what.extra()
            ),
        );
        Ok(self)
    }
}

/// Keeps `fds` open across `command`'s exec, in its child only (they stay closed
/// on exec everywhere else), and gives their numbers there. The command owns them
/// from now on.
pub(crate) fn keep_open(command: &mut Command, fds: Vec<OwnedFd>) -> Vec<RawFd> {
    let numbers = fds.iter().map(AsRawFd::as_raw_fd).collect();
    let fds = Arc::new(fds);
    // SAFETY: the closure runs in the child between fork and exec, where only
    // async-signal-safe calls are allowed; it makes one fcntl per descriptor
    // (a raw system call) and allocates nothing.
    unsafe {
        command.pre_exec(move || {
            for fd in fds.iter() {
                rustix::io::fcntl_setfd(fd, rustix::io::FdFlags::empty())?;
            }
            Ok(())
        });
    }
    numbers
}

/// This process's parent's id (0 if it has none: it is init).
pub(crate) fn parent_pid() -> i32 {
    rustix::process::getppid().map_or(0, |p| p.as_raw_nonzero().get())
}

/// Takes the primitive that the parent passed under `name` with
/// [`CommandExt::share`]. The descriptors are closed on exec again, so programs
/// this one starts do not inherit them unless it shares them in turn.
///
/// # Errors
///
/// Nothing was shared under that name, it was shared by a process that is not
/// this one's parent, it was already taken, or the descriptors are not a `S`.
pub fn inherit<S: Share>(name: &str) -> io::Result<S> {
    let key = variable(name)?;
    let value = std::env::var(&key).map_err(|_| {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("nothing was shared under the name `{name}` ({key} is not set)"),
        )
    })?;
    let malformed = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{key}={value} is not `parent-pid:fd,fd...:extra`"),
        )
    };
    let mut parts = value.splitn(3, ':');
    let (Some(parent), Some(numbers), Some(extra)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(malformed());
    };
    let parent: i32 = parent.parse().map_err(|_| malformed())?;
    let ppid = parent_pid();
    if ppid != parent {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "`{name}` was shared with a child of process {parent}, and this process's parent is {ppid}"
            ),
        ));
    }
    let numbers: Vec<RawFd> = numbers
        .split(',')
        .filter(|n| !n.is_empty())
        .map(|n| n.parse().map_err(|_| malformed()))
        .collect::<io::Result<_>>()?;
    let mut taken = TAKEN.lock().unwrap_or_else(PoisonError::into_inner);
    if numbers.iter().any(|n| taken.contains(n)) {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("`{name}` was already inherited by this process"),
        ));
    }
    let mut fds = Vec::with_capacity(numbers.len());
    for &number in &numbers {
        // Whether it is open at all is asked of the number itself: a `BorrowedFd`
        // may only be made of a descriptor known to be open.
        // SAFETY: F_SETFD on a plain number reads and writes no memory; for a
        // number that is not open it fails with EBADF, and no Rust object owns or
        // borrows this descriptor yet.
        if unsafe { libc::fcntl(number, libc::F_SETFD, libc::FD_CLOEXEC) } == -1 {
            let e = io::Error::last_os_error();
            return Err(io::Error::new(
                e.kind(),
                format!("`{name}`: descriptor {number} is not open in this process ({e})"),
            ));
        }
    }
    for &number in &numbers {
        taken.insert(number);
        // SAFETY: the descriptor is open (checked above), was handed to this process
        // by its parent for this name, and is recorded in TAKEN, so no second
        // `inherit` owns it as well.
        fds.push(unsafe { OwnedFd::from_raw_fd(number) });
    }
    drop(taken);
    S::from_descriptors(fds, extra).map_err(|e| io::Error::new(e.kind(), format!("`{name}`: {e}")))
}

/// The descriptors already taken by [`inherit`] in this process.
static TAKEN: Mutex<BTreeSet<RawFd>> = Mutex::new(BTreeSet::new());

/// The environment variable that carries `name`.
fn variable(name: &str) -> io::Result<String> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`{name}` is not a name to share under: use ASCII letters, digits and `_`"),
        ));
    }
    Ok(format!("SYNC_KIT_SHARE_{}", name.to_ascii_uppercase()))
}

/// Checks that `fds` holds exactly `N` descriptors, for `from_descriptors`.
pub(crate) fn exactly<const N: usize>(fds: Vec<OwnedFd>, what: &str) -> io::Result<[OwnedFd; N]> {
    let got = fds.len();
    <[OwnedFd; N]>::try_from(fds).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a {what} is {N} descriptor(s), and {got} were shared"),
        )
    })
}
