//! [`Lock`]: `multiprocessing.Lock` that a dying holder cannot leave locked, with
//! its guard and the errors every process primitive's lock can give.

use std::fmt;
use std::io;
use std::marker::PhantomData;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::time::Duration;

use super::mutex::{Locked, Refused, RobustMutex, Wait};
use super::share::{self, Share};
use super::shm::{self, Region};

/// A lock shared between processes: Python's `multiprocessing.Lock`, except that a
/// process that dies holding it (killed, aborted, or exiting) does not leave every
/// other process blocked for ever. The next locker gets
/// [`LockError::OwnerDied`], which says which process died and holds the lock:
/// it repairs what the lock guards, calls [`OwnerDied::recover`], and goes on.
/// Until someone recovers it, every locker is told, as `std::sync::Mutex` tells
/// of a panicked holder.
///
/// Built on a robust, process-shared pthread mutex in a memfd; pass it to a child
/// with [`CommandExt::share`](super::CommandExt::share) and take it there with
/// [`inherit`](super::inherit). Threads of one process can share it too (it is
/// `Sync`); a thread that locks it twice gets [`LockError::WouldDeadlock`].
///
/// ```
/// use sync_kit::process::Lock;
///
/// let lock = Lock::new().expect("shared memory");
/// let guard = lock.lock().expect("nobody died holding it");
/// assert!(lock.try_lock().is_err(), "this thread already holds it");
/// drop(guard);
/// assert!(lock.try_lock().expect("free again").is_some());
/// ```
#[derive(Debug)]
pub struct Lock {
    region: Region,
}

/// What a lock call gives: the guard, or why there is none.
pub type LockResult<G> = Result<G, LockError<G>>;

/// What a `try_` or timed lock call gives: `Ok(None)` when the lock stayed held.
pub type TryLockResult<G> = Result<Option<G>, LockError<G>>;

impl Lock {
    /// A new, unlocked lock in a shared-memory region of its own.
    ///
    /// # Errors
    ///
    /// The system refused the memfd, its size, the mapping or the mutex.
    pub fn new() -> io::Result<Self> {
        let region = locked_region(LOCK_KIND, 0, 0)?;
        Ok(Self { region })
    }

    /// Waits until the lock is free and takes it.
    ///
    /// # Errors
    ///
    /// [`LockError::OwnerDied`] when its last holder died holding it (the lock is
    /// then held by the caller, inside the error), and the other variants when it
    /// cannot be taken at all.
    pub fn lock(&self) -> LockResult<LockGuard<'_>> {
        blocking(self.acquire(Wait::Forever))
    }

    /// Takes the lock if it is free; `Ok(None)` if another thread or process holds
    /// it.
    ///
    /// # Errors
    ///
    /// As for [`Lock::lock`].
    pub fn try_lock(&self) -> TryLockResult<LockGuard<'_>> {
        self.acquire(Wait::No)
    }

    /// Waits at most `timeout` for the lock; `Ok(None)` if it stayed held.
    ///
    /// # Errors
    ///
    /// As for [`Lock::lock`].
    pub fn lock_timeout(&self, timeout: Duration) -> TryLockResult<LockGuard<'_>> {
        self.acquire(Wait::at_most(timeout))
    }

    fn acquire(&self, wait: Wait) -> TryLockResult<LockGuard<'_>> {
        acquire(&self.region, wait)
    }
}

impl share::private::Sealed for Lock {}

impl Share for Lock {
    fn descriptors(&self) -> Vec<BorrowedFd<'_>> {
        vec![self.region.as_fd()]
    }

    fn from_descriptors(fds: Vec<OwnedFd>, _: &str) -> io::Result<Self> {
        let [fd] = share::exactly(fds, "Lock")?;
        let (region, _) = Region::open(fd, LOCK_KIND, "Lock")?;
        Ok(Self { region })
    }
}

/// Holds a [`Lock`] (or the lock of a `Value`, an `Array`) until dropped. Not
/// `Send`: a pthread mutex is unlocked by the thread that locked it.
pub struct LockGuard<'a> {
    mutex: &'a RobustMutex,
    _not_send: PhantomData<*const ()>,
}

impl LockGuard<'_> {
    fn mark_repaired(&self) {
        self.mutex.mark_repaired();
    }
}

impl Drop for LockGuard<'_> {
    fn drop(&mut self) {
        self.mutex.unlock();
    }
}

impl fmt::Debug for LockGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockGuard").finish_non_exhaustive()
    }
}

/// A guard that holds a process lock: [`LockGuard`] and the guards built on it.
/// Sealed.
pub trait Guard: share::private::Sealed {
    /// The lock guard inside.
    #[doc(hidden)]
    fn lock_guard(&self) -> &LockGuard<'_>;
}

impl share::private::Sealed for LockGuard<'_> {}

impl Guard for LockGuard<'_> {
    fn lock_guard(&self) -> &LockGuard<'_> {
        self
    }
}

