//! [`Value`] and [`Array`]: plain numbers in shared memory, each with its own
//! process [`Lock`](super::Lock), and [`RawValue`] and [`RawArray`] without one:
//! Python's `multiprocessing.Value`, `Array`, and their `lock=False` forms.
//!
//! Every element is read and written as one atomic access, so a read never sees
//! half a write, in any process. That is all they promise without the lock: a
//! read-modify-write (`v.value += 1`) of a process and another's can interleave and
//! lose an update, exactly as in Python. Under the lock ([`Value::lock`]) it cannot.

use crate::sync::shared_atomic::{self as atomic, Ordering::Relaxed};
use std::fmt;
use std::io;
use std::marker::PhantomData;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::time::Duration;

use super::lock::{self, Guard, LockGuard, LockResult, MUTEX_SPACE, TryLockResult};
use super::mutex::Wait;
use super::share::{self, Share};
use super::shm::{self, Region};

/// A type that can live in a [`Value`] or [`Array`]: the integers, `f32`, `f64`
/// and `bool`, each stored as the atomic of its size. Sealed.
pub trait Plain: Copy + Send + Sync + fmt::Debug + 'static + share::private::Sealed {
    /// The atomic that stores it.
    #[doc(hidden)]
    type Atom: Sync;
    /// Python's `array` type code for it (`i` for `i32`, `d` for `f64`), which tells
    /// a process that inherits a region which element type it holds.
    #[doc(hidden)]
    const CODE: u8;
    /// One atomic read.
    #[doc(hidden)]
    fn load(atom: &Self::Atom) -> Self;
    /// One atomic write.
    #[doc(hidden)]
    fn store(atom: &Self::Atom, value: Self);
}

macro_rules! plain {
    ($($ty:ty => $atom:ty, $code:literal, $from:expr, $into:expr;)*) => {$(
        impl share::private::Sealed for $ty {}
        impl Plain for $ty {
            type Atom = $atom;
            const CODE: u8 = $code;
            fn load(atom: &$atom) -> Self {
                ($from)(atom.load(Relaxed))
            }
            fn store(atom: &$atom, value: Self) {
                atom.store(($into)(value), Relaxed);
            }
        }
    )*};
}

plain! {
    i8 => atomic::AtomicI8, b'b', |v| v, |v| v;
    u8 => atomic::AtomicU8, b'B', |v| v, |v| v;
    i16 => atomic::AtomicI16, b'h', |v| v, |v| v;
    u16 => atomic::AtomicU16, b'H', |v| v, |v| v;
    i32 => atomic::AtomicI32, b'i', |v| v, |v| v;
    u32 => atomic::AtomicU32, b'I', |v| v, |v| v;
    i64 => atomic::AtomicI64, b'q', |v| v, |v| v;
    u64 => atomic::AtomicU64, b'Q', |v| v, |v| v;
    isize => atomic::AtomicIsize, b'n', |v| v, |v| v;
    usize => atomic::AtomicUsize, b'N', |v| v, |v| v;
    f32 => atomic::AtomicU32, b'f', f32::from_bits, f32::to_bits;
    f64 => atomic::AtomicU64, b'd', f64::from_bits, f64::to_bits;
    bool => atomic::AtomicBool, b'?', |v| v, |v| v;
}

/// One number in shared memory with its own process lock: Python's
/// `multiprocessing.Value`. [`Value::load`] and [`Value::store`] are single atomic
/// accesses; a read-modify-write takes [`Value::lock`].
///
/// ```
/// use sync_kit::process::Value;
///
/// let counter = Value::new(0_i32).expect("shared memory");
/// {
///     let mut guard = counter.lock().expect("nobody died holding it");
///     let seen = guard.get();
///     guard.set(seen + 1);
/// }
/// assert_eq!(counter.load(), 1);
/// ```
pub struct Value<T: Plain> {
    cells: Cells<T>,
}

