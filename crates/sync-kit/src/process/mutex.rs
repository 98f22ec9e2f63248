//! The robust, process-shared pthread mutex that every process primitive locks
//! with, laid out in shared memory beside the process id of its holder.
//!
//! Robust means the kernel keeps a list of the robust mutexes each thread holds and,
//! when the thread dies, marks each one so that the next locker gets `EOWNERDEAD`
//! instead of waiting for ever. A plain mutex, a futex or a POSIX semaphore (what
//! Python's `multiprocessing.Lock` is) stays locked for ever when its holder dies.
//!
//! POSIX then has the new holder call `pthread_mutex_consistent` once it has
//! repaired the state, and makes the mutex unusable (`ENOTRECOVERABLE`) if it
//! unlocks without doing so. glibc does not wake the threads already waiting on such
//! a mutex: they block for ever. So the pthread mutex is made consistent at once,
//! and the poisoning is kept beside it instead, as `std::sync::Mutex` keeps its own:
//! every locker is told the holder died until one of them says the state is
//! repaired.

use crate::sync::deadline_after;
use crate::sync::shared_atomic::{AtomicBool, AtomicI32, Ordering};
use std::cell::UnsafeCell;
use std::io;
use std::mem::MaybeUninit;
use std::time::{Duration, Instant};

/// A robust, process-shared, error-checking mutex, and the process that holds it.
/// Lives in shared memory, initialised once in place by [`RobustMutex::init`].
#[repr(C)]
pub(crate) struct RobustMutex {
    raw: UnsafeCell<libc::pthread_mutex_t>,
    /// The process id of the holder, 0 while free: what the next locker reports
    /// when the holder died.
    holder: AtomicI32,
    /// The process id of a holder that died holding the mutex (-1 if it had not
    /// recorded its id), until a locker marks the state repaired; 0 when it is.
    died: AtomicI32,
}

/// How long a call may wait: not at all, until a deadline, or for ever.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Wait {
    No,
    Until(Instant),
    Forever,
}

impl Wait {
    /// At most `timeout` from now; for ever when that is too far away to
    /// represent (as with `Duration::MAX`).
    pub(crate) fn at_most(timeout: Duration) -> Self {
        deadline_after(timeout).map_or(Self::Forever, Self::Until)
    }
}

/// What a lock attempt came to.
#[derive(Debug)]
pub(crate) enum Locked {
    /// Taken, and what it guards is as the last holder left it.
    Clean,
    /// Taken, but a holder died holding it (its process id, if it had recorded
    /// it) and nobody has marked what it guards repaired since: it may be
    /// half-changed.
    OwnerDied(Option<u32>),
    /// Not taken: it is held (a try) or the deadline passed (a timed lock).
    Busy,
}

/// Why a lock attempt failed.
#[derive(Debug)]
pub(crate) enum Refused {
    /// This thread holds it already.
    WouldDeadlock,
    /// Anything else the system said (a corrupt mutex).
    Os(io::Error),
}

impl RobustMutex {
    /// Makes the (zeroed, shared) memory at `self` a robust, process-shared,
    /// error-checking mutex.
    ///
    /// # Safety
    ///
    /// Call once, before any other process or thread can reach `self`.
    // SAFETY: an unsafe fn; its callers keep the contract above.
    pub(crate) unsafe fn init(&self) -> io::Result<()> {
        let mut attr = MaybeUninit::<libc::pthread_mutexattr_t>::uninit();
        // SAFETY: `attr` is initialised by pthread_mutexattr_init before any other
        // use and destroyed after; the mutex memory is ours alone (the caller's
        // promise) and outlives every use through the shared mapping.
        unsafe {
            check(libc::pthread_mutexattr_init(attr.as_mut_ptr()))?;
            let attr = attr.as_mut_ptr();
            let made = check(libc::pthread_mutexattr_setpshared(
                attr,
                libc::PTHREAD_PROCESS_SHARED,
            ))
            .and_then(|()| {
                check(libc::pthread_mutexattr_setrobust(
                    attr,
                    libc::PTHREAD_MUTEX_ROBUST,
                ))
            })
            .and_then(|()| {
                check(libc::pthread_mutexattr_settype(
                    attr,
                    libc::PTHREAD_MUTEX_ERRORCHECK,
                ))
            })
            .and_then(|()| check(libc::pthread_mutex_init(self.raw.get(), attr)));
            libc::pthread_mutexattr_destroy(attr);
            made
        }
    }

