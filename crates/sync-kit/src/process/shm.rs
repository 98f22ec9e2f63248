//! Shared memory: a memfd mapped into every process that shares it, opening with a
//! header that says what the region holds, so a process that inherits it can check
//! it got what it asked for.

use crate::sync::shared_atomic::{AtomicU64, Ordering};
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};

use memmap2::MmapRaw;

/// The first bytes of every region: a magic number, what kind of primitive it is
/// (with the size of its element type, so `Value<u32>` is not read as `Value<u64>`),
/// and how many elements it holds.
#[repr(C)]
struct Header {
    magic: AtomicU64,
    kind: AtomicU64,
    len: AtomicU64,
}

const MAGIC: u64 = u64::from_le_bytes(*b"synckit1");

/// Where a region's contents start: past the header, aligned for anything.
const BODY: usize = 64;

/// A shared-memory region, mapped read-write and shared; unmapped on drop (the
/// memory lives on while any process maps it or holds its memfd).
#[derive(Debug)]
pub(crate) struct Region {
    map: MmapRaw,
    fd: OwnedFd,
}

impl Region {
    /// A new zeroed region of `body` bytes (after the header), marked with `kind`
    /// and `len`. The memfd is closed on exec, like every descriptor here.
    pub(crate) fn create(kind: u64, len: u64, body: usize) -> io::Result<Self> {
        let fd = rustix::fs::memfd_create("sync-kit", rustix::fs::MemfdFlags::CLOEXEC)?;
        let file = File::from(fd);
        file.set_len((BODY + body) as u64)?;
        let map = MmapRaw::map_raw(&file)?;
        let region = Self {
            map,
            fd: file.into(),
        };
        let header = region.header();
        header.kind.store(kind, Ordering::Relaxed);
        header.len.store(len, Ordering::Relaxed);
        header.magic.store(MAGIC, Ordering::Release);
        Ok(region)
    }

    /// Maps a region another process created, checking that it holds `kind`;
    /// returns it with its element count.
    pub(crate) fn open(fd: OwnedFd, kind: u64, what: &str) -> io::Result<(Self, u64)> {
        let file = File::from(fd);
        let size = file.metadata()?.len();
        if size < BODY as u64 {
            return Err(not_a(what));
        }
        let map = MmapRaw::map_raw(&file)?;
        let region = Self {
            map,
            fd: file.into(),
        };
        let header = region.header();
        if header.magic.load(Ordering::Acquire) != MAGIC
            || header.kind.load(Ordering::Relaxed) != kind
        {
            return Err(not_a(what));
        }
        let len = header.len.load(Ordering::Relaxed);
        Ok((region, len))
    }

    /// The region's contents: `body` bytes, 64-byte aligned.
    pub(crate) fn body(&self) -> *mut u8 {
        // SAFETY: the mapping is at least BODY bytes long (checked or made so).
        unsafe { self.map.as_mut_ptr().add(BODY) }
    }

    /// The number of bytes after the header.
    pub(crate) fn body_len(&self) -> usize {
        self.map.len() - BODY
    }

    fn header(&self) -> &Header {
        // SAFETY: the mapping is page-aligned and at least BODY bytes, and Header is
        // three atomics, valid for any bit pattern, only ever accessed atomically.
        unsafe { &*self.map.as_ptr().cast::<Header>() }
    }

    /// A reference to a `T` at `offset` bytes into the body.
    ///
    /// # Safety
    ///
    /// `offset` must be aligned for `T` and `T` must fit in the body there; `T` must
    /// be valid for any bits shared memory may hold (atomics, or a type only ever
    /// touched through functions that keep it valid, like a pthread mutex).
    // SAFETY: an unsafe fn; its callers keep the contract above.
    pub(crate) unsafe fn at<T>(&self, offset: usize) -> &T {
        debug_assert!(offset + size_of::<T>() <= self.body_len());
        debug_assert_eq!(offset % align_of::<T>(), 0);
        // SAFETY: as the caller promised.
        unsafe { &*self.body().add(offset).cast::<T>() }
    }
}

impl AsFd for Region {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

fn not_a(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the descriptor shared is not a {what}"),
    )
}

/// The kind tag of a primitive whose elements are `size` bytes: `tag` in the high
/// half, the size in the low.
pub(crate) const fn kind(tag: u32, size: usize) -> u64 {
    ((tag as u64) << 32) | size as u64
}
