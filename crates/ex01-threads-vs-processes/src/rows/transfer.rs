//! Handing data to another worker: a buffer moved to another thread (no copy)
//! against the same bytes written through a pipe to another process, and shared
//! with a thread against shared with a process through a shared memory mapping.
//! The receiver sums every byte each time, so each figure is the hand-over plus
//! the same reading work.

use std::io::{self, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::process::Stdio;
use std::sync::{Arc, mpsc};
use std::time::Instant;

use anyhow::Context;
use rustix::mm::{MapFlags, ProtFlags};
use sync_kit::cli::median;

use super::{Row, Scale, Unit, micros};

/// The sum of `bytes`: the receiver's work, the same on every side.
pub(crate) fn byte_sum(bytes: &[u8]) -> u64 {
    bytes.iter().map(|&b| u64::from(b)).sum()
}

/// The rows for moving and for sharing `MiB` of data.
pub(crate) fn rows(scale: Scale) -> anyhow::Result<Vec<Row>> {
    let mib: usize = scale.pick(8, 64);
    let data: Vec<u8> = (0..mib << 20).map(|i| (i % 251) as u8).collect();
    let expected = byte_sum(&data);
    Ok(vec![
        Row {
            claim: format!("move {mib} MiB to another worker"),
            unit: Unit::Micros,
            threads: micros(median(moved_to_thread(&data, expected, scale.repeat)?)),
            processes: micros(median(piped_to_process(&data, expected, scale.repeat)?)),
            how: Some("(pipe)".into()),
        },
        Row {
            claim: format!("share {mib} MiB with another worker"),
            unit: Unit::Micros,
            threads: micros(median(shared_with_thread(&data, expected, scale.repeat)?)),
            processes: micros(median(mapped_for_process(&data, expected, scale.repeat)?)),
            how: Some("(shared memory)".into()),
        },
    ])
}

type Samples = anyhow::Result<Vec<std::time::Duration>>;

fn moved_to_thread(data: &[u8], expected: u64, repeat: usize) -> Samples {
    to_thread(
        expected,
        repeat,
        || data.to_vec(),
        |buffer| byte_sum(buffer),
    )
}

fn shared_with_thread(data: &[u8], expected: u64, repeat: usize) -> Samples {
    let shared = Arc::new(data.to_vec());
    to_thread(
        expected,
        repeat,
        || Arc::clone(&shared),
        |buffer| byte_sum(buffer),
    )
}

/// Hands `repeat` buffers, each made by `next` before the clock starts, to a thread
/// that answers with `sum` of each; the time of each hand-over and answer.
fn to_thread<B: Send + 'static>(
    expected: u64,
    repeat: usize,
    next: impl Fn() -> B,
    sum: fn(&B) -> u64,
) -> Samples {
    let (send, receive) = mpsc::channel::<B>();
    let (answer, answered) = mpsc::channel();
    let receiver = std::thread::spawn(move || {
        for buffer in receive {
            let _ = answer.send(sum(&buffer));
        }
    });
    let mut samples = Vec::new();
    for _ in 0..repeat {
        let buffer = next();
        let started = Instant::now();
        send.send(buffer)
            .map_err(|_| anyhow::anyhow!("the receiving thread left"))?;
        let total = answered.recv().context("the receiving thread left")?;
        samples.push(started.elapsed());
        anyhow::ensure!(
            total == expected,
            "the bytes sum to {total}, not {expected}"
        );
    }
    drop(send);
    let _ = receiver.join();
    Ok(samples)
}

fn piped_to_process(data: &[u8], expected: u64, repeat: usize) -> Samples {
    let length = (data.len() as u64).to_le_bytes();
    to_process(super::worker_command("sum", &[])?, expected, repeat, |to| {
        to.write_all(&length)?;
        to.write_all(data)
    })
}

fn mapped_for_process(data: &[u8], expected: u64, repeat: usize) -> Samples {
    // No close-on-exec: the worker inherits the memory file and maps it too.
    let file = rustix::fs::memfd_create("ex01-shared", rustix::fs::MemfdFlags::empty())?;
    rustix::fs::ftruncate(&file, data.len() as u64)?;
    let mut mapping = Mapping::<true>::new(file.as_fd(), data.len())?;
    mapping.bytes_mut().copy_from_slice(data);
    let command = super::worker_command("shared", &[file.as_raw_fd().unsigned_abs().into()])?;
    let samples = to_process(command, expected, repeat, |to| to.write_all(b"s"));
    drop(mapping);
    samples
}