/// One number in shared memory with no lock: `multiprocessing.Value(..., lock=False)`,
/// or `RawValue`.
pub struct RawValue<T: Plain> {
    cells: Cells<T>,
}

/// Numbers in shared memory with one process lock for all of them: Python's
/// `multiprocessing.Array`. Indexing past the end panics, as a slice does.
///
/// ```
/// use sync_kit::process::Array;
///
/// let array = Array::new(&[0_i32, 1, 2, 3]).expect("shared memory");
/// {
///     let mut guard = array.lock().expect("nobody died holding it");
///     let first = guard.get(0);
///     guard.set(0, first + 1);
/// }
/// assert_eq!(array.to_vec(), [1, 1, 2, 3]);
/// ```
pub struct Array<T: Plain> {
    cells: Cells<T>,
}

/// Numbers in shared memory with no lock: `multiprocessing.Array(..., lock=False)`,
/// or `RawArray`.
pub struct RawArray<T: Plain> {
    cells: Cells<T>,
}

impl<T: Plain> Value<T> {
    /// A new value in a shared-memory region of its own.
    ///
    /// # Errors
    ///
    /// The system refused the memfd, its size, the mapping or the mutex.
    pub fn new(value: T) -> io::Result<Self> {
        Cells::create(VALUE, &[value]).map(|cells| Self { cells })
    }
}

impl<T: Plain> RawValue<T> {
    /// A new value in a shared-memory region of its own.
    ///
    /// # Errors
    ///
    /// The system refused the memfd, its size or the mapping.
    pub fn new(value: T) -> io::Result<Self> {
        Cells::create(RAW_VALUE, &[value]).map(|cells| Self { cells })
    }
}

impl<T: Plain> Array<T> {
    /// A new array holding `values`, in a shared-memory region of its own.
    ///
    /// # Errors
    ///
    /// The system refused the memfd, its size, the mapping or the mutex.
    pub fn new(values: &[T]) -> io::Result<Self> {
        Cells::create(ARRAY, values).map(|cells| Self { cells })
    }
}

impl<T: Plain> RawArray<T> {
    /// A new array holding `values`, in a shared-memory region of its own.
    ///
    /// # Errors
    ///
    /// The system refused the memfd, its size or the mapping.
    pub fn new(values: &[T]) -> io::Result<Self> {
        Cells::create(RAW_ARRAY, values).map(|cells| Self { cells })
    }
}

/// The accesses without the lock, the same for a value with one and without.
macro_rules! value_access {
    ($($ty:ident),*) => {$(
        impl<T: Plain> $ty<T> {
            /// Reads the value (one atomic read; no lock).
            pub fn load(&self) -> T {
                self.cells.load(0)
            }

            /// Writes the value (one atomic write; no lock).
            pub fn store(&self, value: T) {
                self.cells.store(0, value);
            }
        }
    )*};
}

value_access!(Value, RawValue);

/// The accesses without the lock, the same for an array with one and without.
macro_rules! array_access {
    ($($ty:ident),*) => {$(
        impl<T: Plain> $ty<T> {
            /// How many elements it holds.
            pub fn len(&self) -> usize {
                self.cells.len
            }

            /// Whether it holds none.
            pub fn is_empty(&self) -> bool {
                self.cells.len == 0
            }

            /// Reads element `index` (one atomic read; no lock).
            ///
            /// # Panics
            ///
            /// If `index` is not below the array's length.
            pub fn load(&self, index: usize) -> T {
                self.cells.load(index)
            }

            /// Writes element `index` (one atomic write; no lock).
            ///
            /// # Panics
            ///
            /// If `index` is not below the array's length.
            pub fn store(&self, index: usize, value: T) {
                self.cells.store(index, value);
            }

            /// Every element, each read atomically but not all at one instant (no
            /// lock): Python's `array[:]`.
            pub fn to_vec(&self) -> Vec<T> {
                self.cells.to_vec()
            }
        }
    )*};
}