/// Why a lock call gave no ordinary guard.
pub enum LockError<G> {
    /// A holder died holding the lock, and nobody has recovered it since. The
    /// caller holds it now, through the guard inside: repair what the lock guards,
    /// then [`OwnerDied::recover`]. Dropping this without recovering releases the
    /// lock still poisoned: the next locker is told the same.
    OwnerDied(OwnerDied<G>),
    /// This thread holds the lock already.
    WouldDeadlock,
    /// The system refused the call (the lock's memory is corrupt).
    Os(io::Error),
}

/// The lock, taken from a holder that died holding it; see
/// [`LockError::OwnerDied`].
pub struct OwnerDied<G> {
    pid: Option<u32>,
    guard: G,
}

impl<G: Guard> OwnerDied<G> {
    /// The process id of the holder that died, when it had recorded it (a holder
    /// killed in the instant between taking the lock and writing its id has not).
    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// The guard, to look at or repair the state the dead holder left, before
    /// [`OwnerDied::recover`].
    pub fn guard(&mut self) -> &mut G {
        &mut self.guard
    }

    /// Marks the state the lock guards as repaired and returns the guard: the lock
    /// works as before for everyone.
    pub fn recover(self) -> G {
        self.guard.lock_guard().mark_repaired();
        self.guard
    }
}

impl<G> LockError<G> {
    /// Applies `f` to the guard inside, if there is one: how the guards built on
    /// [`LockGuard`] make their own errors.
    pub(crate) fn map<H>(self, f: impl FnOnce(G) -> H) -> LockError<H> {
        match self {
            Self::OwnerDied(OwnerDied { pid, guard }) => LockError::OwnerDied(OwnerDied {
                pid,
                guard: f(guard),
            }),
            Self::WouldDeadlock => LockError::WouldDeadlock,
            Self::Os(e) => LockError::Os(e),
        }
    }
}

impl<G> fmt::Display for LockError<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OwnerDied(died) => match died.pid {
                Some(pid) => write!(f, "process {pid} died holding the lock"),
                None => f.write_str("a process died holding the lock"),
            },
            Self::WouldDeadlock => f.write_str("this thread already holds the lock"),
            Self::Os(e) => write!(f, "the lock failed: {e}"),
        }
    }
}

impl<G> fmt::Debug for LockError<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OwnerDied(died) => f.debug_tuple("OwnerDied").field(&died.pid).finish(),
            Self::WouldDeadlock => f.write_str("WouldDeadlock"),
            Self::Os(e) => f.debug_tuple("Os").field(e).finish(),
        }
    }
}

impl<G> std::error::Error for LockError<G> {}

impl<G> fmt::Debug for OwnerDied<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnerDied")
            .field("pid", &self.pid)
            .finish_non_exhaustive()
    }
}

/// The kind tag of a plain lock's region.
const LOCK_KIND: u64 = shm::kind(1, 0);

/// Bytes a locked region's mutex takes at the start of its body: whatever follows
/// starts 64-byte aligned.
pub(crate) const MUTEX_SPACE: usize = size_of::<RobustMutex>().next_multiple_of(64);

/// A new region for `kind`, holding `len` elements in `body` bytes after an
/// initialised mutex.
pub(crate) fn locked_region(kind: u64, len: u64, body: usize) -> io::Result<Region> {
    let region = Region::create(kind, len, MUTEX_SPACE + body)?;
    // SAFETY: the region is new and not shared yet; a fresh memfd is zeroed.
    unsafe { mutex_of(&region).init()? };
    Ok(region)
}

/// The mutex at the start of a locked region's body.
pub(crate) fn mutex_of(region: &Region) -> &RobustMutex {
    // SAFETY: every locked region is made by `locked_region` (or checked by kind
    // when opened), so its body starts with an initialised mutex, 64-byte aligned.
    unsafe { region.at::<RobustMutex>(0) }
}

/// A blocking lock call's result: it cannot come back with the lock still held,
/// and if the system ever said so, that is an error, not a guard.
pub(crate) fn blocking<G>(taken: TryLockResult<G>) -> LockResult<G> {
    taken?.ok_or_else(|| {
        LockError::Os(io::Error::other(
            "the system said the lock was busy to a call that waits for it",
        ))
    })
}

/// Takes the lock at the start of a locked region, waiting as `wait` allows: a
/// guard, `None` (still held), or the error.
pub(crate) fn acquire(region: &Region, wait: Wait) -> TryLockResult<LockGuard<'_>> {
    let mutex = mutex_of(region);
    let outcome = mutex.acquire(wait);
    let guard = || LockGuard {
        mutex,
        _not_send: PhantomData,
    };
    match outcome {
        Ok(Locked::Clean) => Ok(Some(guard())),
        Ok(Locked::Busy) => Ok(None),
        Ok(Locked::OwnerDied(pid)) => Err(LockError::OwnerDied(OwnerDied {
            pid,
            guard: guard(),
        })),
        Err(Refused::WouldDeadlock) => Err(LockError::WouldDeadlock),
        Err(Refused::Os(e)) => Err(LockError::Os(e)),
    }
}
