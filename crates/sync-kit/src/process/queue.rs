//! [`Queue`]: Python's `multiprocessing.Queue`, as a ring of postcard frames in
//! shared memory behind a robust process lock, so that a process killed in the
//! middle of a `put` or a `get` tears no item and blocks nobody.
//!
//! An item is in the queue once the ring's tail has moved past it, one store made
//! after its bytes are written; it is out once the head has moved past it, one
//! store made after its bytes are read. A process that dies before that store
//! leaves the ring as it was: the next locker is told the holder died, counts the
//! items again from the ring itself, wakes every waiter, and goes on. Waiters sleep
//! on futexes in the shared memory, and look again at least every
//! [`RECHECK`] in case a process died between its change and its wake-up call.

use crate::sync::shared_atomic::{AtomicU32, AtomicU64, Ordering::Relaxed};
use std::fmt;
use std::io;
use std::marker::PhantomData;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::time::{Duration, Instant};

use rustix::thread::futex;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::lock::{self, LockError, LockGuard, MUTEX_SPACE};
use super::mutex::Wait;
use super::share::{self, Share};
use super::shm::{self, Region};
use super::wire;

/// How long a waiter sleeps at most before it looks at the ring again.
pub const RECHECK: Duration = Duration::from_millis(50);

/// The ring's bytes when none are asked for: room for many small items.
const DEFAULT_BYTES: usize = 1 << 20;

/// A first-in first-out queue between processes: any number of them put and get,
/// each item exactly once. Items are any serde type, sent as postcard.
///
/// Bounded ([`Queue::bounded`]) to a number of items like Python's
/// `Queue(maxsize)`, or not ([`Queue::new`]); either way its items live in a ring
/// of a fixed number of bytes (a MiB unless [`Queue::with_bytes`] says), and `put`
/// waits while the ring has no room for the next one. Every blocking call has a
/// `try_` and a `_timeout` form.
///
/// ```
/// use sync_kit::process::Queue;
///
/// let queue = Queue::bounded(2).expect("shared memory");
/// queue.put(&"a".to_owned()).expect("room");
/// queue.put(&"b".to_owned()).expect("room");
/// assert!(queue.try_put(&"c".to_owned()).is_err(), "full at two items");
/// assert_eq!(queue.get().expect("an item"), "a");
/// assert_eq!(queue.len(), 1);
/// ```
pub struct Queue<T> {
    region: Region,
    _items: PhantomData<fn(T) -> T>,
}

/// Why a queue call gave no item, or took none.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QueueError {
    /// A `try_put` or `put_timeout` found no room (Python's `queue.Full`).
    #[error("the queue is full")]
    Full,
    /// A `try_get` or `get_timeout` found no item (Python's `queue.Empty`).
    #[error("the queue is empty")]
    Empty,
    /// The item's frame is bigger than the whole ring: it could never be put.
    #[error("an item of {len} bytes cannot fit a queue of {capacity} bytes")]
    TooLarge {
        /// The item's frame, in bytes.
        len: usize,
        /// The ring's size, in bytes.
        capacity: usize,
    },
    /// The item could not be encoded, or the bytes taken are not a `T`.
    #[error("{0}")]
    Codec(io::Error),
    /// The queue's lock failed (its memory is corrupt).
    #[error("{0}")]
    Lock(String),
}

/// The ring's bookkeeping, after the mutex in the shared region.
#[repr(C)]
struct Ring {
    /// Byte position of the first item (counts up for ever; modulo the size).
    head: AtomicU64,
    /// Byte position past the last item.
    tail: AtomicU64,
    /// Items between head and tail.
    count: AtomicU64,
    /// The most items at once; 0 for no limit.
    maxsize: AtomicU64,
    /// The ring's size in bytes.
    capacity: AtomicU64,
    /// How many times a process found a holder dead and repaired the ring.
    repairs: AtomicU64,
    /// Bumped by every put: getters sleep on it.
    put_seq: AtomicU32,
    /// Bumped by every get: putters sleep on it.
    got_seq: AtomicU32,
    /// Getters and putters asleep (or dead while asleep: then only a spare wake).
    getters: AtomicU32,
    putters: AtomicU32,
}

/// Where the ring's bytes start in the body.
const DATA: usize = MUTEX_SPACE + size_of::<Ring>().next_multiple_of(64);

const QUEUE_KIND: u64 = shm::kind(6, 0);

impl<T: Serialize + DeserializeOwned> Queue<T> {
    /// A queue with no limit on its number of items.
    ///
    /// # Errors
    ///
    /// The system refused the shared memory or the lock.
    pub fn new() -> io::Result<Self> {
        Self::with_bytes(None, DEFAULT_BYTES)
    }

