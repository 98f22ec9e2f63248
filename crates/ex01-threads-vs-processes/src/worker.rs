//! The processes' side of every row: this executable re-run in a worker mode.
//!
//! A row that measures processes starts this same program with `EX01_WORKER` set to
//! a mode, as sync-kit's pool re-executes its workers; `main` diverts to [`serve`]
//! before parsing any flag, so a worker costs what any small Rust process costs.

use std::io::{self, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The environment variable that makes this program a worker, and its mode.
pub(crate) const MODE: &str = "EX01_WORKER";

/// A command that runs this program as a worker in `mode`.
pub(crate) fn command(mode: &str) -> io::Result<Command> {
    let mut command = Command::new(std::env::current_exe()?);
    command
        .env(MODE, mode)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    Ok(command)
}

/// Runs the worker `mode` names, if this process is one; returns its exit code.
pub(crate) fn serve() -> Option<i32> {
    let mode = std::env::var(MODE).ok()?;
    let mut words = mode.split_whitespace();
    let outcome = match words.next() {
        // Spawn and exit: the unit of work of the spawn row.
        Some("exit") => Ok(()),
        // Says it is ready, then waits until its parent closes stdin: the memory row.
        Some("idle") => io::stdout()
            .write_all(b"r")
            .and_then(|()| io::stdout().flush())
            .and_then(|()| io::stdin().read_to_end(&mut Vec::new()))
            .map(drop),
        // One byte back for each byte in: the wake-up row.
        Some("echo") => echo(),
        // Reads everything and answers with its byte sum: the move row.
        Some("sum") => sum_stdin(),
        // Maps the shared memory on stdin-given fd, sums it on each request.
        Some("shared") => crate::rows::transfer::serve_shared(words.next()),
        // Counts the primes of a range: the CPU row.
        Some("primes") => primes(words.next(), words.next()),
        // Sleeps: the I/O row.
        Some("sleep") => {
            let ms = words.next().and_then(|w| w.parse().ok()).unwrap_or(0);
            std::thread::sleep(Duration::from_millis(ms));
            Ok(())
        }
        // The crash row's two demonstrations.
        Some("crash-thread") => crate::rows::crash::thread_takes_the_program(),
        Some("crash-process") => crate::rows::crash::process_leaves_the_parent(),
        Some("abort") => std::process::abort(),
        _ => Err(io::Error::other(format!("unknown worker mode `{mode}`"))),
    };
    Some(match outcome {
        Ok(()) => 0,
        Err(error) => {
            let _ = writeln!(io::stderr(), "ex01 worker ({mode}): {error}");
            1
        }
    })
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
            total += crate::rows::transfer::byte_sum(&buffer[..chunk]);
            left -= chunk;
        }
        output.write_all(&total.to_le_bytes())?;
        output.flush()?;
    }
    Ok(())
}

fn primes(start: Option<&str>, end: Option<&str>) -> io::Result<()> {
    let parse = |word: Option<&str>| {
        word.and_then(|w| w.parse().ok())
            .ok_or_else(|| io::Error::other("primes needs a start and an end"))
    };
    let count = crate::rows::cpu::count_primes(parse(start)?, parse(end)?);
    writeln!(io::stdout(), "{count}")
}
