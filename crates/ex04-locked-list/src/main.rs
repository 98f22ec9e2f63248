//! Exercise 4: one thread adds numbers to a shared list, another removes them from
//! its front, and a lock keeps every step consistent.
//!
//! The course asks for two threads sharing a Python `list` under a `threading.Lock`.
//! Here the list lives in a [`LockedList`], which cannot be touched without its lock,
//! and each line is printed *inside* the critical section that made the change, so
//! the list a line shows is exactly the list at that instant. Printing after
//! unlocking could show a list the other thread had already changed; the checker
//! (`cargo xtask check ex04`) would catch that as `shown-list-mismatch`.
//!
//! Each thread acts on a fixed schedule measured from one shared start (the adder at
//! 1, 2, 3 … intervals, the remover likewise), so ticks do not drift and, when both
//! fall due together, either thread may win: the output is one valid interleaving
//! among several.

use std::io::{self, Write};
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow};
use clap::Parser;
use sync_kit::LockedList;
use sync_kit::fmt::PyList;

fn main() -> ExitCode {
    let args = Args::parse();
    sync_kit::cli::finish(env!("CARGO_PKG_NAME"), run(&args).map_err(Into::into))
}

/// Runs the adder and the remover on the shared list, then prints the final list.
fn run(args: &Args) -> anyhow::Result<()> {
    let list = LockedList::new();
    let start = Instant::now();

    thread::scope(|scope| {
        let adder = scope.spawn(|| add(&list, args, start));
        let remover = scope.spawn(|| remove(&list, args, start));
        let added = adder
            .join()
            .map_err(|_| anyhow!("the adder thread panicked"))?;
        let removed = remover
            .join()
            .map_err(|_| anyhow!("the remover thread panicked"))?;
        added.and(removed).context("writing to stdout")
    })?;

    // Both threads are done, so nothing can change the list any more.
    writeln!(io::stdout(), "Final list: {}", PyList(list.snapshot())).context("writing to stdout")
}

/// Adds 0, 1, 2, … on schedule, printing each add with the list it produced.
fn add(list: &LockedList<u64>, args: &Args, start: Instant) -> io::Result<()> {
    for (i, due) in schedule(start, args.add_every, args.adds).enumerate() {
        sleep_until(due);
        list.push_back_then(i as u64, |now| {
            writeln!(
                io::stdout(),
                "Added {i} to the list. Current list: {}",
                PyList(now)
            )
        })?;
    }
    Ok(())
}

/// Tries to remove the first item on schedule, printing what happened.
fn remove(list: &LockedList<u64>, args: &Args, start: Instant) -> io::Result<()> {
    for due in schedule(start, args.remove_every, args.removes) {
        sleep_until(due);
        let (_, printed) = list.pop_front_then(|removed, now| match removed {
            Some(item) => writeln!(
                io::stdout(),
                "Removed {item} from the list. Current list: {}",
                PyList(now)
            ),
            None => writeln!(io::stdout(), "List is empty, nothing to remove."),
        });
        printed?;
    }
    Ok(())
}

/// The instants `start + k × every_ms` for k = 1 … count. Measured from one start,
/// so a slow step does not push every later step back.
fn schedule(start: Instant, every_ms: u64, count: u64) -> impl Iterator<Item = Instant> {
    let every = Duration::from_millis(every_ms);
    (1..=count).map(move |k| start + every * k as u32)
}

fn sleep_until(due: Instant) {
    if let Some(wait) = due.checked_duration_since(Instant::now()) {
        thread::sleep(wait);
    }
}

/// One thread adds 0, 1, 2, … to a shared list while another removes from its
/// front; a lock guards the list, and every line is printed while it is held.
#[derive(Debug, Parser)]
#[command(version, after_help = AFTER_HELP)]
struct Args {
    /// How many numbers the adder adds (0, 1, 2, …), at most 1000000.
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u64).range(..=MAX_OPS))]
    adds: u64,

    /// How many times the remover tries to remove the list's first item, at most
    /// 1000000.
    #[arg(long, value_name = "M", default_value_t = 5, value_parser = clap::value_parser!(u64).range(..=MAX_OPS))]
    removes: u64,

    /// Milliseconds between adds, at most an hour; the first add comes after one
    /// interval.
    #[arg(long, value_name = "MS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(..=MAX_MS))]
    add_every: u64,

    /// Milliseconds between removal attempts, at most an hour; the first comes after
    /// one interval.
    #[arg(long, value_name = "MS", default_value_t = 2000, value_parser = clap::value_parser!(u64).range(..=MAX_MS))]
    remove_every: u64,
}

/// Each line prints the whole list, so output grows with the square of this.
const MAX_OPS: u64 = 1_000_000;
/// One hour: longer intervals are a typo, not an experiment.
const MAX_MS: u64 = 3_600_000;

const AFTER_HELP: &str = "\
The defaults reproduce the course: 5 adds a second apart, 5 removal attempts two seconds apart.
Intervals of 0 make the threads contend for the lock as hard as they can.
Check a run's output with:  cargo run -q --release -p ex04-locked-list | cargo xtask check ex04 -";