    /// A queue that holds at most `maxsize` items.
    ///
    /// # Errors
    ///
    /// As for [`Queue::new`].
    pub fn bounded(maxsize: usize) -> io::Result<Self> {
        Self::with_bytes(Some(maxsize), DEFAULT_BYTES)
    }

    /// A queue of at most `maxsize` items (`None`: no limit) in a ring of `bytes`
    /// bytes (each item takes its postcard encoding plus 4).
    ///
    /// # Errors
    ///
    /// A `maxsize` of 0 or fewer than 8 `bytes`, or as for [`Queue::new`].
    pub fn with_bytes(maxsize: Option<usize>, bytes: usize) -> io::Result<Self> {
        if maxsize == Some(0) || bytes < 8 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a queue holds at least one item, in at least 8 bytes",
            ));
        }
        let region = lock::locked_region(QUEUE_KIND, bytes as u64, DATA - MUTEX_SPACE + bytes)?;
        let queue = Self {
            region,
            _items: PhantomData,
        };
        let ring = queue.ring();
        ring.capacity.store(bytes as u64, Relaxed);
        ring.maxsize.store(maxsize.unwrap_or(0) as u64, Relaxed);
        Ok(queue)
    }

    /// Puts `item` at the back, waiting for room.
    ///
    /// # Errors
    ///
    /// [`QueueError::TooLarge`], [`QueueError::Codec`] or [`QueueError::Lock`].
    pub fn put(&self, item: &T) -> Result<(), QueueError> {
        self.put_until(item, Wait::Forever)
    }

    /// Puts `item` at the back if there is room now.
    ///
    /// # Errors
    ///
    /// [`QueueError::Full`], or as for [`Queue::put`].
    pub fn try_put(&self, item: &T) -> Result<(), QueueError> {
        self.put_until(item, Wait::No)
    }

    /// Puts `item` at the back, waiting at most `timeout` for room.
    ///
    /// # Errors
    ///
    /// [`QueueError::Full`], or as for [`Queue::put`].
    pub fn put_timeout(&self, item: &T, timeout: Duration) -> Result<(), QueueError> {
        self.put_until(item, Wait::at_most(timeout))
    }

    /// Takes the item at the front, waiting for one.
    ///
    /// # Errors
    ///
    /// [`QueueError::Codec`] (the bytes are not a `T`) or [`QueueError::Lock`].
    pub fn get(&self) -> Result<T, QueueError> {
        self.get_until(Wait::Forever)
    }

    /// Takes the item at the front if there is one now.
    ///
    /// # Errors
    ///
    /// [`QueueError::Empty`], or as for [`Queue::get`].
    pub fn try_get(&self) -> Result<T, QueueError> {
        self.get_until(Wait::No)
    }

    /// Takes the item at the front, waiting at most `timeout` for one.
    ///
    /// # Errors
    ///
    /// [`QueueError::Empty`], or as for [`Queue::get`].
    pub fn get_timeout(&self, timeout: Duration) -> Result<T, QueueError> {
        self.get_until(Wait::at_most(timeout))
    }

    /// How many items it holds now (Python's `qsize()`).
    pub fn len(&self) -> usize {
        self.ring().count.load(Relaxed) as usize
    }

    /// Whether it holds no item now.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many times a process found the queue's lock held by a dead process
    /// and put the ring back in order: a `put` or `get` cut short by a death.
    pub fn repairs(&self) -> u64 {
        self.ring().repairs.load(Relaxed)
    }

    /// For fault-injection tests and demonstrations: takes the lock, writes half
    /// of `item`'s frame where a `put` would, calls `stalled`, and sleeps holding
    /// the lock until the process is killed, as a producer killed in the middle of
    /// its `put` would leave the ring. Never returns but with an error.
    #[doc(hidden)]
    pub fn stall_mid_put(&self, item: &T, stalled: impl FnOnce()) -> QueueError {
        let mut frame = Vec::new();
        if let Err(e) = wire::try_encode_frame(item, &mut frame) {
            return QueueError::Codec(e);
        }
        let _guard = match self.lock(Wait::Forever) {
            Ok(Some(guard)) => guard,
            Ok(None) => return QueueError::Lock("a lock that waits came back without it".into()),
            Err(e) => return e,
        };
        let tail = self.ring().tail.load(Relaxed);
        self.write_at(tail, &frame[..frame.len() / 2]);
        stalled();
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }

    /// For fault-injection tests: takes the lock, reads half of the front item
    /// as a `get` would, calls `stalled`, and sleeps holding the lock until the
    /// process is killed.
    #[doc(hidden)]
    pub fn stall_mid_get(&self, stalled: impl FnOnce()) -> QueueError {
        let _guard = match self.lock(Wait::Forever) {
            Ok(Some(guard)) => guard,
            Ok(None) => return QueueError::Lock("a lock that waits came back without it".into()),
            Err(e) => return e,
        };
        let mut half = [0_u8; 2];
        self.read_at(self.ring().head.load(Relaxed), &mut half);
        stalled();
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }

    fn put_until(&self, item: &T, wait: Wait) -> Result<(), QueueError> {
        let mut frame = Vec::new();
        wire::try_encode_frame(item, &mut frame).map_err(QueueError::Codec)?;
        let ring = self.ring();
        let capacity = ring.capacity.load(Relaxed);
        if frame.len() as u64 > capacity {
            return Err(QueueError::TooLarge {
                len: frame.len(),
                capacity: capacity as usize,
            });
        }
        loop {
            let Some(guard) = self.lock(wait)? else {
                return Err(QueueError::Full);
            };
            let (head, tail) = (ring.head.load(Relaxed), ring.tail.load(Relaxed));
            let count = ring.count.load(Relaxed);
            let maxsize = ring.maxsize.load(Relaxed);
            let room =
                (maxsize == 0 || count < maxsize) && capacity - (tail - head) >= frame.len() as u64;
            if room {
                self.write_at(tail, &frame);
                ring.tail.store(tail + frame.len() as u64, Relaxed);
                ring.count.store(count + 1, Relaxed);
                announce(guard, &ring.put_seq, &ring.getters);
                return Ok(());
            }
            if !await_change(guard, &ring.got_seq, &ring.putters, wait) {
                return Err(QueueError::Full);
            }
        }
    }

    fn get_until(&self, wait: Wait) -> Result<T, QueueError> {
        let ring = self.ring();
        loop {
            let Some(guard) = self.lock(wait)? else {
                return Err(QueueError::Empty);
            };
            let (head, tail) = (ring.head.load(Relaxed), ring.tail.load(Relaxed));
            if head != tail {
                let mut len = [0_u8; 4];
                self.read_at(head, &mut len);
                let len = u64::from(u32::from_le_bytes(len));
                if 4 + len > tail - head {
                    return Err(QueueError::Codec(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "the queue's memory is corrupt: an item runs past its tail",
                    )));
                }
                let mut body = vec![0_u8; len as usize];
                self.read_at(head + 4, &mut body);
                ring.head.store(head + 4 + len, Relaxed);
                ring.count.fetch_sub(1, Relaxed);
                announce(guard, &ring.got_seq, &ring.putters);
                return wire::decode(&body).map_err(QueueError::Codec);
            }
            if !await_change(guard, &ring.put_seq, &ring.getters, wait) {
                return Err(QueueError::Empty);
            }
        }
    }

    /// Takes the lock, waiting as `wait` allows (`None` when it stayed held),
    /// and repairs the ring first if its last holder died.
    fn lock(&self, wait: Wait) -> Result<Option<LockGuard<'_>>, QueueError> {
        match lock::acquire(&self.region, wait) {
            Ok(guard) => Ok(guard),
            Err(LockError::OwnerDied(died)) => {
                self.repair();
                Ok(Some(died.recover()))
            }
            Err(other) => Err(QueueError::Lock(other.to_string())),
        }
    }

    /// Puts the ring back in order after a holder died: the head and tail were
    /// moved last, so the items between them are whole; counts them again and
    /// wakes everyone asleep, who may have missed a wake-up the dead one owed.
    fn repair(&self) {
        let ring = self.ring();
        let (head, tail) = (ring.head.load(Relaxed), ring.tail.load(Relaxed));
        let mut count = 0;
        let mut at = head;
        while at < tail {
            let mut len = [0_u8; 4];
            self.read_at(at, &mut len);
            at += 4 + u64::from(u32::from_le_bytes(len));
            count += 1;
        }
        ring.count.store(count, Relaxed);
        ring.repairs.fetch_add(1, Relaxed);
        ring.put_seq.fetch_add(1, Relaxed);
        ring.got_seq.fetch_add(1, Relaxed);
        let _ = futex::wake(&ring.put_seq, futex::Flags::empty(), u32::MAX);
        let _ = futex::wake(&ring.got_seq, futex::Flags::empty(), u32::MAX);
    }

    fn write_at(&self, position: u64, bytes: &[u8]) {
        let (first, second) = self.split(position, bytes.len());
        // SAFETY: `split` keeps both pieces inside the ring's bytes; the caller
        // holds the lock, so no other thread or process touches these bytes, which
        // lie outside head..tail until the tail moves past them.
        unsafe {
            let data = self.region.body().add(DATA);
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), data.add(first.0), first.1);
            std::ptr::copy_nonoverlapping(bytes.as_ptr().add(first.1), data, second);
        }
    }

    fn read_at(&self, position: u64, bytes: &mut [u8]) {
        let (first, second) = self.split(position, bytes.len());
        // SAFETY: as in `write_at`; the bytes lie inside head..tail, which only the
        // lock's holder changes.
        unsafe {
            let data = self.region.body().add(DATA);
            std::ptr::copy_nonoverlapping(data.add(first.0), bytes.as_mut_ptr(), first.1);
            std::ptr::copy_nonoverlapping(data, bytes.as_mut_ptr().add(first.1), second);
        }
    }

    /// Where `len` bytes at `position` lie in the ring: (offset, length) up to its
    /// end, and the length that wraps round to its start.
    fn split(&self, position: u64, len: usize) -> ((usize, usize), usize) {
        let capacity = self.ring().capacity.load(Relaxed) as usize;
        let offset = (position % capacity as u64) as usize;
        let first = len.min(capacity - offset);
        ((offset, first), len - first)
    }

    fn ring(&self) -> &Ring {
        // SAFETY: the region was made (or checked by kind) as a queue: after its
        // mutex comes a Ring, 64-byte aligned, all atomics.
        unsafe { self.region.at::<Ring>(MUTEX_SPACE) }
    }
}