array_access!(Array, RawArray);

/// The lock calls of the two that have a lock, each giving its own guard.
macro_rules! lock_calls {
    ($($ty:ident => $guard:ident),*) => {$(
        impl<T: Plain> $ty<T> {
            /// Waits for the lock: Python's `with x.get_lock():`.
            ///
            /// # Errors
            ///
            /// As for [`Lock::lock`](super::Lock::lock).
            pub fn lock(&self) -> LockResult<$guard<'_, T>> {
                lock::blocking(self.try_lock_with(Wait::Forever))
            }

            /// Takes the lock if it is free.
            ///
            /// # Errors
            ///
            /// As for [`Lock::lock`](super::Lock::lock).
            pub fn try_lock(&self) -> TryLockResult<$guard<'_, T>> {
                self.try_lock_with(Wait::No)
            }

            /// Waits at most `timeout` for the lock.
            ///
            /// # Errors
            ///
            /// As for [`Lock::lock`](super::Lock::lock).
            pub fn lock_timeout(&self, timeout: Duration) -> TryLockResult<$guard<'_, T>> {
                self.try_lock_with(Wait::at_most(timeout))
            }

            fn try_lock_with(&self, wait: Wait) -> TryLockResult<$guard<'_, T>> {
                self.cells.attempt(wait, |lock| $guard {
                    lock,
                    cells: &self.cells,
                })
            }
        }
    )*};
}

lock_calls!(Value => ValueGuard, Array => ArrayGuard);

/// Holds a [`Value`]'s lock; reads and writes the value meanwhile.
pub struct ValueGuard<'a, T: Plain> {
    lock: LockGuard<'a>,
    cells: &'a Cells<T>,
}

impl<T: Plain> ValueGuard<'_, T> {
    /// The value.
    pub fn get(&self) -> T {
        self.cells.load(0)
    }

    /// Replaces the value.
    pub fn set(&mut self, value: T) {
        self.cells.store(0, value);
    }
}

/// Holds an [`Array`]'s lock; reads and writes its elements meanwhile.
pub struct ArrayGuard<'a, T: Plain> {
    lock: LockGuard<'a>,
    cells: &'a Cells<T>,
}

impl<T: Plain> ArrayGuard<'_, T> {
    /// Element `index`.
    ///
    /// # Panics
    ///
    /// If `index` is not below the array's length.
    pub fn get(&self, index: usize) -> T {
        self.cells.load(index)
    }

    /// Replaces element `index`.
    ///
    /// # Panics
    ///
    /// If `index` is not below the array's length.
    pub fn set(&mut self, index: usize, value: T) {
        self.cells.store(index, value);
    }

    /// Every element, as they are while the lock is held.
    pub fn to_vec(&self) -> Vec<T> {
        self.cells.to_vec()
    }
}

macro_rules! guard_and_share {
    ($($guard:ident),*; $($ty:ident => $kind:ident, $what:literal),*) => {
        $(
            impl<T: Plain> share::private::Sealed for $guard<'_, T> {}
            impl<T: Plain> Guard for $guard<'_, T> {
                fn lock_guard(&self) -> &LockGuard<'_> {
                    &self.lock
                }
            }
            impl<T: Plain> fmt::Debug for $guard<'_, T> {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.debug_struct(stringify!($guard))
                        .field("values", &self.cells.to_vec())
                        .finish()
                }
            }
        )*
        $(
            impl<T: Plain> share::private::Sealed for $ty<T> {}
            impl<T: Plain> Share for $ty<T> {
                fn descriptors(&self) -> Vec<BorrowedFd<'_>> {
                    vec![self.cells.region.as_fd()]
                }
                fn from_descriptors(fds: Vec<OwnedFd>, _: &str) -> io::Result<Self> {
                    let [fd] = share::exactly(fds, $what)?;
                    Cells::open(fd, $kind, $what).map(|cells| Self { cells })
                }
            }
            impl<T: Plain> fmt::Debug for $ty<T> {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.debug_struct(stringify!($ty))
                        .field("values", &self.cells.to_vec())
                        .finish()
                }
            }
        )*
    };
}

