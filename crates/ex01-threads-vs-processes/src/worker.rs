//! The processes' side of every row: this executable re-run as a worker in a role.
//!
//! A row that measures processes starts this same program with
//! [`WORKER_ENV`](crate::rows::WORKER_ENV) naming a role and its numbers
//! (sync-kit's [`children`] way of starting a program again in a role); `main`
//! diverts to [`serve_if_worker`] before parsing any flag, so a worker costs what
//! any small Rust process costs.

use std::io::{self, Read, Write};
use std::time::Duration;

use sync_kit::process::children::{self, Role};

use crate::rows::{WORKER_ENV, cpu, crash, transfer};

/// Every role a worker can play, by name.
const ROLES: &[Role<io::Error>] = &[
    // Spawn and exit: the unit of work of the spawn row.
    ("exit", |_| Ok(())),
    // Says it is ready, then waits until its parent closes stdin: the memory row.
    ("idle", |_| idle()),
    // One byte back for each byte in: the wake-up row.
    ("echo", |_| echo()),
    // Reads everything and answers with its byte sum: the move row.
    ("sum", |_| sum_stdin()),
    // Maps the shared memory on the given fd, sums it on each request.
    ("shared", transfer::serve_shared),
    // Counts the primes of a range: the CPU row.
    ("primes", primes),
    // Sleeps: the I/O row.
    ("sleep", sleep),
    // The crash row's two demonstrations.
    ("crash-thread", |_| crash::thread_takes_the_program()),
    ("crash-process", |_| crash::process_leaves_the_parent()),
    ("abort", |_| std::process::abort()),
];

/// In a worker, plays its role and exits (0, or 1 with the error on stderr); in
/// the program as the user started it, returns at once.
pub(crate) fn serve_if_worker() {
    children::serve_role(WORKER_ENV, ROLES);
}

fn idle() -> io::Result<()> {
    io::stdout().write_all(b"r")?;
    io::stdout().flush()?;
    io::stdin().read_to_end(&mut Vec::new()).map(drop)
}

fn sleep(numbers: &[u64]) -> io::Result<()> {
    let ms = numbers.first().copied().unwrap_or(0);
    std::thread::sleep(Duration::from_millis(ms));
    Ok(())
}

fn echo() -> io::Result<()> {
    let (mut input, mut output) = (io::stdin().lock(), io::stdout().lock());
    let mut byte = [0u8];
    while input.read(&mut byte)? == 1 {
        output.write_all(&byte)?;
        output.flush()?;
    }
    Ok(())
}

fn sum_stdin() -> io::Result<()> {
    let mut input = io::stdin().lock();
    let mut output = io::stdout().lock();
    // A request is a length, then that many bytes; the answer is their sum.
    let mut length = [0u8; 8];
    while input.read_exact(&mut length).is_ok() {
        let mut left = u64::from_le_bytes(length) as usize;
        let mut buffer = vec![0u8; 1 << 16];
        let mut total = 0u64;
        while left > 0 {
            let chunk = left.min(buffer.len());
            input.read_exact(&mut buffer[..chunk])?;
            total += transfer::byte_sum(&buffer[..chunk]);
            left -= chunk;
        }
        output.write_all(&total.to_le_bytes())?;
        output.flush()?;
    }
    Ok(())
}

fn primes(numbers: &[u64]) -> io::Result<()> {
    let &[start, end] = numbers else {
        return Err(io::Error::other("primes needs a start and an end"));
    };
    writeln!(io::stdout(), "{}", cpu::count_primes(start, end))
}
