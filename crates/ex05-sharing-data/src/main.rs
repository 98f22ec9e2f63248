//! Exercise 5: the tools for sharing data safely, each in a small real scenario.
//!
//! The course's answer lists Python's tools with empty `with lock: pass` bodies. Here
//! each tool does a real job under real contention, and prints a section whose
//! result lines can be checked (`cargo xtask check ex05`): a counter that loses
//! updates without a lock and none with one, a reentrant lock taken twice by its
//! owner, a consumer that takes exactly what a producer added, a semaphore that never
//! admits more threads than it has permits, an event that releases its waiters only
//! once it is set, and a queue whose `join` returns once every item is done.
//!
//! Lines that report a cause are printed *before* the action (`event set`, then
//! `set()`), and lines that report an effect after it, or under the same lock, so the
//! order of the lines is an order the events really happened in.

mod children;
mod condition;
mod event;
mod lock;
mod manager;
mod pipe;
mod process_lock;
mod process_queue;
mod queue;
mod race;
mod rlock;
mod semaphore;
mod value_array;

use std::process::ExitCode;
use std::thread;

use anyhow::{Context, anyhow};
use clap::Parser;
pub(crate) use sync_kit::cli::say;
use sync_kit::process::children::Role;

fn main() -> ExitCode {
    // The Manager section's server is this program again: `init` diverts it.
    sync_kit::process::init(&[]);
    // A child plays its role and exits (0, or 1 with the error on stderr).
    sync_kit::process::children::serve_role(children::ROLE_ENV, ROLES);
    let args = Args::parse();
    sync_kit::cli::finish(env!("CARGO_PKG_NAME"), run(&args).map_err(Into::into))
}

/// One section: its title and the scenario that prints it.
type Section = (&'static str, fn(&Args) -> anyhow::Result<()>);

/// The sections, in the order they print: the thread half of question 5, then
/// the process half.
const SECTIONS: &[Section] = &[
    ("Lock", lock::show),
    ("RLock", rlock::show),
    ("Condition", condition::show),
    ("Semaphore", semaphore::show),
    ("Event", event::show),
    ("Queue", queue::show),
    ("Lock (processes)", process_lock::show),
    ("Value and Array (processes)", value_array::show),
    ("Queue (processes)", process_queue::show),
    ("Pipe (processes)", pipe::show),
    ("Manager (processes)", manager::show),
];

/// Every role a child of this program can play, by name.
const ROLES: &[Role<anyhow::Error>] = &[
    ("count-unlocked", process_lock::count_unlocked),
    ("count-locked", process_lock::count_locked),
    ("hold", process_lock::hold),
    ("course", value_array::course),
    ("value-unlocked", value_array::add_unlocked),
    ("value-locked", value_array::add_locked),
    ("produce", process_queue::produce),
    ("consume", process_queue::consume),
    ("stall-put", process_queue::stall_put),
    ("drain", process_queue::drain),
    ("echo", pipe::echo),
    ("append-data", manager::append_data),
    ("append-many", manager::append_many),
];

/// Prints each section under its title.
fn run(args: &Args) -> anyhow::Result<()> {
    for (title, show) in SECTIONS {
        say(format_args!("== {title} =="))?;
        show(args).with_context(|| format!("in the {title} section"))?;
    }
    Ok(())
}

/// Runs `count` threads of `body` (given its index, from 1) and returns their
/// results, failing if any failed or panicked.
pub(crate) fn spawn_all<T: Send>(
    count: u64,
    body: impl Fn(u64) -> anyhow::Result<T> + Sync,
) -> anyhow::Result<Vec<T>> {
    thread::scope(|scope| {
        let handles: Vec<_> = (1..=count)
            .map(|index| {
                let body = &body;
                scope.spawn(move || body(index))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().map_err(|_| anyhow!("a thread panicked"))?)
            .collect()
    })
}

/// Shows each of Python's tools for sharing data between threads (Lock, RLock,
/// Condition, Semaphore, Event, Queue) and between processes (Lock, Value and
/// Array, Queue, Pipe, Manager) at work, one labelled section each.
#[derive(Debug, Parser)]
#[command(version, after_help = AFTER_HELP)]
pub(crate) struct Args {
    /// Threads that update the shared counters (Lock and RLock sections), 1 to 64.
    #[arg(long, value_name = "T", default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=64))]
    pub(crate) threads: u64,

    /// Increments each of those threads, and each of those processes, makes, 1 to 100000000.
    #[arg(long, value_name = "N", default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    pub(crate) increments: u64,

    /// Processes that update the shared counters and list (Lock, Value and Manager sections of the process half), 1 to 16.
    #[arg(long, value_name = "P", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=16))]
    pub(crate) processes: u64,

    /// Milliseconds to wait before killing a child on purpose (the Lock's holder, the
    /// stalled producer, the pipe's child, the manager's server), to look at it meanwhile (ps, /proc), 0 to 60000.
    #[arg(long, value_name = "MS", default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    pub(crate) linger: u64,
}

impl Args {
    /// Waits `--linger` milliseconds: called just before a child is killed on purpose.
    pub(crate) fn linger(&self) {
        std::thread::sleep(std::time::Duration::from_millis(self.linger));
    }
}

const AFTER_HELP: &str = "\
The Lock sections also run the counter without a lock: how many updates it loses changes from run to run.
The process sections start this program again as child processes; one child is killed on purpose inside the process Lock, another inside a Queue put.
Check a run's output with:  cargo run -q --release -p ex05-sharing-data | cargo xtask check ex05 -";