guard_and_share!(ValueGuard, ArrayGuard;
    Value => VALUE, "Value", RawValue => RAW_VALUE, "RawValue",
    Array => ARRAY, "Array", RawArray => RAW_ARRAY, "RawArray");

/// Which of the four a region is, and whether it opens with a lock.
#[derive(Clone, Copy)]
struct Shape {
    tag: u32,
    locked: bool,
}

const VALUE: Shape = Shape {
    tag: 2,
    locked: true,
};
const RAW_VALUE: Shape = Shape {
    tag: 3,
    locked: false,
};
const ARRAY: Shape = Shape {
    tag: 4,
    locked: true,
};
const RAW_ARRAY: Shape = Shape {
    tag: 5,
    locked: false,
};

/// The elements of any of the four, in shared memory, after the mutex if it has
/// one.
struct Cells<T: Plain> {
    region: Region,
    start: usize,
    len: usize,
    _type: PhantomData<T>,
}

impl<T: Plain> Cells<T> {
    fn create(shape: Shape, values: &[T]) -> io::Result<Self> {
        let kind = kind::<T>(shape);
        let body = size_of::<T::Atom>() * values.len();
        let (region, start) = if shape.locked {
            (
                lock::locked_region(kind, values.len() as u64, body)?,
                MUTEX_SPACE,
            )
        } else {
            (Region::create(kind, values.len() as u64, body)?, 0)
        };
        let cells = Self {
            region,
            start,
            len: values.len(),
            _type: PhantomData,
        };
        for (index, &value) in values.iter().enumerate() {
            cells.store(index, value);
        }
        Ok(cells)
    }

    fn open(fd: OwnedFd, shape: Shape, what: &str) -> io::Result<Self> {
        let (region, len) = Region::open(fd, kind::<T>(shape), what)?;
        let start = if shape.locked { MUTEX_SPACE } else { 0 };
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        let fits = len
            .checked_mul(size_of::<T::Atom>())
            .and_then(|bytes| bytes.checked_add(start))
            .is_some_and(|end| end <= region.body_len());
        if !fits {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the {what} shared says it holds {len} elements, more than its memory"),
            ));
        }
        Ok(Self {
            region,
            start,
            len,
            _type: PhantomData,
        })
    }

    fn atom(&self, index: usize) -> &T::Atom {
        assert!(
            index < self.len,
            "index out of bounds: the len is {} but the index is {index}",
            self.len
        );
        // SAFETY: in bounds (checked above, and against the region's size when it
        // was opened); `start` is 64-byte aligned and every atomic's alignment is
        // its size, so element `index` is aligned; atomics are valid for any bits.
        unsafe { self.region.at(self.start + index * size_of::<T::Atom>()) }
    }

    fn load(&self, index: usize) -> T {
        T::load(self.atom(index))
    }

    fn store(&self, index: usize, value: T) {
        T::store(self.atom(index), value);
    }

    fn to_vec(&self) -> Vec<T> {
        (0..self.len).map(|index| self.load(index)).collect()
    }

    fn attempt<'a, G>(
        &'a self,
        wait: Wait,
        guard: impl FnOnce(LockGuard<'a>) -> G,
    ) -> TryLockResult<G> {
        match lock::acquire(&self.region, wait) {
            Ok(taken) => Ok(taken.map(guard)),
            Err(error) => Err(error.map(guard)),
        }
    }
}

/// The kind tag of a region of `T`s shaped `shape`.
fn kind<T: Plain>(shape: Shape) -> u64 {
    shm::kind(shape.tag << 8 | u32::from(T::CODE), size_of::<T::Atom>())
}
