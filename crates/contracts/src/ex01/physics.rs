//! ex01's figures against physics: bounds no machine passes, each set far beyond
//! what the fastest machines and programs reach, so that only a figure that was
//! not measured (or measured of something else) breaks one.
//!
//! | row | bound | why |
//! |---|---|---|
//! | spawn | a thread ≥ 1 µs, a process ≥ 10 µs; a process not 10× faster than a thread | a start is a `clone` and a stack at least; a process's start includes a thread's |
//! | memory | a parked thread ≤ 64 MiB, an idle process 64 KiB to 4 GiB | a thread's stack is reserved, not resident; a process has page tables and a stack |
//! | wake-up | a round trip ≥ 0.5 µs | two wake-ups through the kernel, each a system call and a context switch |
//! | move | through a pipe, ≥ size ÷ 100 GB/s | a pipe copies every byte; 100 GB/s is more than one core's memory bandwidth on any machine |
//! | cpu-bound | ≥ N ÷ (5·10¹⁰ per second per worker) | primesieve, the fastest counter known, sieves about 6.5·10⁹ numbers a second on one core here |
//! | io-bound | from one wait to all the waits one after another, plus each worker's start and a second | overlapped waits end no sooner than one wait, and no later than with no overlap at all |
//!
//! The rates were measured on this kit's 2-core CI machine: `primesieve 1e9 -t1
//! --time` took 0.155 s; a C loop of `memcpy` of 64 MiB ran at 5.6 GB/s; a pipe
//! round trip between two processes took 84 µs, a thread's create and join 31 µs.

use crate::{Line, Rejection};

use super::{Row, rules};

/// Within this factor a process may start faster than a thread (noise).
pub(super) const SPAWN_BAND: f64 = 10.0;
/// The fastest a thread can be started and joined, and a process, in µs.
const THREAD_START_FLOOR_US: f64 = 1.0;
const PROCESS_START_FLOOR_US: f64 = 10.0;
/// The fastest round trip of two wake-ups, in µs.
const WAKE_FLOOR_US: f64 = 0.5;
/// More bytes a second than any pipe copies.
const PIPE_CEILING_BYTES_PER_S: f64 = 100e9;
/// More numbers a second than any worker sieves.
const SIEVE_CEILING_PER_S: f64 = 5e10;
/// The slack on overlapped waits' upper bound: each worker's start counted this
/// many times over, and this many ms more.
const START_SLACK: f64 = 4.0;
const IO_SLACK_MS: f64 = 1000.0;

/// Checks `row` against the bounds; `spawn` is the spawn row of the same kind
/// (Rust's or Python's), when there is one.
pub(super) fn check(line: &Line, row: &Row<'_>, spawn: Option<&Row<'_>>) -> Result<(), Rejection> {
    let implausible = |why: String| Err(Rejection::at(line, rules::IMPLAUSIBLE, why));
    let claim = row.claim.trim_start_matches("python ");
    let (threads, processes) = (
        micros(row.threads, row.unit),
        micros(row.processes, row.unit),
    );
    let shown = |us: f64| format!("{us:.3} µs");
    if claim.starts_with("spawn") {
        if row.processes * SPAWN_BAND < row.threads {
            return implausible(format!(
                "a process ({} {}) cannot start ten times as fast as a thread ({} {})",
                row.processes, row.unit, row.threads, row.unit
            ));
        }
        if threads < THREAD_START_FLOOR_US || processes < PROCESS_START_FLOOR_US {
            return implausible(format!(
                "no thread starts and joins in under {THREAD_START_FLOOR_US} µs, and no process in under {PROCESS_START_FLOOR_US} µs: not {} and {}",
                shown(threads),
                shown(processes)
            ));
        }
    }
    if claim.starts_with("memory")
        && (row.threads > 65_536.0 || row.processes < 64.0 || row.processes > 4_194_304.0)
    {
        return implausible(format!(
            "a parked thread costs at most 64 MiB and an idle process 64 KiB to 4 GiB, not {} and {} KiB",
            row.threads, row.processes
        ));
    }
    if claim.starts_with("wake") && threads.min(processes) < WAKE_FLOOR_US {
        return implausible(format!(
            "two wake-ups through the kernel take at least {WAKE_FLOOR_US} µs, not {}",
            shown(threads.min(processes))
        ));
    }
    if let Some(mib) = between(claim, "move ", " MiB") {
        let floor = mib * 1_048_576.0 / PIPE_CEILING_BYTES_PER_S * 1e6;
        if processes < floor {
            return implausible(format!(
                "{mib} MiB through a pipe takes at least {} (100 GB/s), not {}",
                shown(floor),
                shown(processes)
            ));
        }
    }
    if let Some(below) = between(claim, "cpu-bound primes below ", ",") {
        let workers = between(claim, ", ", " worker").unwrap_or(1.0).max(1.0);
        let floor = below / (SIEVE_CEILING_PER_S * workers) * 1e6;
        if threads.min(processes) < floor {
            return implausible(format!(
                "counting the primes below {below} on {workers} worker(s) takes at least {}, not {}",
                shown(floor),
                shown(threads.min(processes))
            ));
        }
    }
    if let (Some(count), Some(wait)) = (
        between(claim, "io-bound, ", " waits of "),
        between(claim, " waits of ", " ms"),
    ) {
        let wait_us = wait * 1000.0;
        if threads.min(processes) < wait_us {
            return implausible(format!(
                "waits of {wait} ms cannot all end in {}",
                shown(threads.min(processes))
            ));
        }
        let start =
            |side: fn(&Row<'_>) -> f64| spawn.map_or(0.0, |spawn| micros(side(spawn), spawn.unit));
        for (name, figure, started) in [
            ("threads", threads, start(|r| r.threads)),
            ("processes", processes, start(|r| r.processes)),
        ] {
            let ceiling = count * (wait_us + START_SLACK * started) + IO_SLACK_MS * 1000.0;
            if figure > ceiling {
                return implausible(format!(
                    "{count} waits of {wait} ms on {name} end within {} even one after another, with each start, not in {}",
                    shown(ceiling),
                    shown(figure)
                ));
            }
        }
    }
    Ok(())
}

/// A figure in `unit`, in µs (a size in KiB is left as it is).
fn micros(figure: f64, unit: &str) -> f64 {
    match unit {
        "ms" => figure * 1000.0,
        _ => figure,
    }
}

/// The number in `text` between `before` and the next `after`.
fn between(text: &str, before: &str, after: &str) -> Option<f64> {
    let (_, rest) = text.split_once(before)?;
    let (number, _) = rest.split_once(after)?;
    number.trim().parse().ok()
}
