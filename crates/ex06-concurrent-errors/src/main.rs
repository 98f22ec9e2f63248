//! Exercise 6: why errors in concurrent programs need handling, and how, shown by
//! making each technique meet a real failure.
//!
//! Each section is one technique: a panic in a thread (lost, joined, scoped, and a
//! poisoned mutex recovered), errors sent back as values, a thread pool and a
//! process pool whose tasks fail, panic or lose their worker, errors collected
//! from several processes into one shared list, a supervisor that restarts
//! crashed workers until its restart intensity is exceeded, retries with backoff,
//! timeouts and cancellation, and a graceful shutdown on a real signal.
//!
//! Every section ends by itself and prints causes before effects, so the order of
//! the lines is an order the events really happened in. Ctrl-C (or SIGTERM) at
//! any moment starts no new section, gives the one running a grace period, prints
//! what finished and what did not, and exits 130 (or 143) with no process left.

mod collected;
mod jobs;
mod panics;
mod process_pool;
mod retry;
mod shutdown;
mod supervisor;
mod tasks;
mod thread_pool;
mod timeouts;
mod values;

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Parser;
pub(crate) use sync_kit::cli::say;
use sync_kit::process::children::{self, Role};
use sync_kit::process::{self, interrupt};

use crate::jobs::{Cancel, Fate, Job, Report};

fn main() -> ExitCode {
    // The process pool's workers are this program again: `init` diverts them.
    process::init(tasks::TASKS);
    children::serve_role(ROLE_ENV, ROLES);
    panics::install_hook();
    let args = Args::parse();
    match run(&args) {
        Ok(code) => code,
        Err(e) => sync_kit::cli::finish(env!("CARGO_PKG_NAME"), Err(e.into())),
    }
}

/// One section: its title and the scenario that prints it, which should stop
/// early once `Cancel` is set.
type Section = (&'static str, fn(&Args, &Cancel) -> anyhow::Result<()>);

/// The sections, in the order they print.
const SECTIONS: &[Section] = &[
    ("Thread panic", panics::show),
    ("Errors as values", values::show),
    ("Thread pool", thread_pool::show),
    ("Process pool", process_pool::show),
    ("Errors collected across processes", collected::show),
    ("Supervisor", supervisor::show),
    ("Retry", retry::show),
    ("Timeouts and cancellation", timeouts::show),
    ("Graceful shutdown", shutdown::show),
];

/// The environment variable that carries a child's role.
pub(crate) const ROLE_ENV: &str = "EX06_CHILD";

/// Every role a child of this program can play, by name.
const ROLES: &[Role<anyhow::Error>] = &[
    ("divide", collected::divide_role),
    ("work", supervisor::work),
    ("jobs", shutdown::jobs),
];

/// Runs the sections one after another, as jobs that a signal stops: the exit
/// code is 0, or 128 + the signal's number when one came.
fn run(args: &Args) -> anyhow::Result<ExitCode> {
    interrupt::watch().context("watching for Ctrl-C")?;
    let work = SECTIONS
        .iter()
        .map(|&(title, show)| {
            let args = args.clone();
            Job::new(title, move |cancel| {
                show(&args, cancel).with_context(|| format!("in the {title} section"))
            })
        })
        .collect();
    let summary = jobs::run(work, 1, Duration::from_millis(args.grace), &Headers).or_failure()?;
    let Some(signal) = summary.signal else {
        return Ok(ExitCode::SUCCESS);
    };
    say(format_args!("== Interrupted =="))?;
    say(format_args!(
        "{} received: no new section started",
        interrupt::name(signal)
    ))?;
    for line in summary.lines() {
        say(format_args!("{line}"))?;
    }
    Ok(ExitCode::from(
        u8::try_from(interrupt::exit_code(signal)).unwrap_or(1),
    ))
}

/// How the sections' progress shows: each section's header as it starts, and on
/// stderr what happens when a signal comes.
struct Headers;

impl Report for Headers {
    fn started(&self, name: &str) {
        let _ = say(format_args!("== {name} =="));
    }

    fn ended(&self, _: &str, _: &Fate) {}

    fn stopping(&self, signal: i32, in_flight: usize, grace: Duration) {
        if in_flight > 0 {
            eprintln!(
                "{}: {}: finishing the section in flight (up to {} ms); press Ctrl-C again to quit at once",
                env!("CARGO_PKG_NAME"),
                interrupt::name(signal),
                grace.as_millis()
            );
        }
    }
}

/// Shows how a concurrent program catches, reports and recovers from each way it
/// can fail, one labelled section per technique, on real threads and processes.
#[derive(Debug, Clone, Parser)]
#[command(version, after_help = AFTER_HELP)]
pub(crate) struct Args {
    /// Restarts the supervisor allows within its period before it gives up, 1 to 20.
    #[arg(long, value_name = "R", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub(crate) restarts: u32,

    /// The supervisor's period, in milliseconds, 1000 to 60000: more restarts than R within it and it gives up.
    #[arg(long, value_name = "MS", default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1000..=60_000))]
    pub(crate) period: u64,

    /// How long a task may run before the timeouts section abandons or cancels it, in milliseconds, 10 to 10000.
    #[arg(long, value_name = "MS", default_value_t = 100, value_parser = clap::value_parser!(u64).range(10..=10_000))]
    pub(crate) timeout: u64,

    /// After Ctrl-C or SIGTERM, how long the section in flight may take to finish before it is cancelled, in milliseconds, 0 to 60000.
    #[arg(long, value_name = "MS", default_value_t = 3000, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    pub(crate) grace: u64,
}

const AFTER_HELP: &str = "\
Failures are real: tasks fail and panic, a pool worker is killed by SIGKILL, supervised child processes crash, and the last section sends SIGTERM and SIGINT to a child.
Ctrl-C (or SIGTERM) at any moment starts no new section and prints what finished; a second Ctrl-C quits at once.
Check a run's output with:  cargo run -q --release -p ex06-concurrent-errors | cargo xtask check ex06 -";