/// Starts `command` as a worker and, `repeat` times, sends it a `request` and
/// reads the 8-byte sum it answers with; the time of each request and answer.
fn to_process(
    mut command: std::process::Command,
    expected: u64,
    repeat: usize,
    request: impl Fn(&mut std::process::ChildStdin) -> io::Result<()>,
) -> Samples {
    command.stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut child = command.spawn()?;
    let mut to = child.stdin.take().context("the worker's stdin")?;
    let mut from = child.stdout.take().context("the worker's stdout")?;
    let mut samples = Vec::new();
    for _ in 0..repeat {
        let mut answer = [0u8; 8];
        let started = Instant::now();
        request(&mut to)?;
        from.read_exact(&mut answer)?;
        samples.push(started.elapsed());
        let total = u64::from_le_bytes(answer);
        anyhow::ensure!(
            total == expected,
            "the bytes sum to {total}, not {expected}"
        );
    }
    drop(to);
    child.wait()?;
    Ok(samples)
}

/// The worker's side of the shared-memory row: maps the inherited memory file
/// `fd` and answers each request byte on stdin with the sum of its bytes.
pub(crate) fn serve_shared(numbers: &[u64]) -> io::Result<()> {
    let fd = numbers
        .first()
        .and_then(|&fd| i32::try_from(fd).ok())
        .ok_or_else(|| io::Error::other("shared needs the memory file's descriptor"))?;
    // SAFETY: the parent passed the number of the memory file it left open across
    // exec for this worker, which keeps it open until it exits; the borrow ends
    // before this function returns.
    let file = unsafe { BorrowedFd::borrow_raw(fd) };
    let length = rustix::fs::fstat(file)?.st_size as usize;
    let mapping = Mapping::<false>::new(file, length)?;
    let (mut input, mut output) = (io::stdin().lock(), io::stdout().lock());
    let mut request = [0u8];
    while input.read(&mut request)? == 1 {
        output.write_all(&byte_sum(mapping.bytes()).to_le_bytes())?;
        output.flush()?;
    }
    Ok(())
}

/// A shared mapping of a whole memory file, unmapped when dropped.
struct Mapping<const WRITABLE: bool> {
    start: *mut std::ffi::c_void,
    length: usize,
}

impl<const WRITABLE: bool> Mapping<WRITABLE> {
    /// Maps the first `length` bytes of `file`, shared, and writable only in a
    /// `Mapping<true>`: a read-only mapping has no way to be written through.
    fn new(file: BorrowedFd<'_>, length: usize) -> io::Result<Self> {
        let protection = match WRITABLE {
            true => ProtFlags::READ | ProtFlags::WRITE,
            false => ProtFlags::READ,
        };
        // SAFETY: a fresh mapping chosen by the kernel (a null hint), of a file
        // at least `length` bytes long, aliases no Rust memory.
        let start = unsafe {
            rustix::mm::mmap(
                std::ptr::null_mut(),
                length,
                protection,
                MapFlags::SHARED,
                file,
                0,
            )?
        };
        Ok(Self { start, length })
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: the mapping is `length` readable bytes for as long as `self`
        // lives; other processes may write to it, but only between requests.
        unsafe { std::slice::from_raw_parts(self.start.cast(), self.length) }
    }
}

impl Mapping<true> {
    fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as `bytes`; the mapping is writable (`Mapping<true>` is mapped
        // with PROT_WRITE), and its creator alone writes it, before any reader
        // starts.
        unsafe { std::slice::from_raw_parts_mut(self.start.cast(), self.length) }
    }
}

impl<const WRITABLE: bool> Drop for Mapping<WRITABLE> {
    fn drop(&mut self) {
        // SAFETY: `start` and `length` are the mapping `new` made, unmapped once.
        let _ = unsafe { rustix::mm::munmap(self.start, self.length) };
    }
}