    /// Takes the mutex, waiting as `wait` allows.
    pub(crate) fn acquire(&self, wait: Wait) -> Result<Locked, Refused> {
        let mutex = self.raw.get();
        // SAFETY: the mutex was initialised by `init` in memory that stays mapped
        // while `self` is borrowed; `realtime` makes a valid timespec.
        let code = unsafe {
            match wait {
                Wait::No => libc::pthread_mutex_trylock(mutex),
                Wait::Forever => libc::pthread_mutex_lock(mutex),
                Wait::Until(deadline) => libc::pthread_mutex_timedlock(mutex, &realtime(deadline)),
            }
        };
        self.taken(code)
    }

    /// Releases the mutex; the caller holds it.
    pub(crate) fn unlock(&self) {
        self.holder.store(0, Ordering::Relaxed);
        // SAFETY: as in `acquire`; the caller holds the mutex (a guard's drop), so the
        // error-checking mutex cannot refuse.
        let unlocked = unsafe { libc::pthread_mutex_unlock(self.raw.get()) };
        debug_assert_eq!(unlocked, 0, "unlocking a process mutex this thread holds");
    }

    /// Marks what the mutex guards as repaired after a holder died: later lockers
    /// are no longer told. The caller holds it.
    pub(crate) fn mark_repaired(&self) {
        self.died.store(0, Ordering::Relaxed);
    }

    /// Turns what a pthread lock call returned into the outcome, recording this
    /// process as the holder when it took the mutex.
    fn taken(&self, code: libc::c_int) -> Result<Locked, Refused> {
        match code {
            0 => {}
            libc::EOWNERDEAD => {
                let pid = self.holder.load(Ordering::Relaxed);
                self.died
                    .store(if pid > 0 { pid } else { -1 }, Ordering::Relaxed);
                // SAFETY: as in `acquire`; this thread holds the mutex, which the
                // system has just reported inconsistent.
                let marked = unsafe { libc::pthread_mutex_consistent(self.raw.get()) };
                debug_assert_eq!(marked, 0, "marking a process mutex consistent");
            }
            libc::EBUSY | libc::ETIMEDOUT => return Ok(Locked::Busy),
            libc::EDEADLK => return Err(Refused::WouldDeadlock),
            code => return Err(Refused::Os(io::Error::from_raw_os_error(code))),
        }
        self.holder.store(this_process(), Ordering::Relaxed);
        Ok(match self.died.load(Ordering::Relaxed) {
            0 => Locked::Clean,
            pid => Locked::OwnerDied(u32::try_from(pid).ok()),
        })
    }
}

/// `deadline` on the realtime clock, which `pthread_mutex_timedlock` takes.
fn realtime(deadline: Instant) -> libc::timespec {
    let left = deadline.saturating_duration_since(Instant::now());
    let now = rustix::time::clock_gettime(rustix::time::ClockId::Realtime);
    let now = Duration::new(now.tv_sec.max(0) as u64, now.tv_nsec as u32);
    let until = now.saturating_add(left);
    libc::timespec {
        tv_sec: until.as_secs() as libc::time_t,
        tv_nsec: until.subsec_nanos() as libc::c_long,
    }
}

/// This process's id, asked of the system once (glibc no longer caches `getpid`,
/// and a system call would cost more than the lock), and asked again in a child
/// that `fork` made without `exec`.
fn this_process() -> i32 {
    let pid = PID.load(Ordering::Relaxed);
    if pid != 0 {
        return pid;
    }
    if !FORGETS_ON_FORK.swap(true, Ordering::Relaxed) {
        // SAFETY: registers a handler that only stores to an atomic, which is
        // async-signal-safe, as a fork handler must be.
        unsafe { libc::pthread_atfork(None, None, Some(forget_pid)) };
    }
    let pid = std::process::id() as i32;
    PID.store(pid, Ordering::Relaxed);
    pid
}

/// This process's id once asked, 0 before.
static PID: AtomicI32 = AtomicI32::new(0);

/// Whether the fork handler that forgets [`PID`] is registered.
static FORGETS_ON_FORK: AtomicBool = AtomicBool::new(false);

/// Runs in the child of a `fork`: its id is not its parent's.
extern "C" fn forget_pid() {
    PID.store(0, Ordering::Relaxed);
}

/// A pthread call's result as an `io::Result`.
fn check(code: libc::c_int) -> io::Result<()> {
    match code {
        0 => Ok(()),
        code => Err(io::Error::from_raw_os_error(code)),
    }
}