impl<T> fmt::Debug for Queue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue")
            .field("region", &self.region)
            .finish_non_exhaustive()
    }
}

impl<T> share::private::Sealed for Queue<T> {}

impl<T: Serialize + DeserializeOwned> Share for Queue<T> {
    fn descriptors(&self) -> Vec<BorrowedFd<'_>> {
        vec![self.region.as_fd()]
    }

    fn from_descriptors(fds: Vec<OwnedFd>, _: &str) -> io::Result<Self> {
        let [fd] = share::exactly(fds, "Queue")?;
        let (region, bytes) = Region::open(fd, QUEUE_KIND, "Queue")?;
        let fits = usize::try_from(bytes)
            .ok()
            .and_then(|bytes| bytes.checked_add(DATA))
            .is_some_and(|end| end <= region.body_len());
        let queue = Self {
            region,
            _items: PhantomData,
        };
        if !fits || bytes < 8 || queue.ring().capacity.load(Relaxed) != bytes {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the Queue shared says it holds more bytes than its memory",
            ));
        }
        Ok(queue)
    }
}

/// After a put or a get, made under the lock: moves `seq` on and, once the lock is
/// released, wakes one of the other side's `sleepers` if there are any.
fn announce(guard: LockGuard<'_>, seq: &AtomicU32, sleepers: &AtomicU32) {
    seq.fetch_add(1, Relaxed);
    let wake = sleepers.load(Relaxed) > 0;
    drop(guard);
    if wake {
        let _ = futex::wake(seq, futex::Flags::empty(), 1);
    }
}

/// Releases the lock and sleeps, counted among `sleepers`, until `seq` moves on
/// (or the sleep's slice ends); `false` when the wait is over.
fn await_change(guard: LockGuard<'_>, seq: &AtomicU32, sleepers: &AtomicU32, wait: Wait) -> bool {
    let seen = seq.load(Relaxed);
    sleepers.fetch_add(1, Relaxed);
    drop(guard);
    let slept = sleep(seq, seen, wait);
    sleepers.fetch_sub(1, Relaxed);
    slept
}

/// Sleeps while `word` still holds `seen`, for at most [`RECHECK`] and never past
/// the wait's deadline; `false` when the deadline has passed (or there is none to
/// wait for), so the caller gives up.
fn sleep(word: &AtomicU32, seen: u32, wait: Wait) -> bool {
    let slice = match wait {
        Wait::No => return false,
        Wait::Forever => RECHECK,
        Wait::Until(deadline) => {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            left.min(RECHECK)
        }
    };
    if let Ok(timeout) = rustix::time::Timespec::try_from(slice) {
        // Woken, timed out, interrupted, or the word had already changed: the
        // caller looks at the ring again in every case.
        let _ = futex::wait(word, futex::Flags::empty(), seen, Some(&timeout));
    }
    true
}
