//! Exercise 7: the factorials of 1 to N, computed concurrently on a thread pool.
//!
//! The course's answer submits `math.factorial(n)` for each n to a
//! `ThreadPoolExecutor` and prints the results as they complete. Under CPython's GIL
//! those threads take turns, so the pool is *slower* than a plain loop. Here each
//! task runs truly in parallel on its own core, with exact big integers: past 20!
//! nothing fits in a `u64`, and past 22! an `f64` is no longer exact.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use ex07_factorial_thread_pool::{Engine, Order, run};

fn main() -> ExitCode {
    let args = Args::parse();
    sync_kit::cli::finish(
        env!("CARGO_PKG_NAME"),
        factorials(&args).map_err(Into::into),
    )
}

/// Computes and prints the factorials, each as its turn comes: in order of n, or
/// as each task finishes.
fn factorials(args: &Args) -> anyhow::Result<()> {
    let workers = match args.workers {
        Some(workers) => usize::from(workers),
        None => sync_kit::cli::cores(),
    };
    let order = if args.as_completed {
        Order::Completion
    } else {
        Order::Input
    };
    let mut out = BufWriter::new(io::stdout().lock());
    run(args.engine, args.upto, workers, order, |n, value| {
        writeln!(out, "Factorial of {n} is {value}")
    })
    .context("writing to stdout")?;
    out.flush().context("writing to stdout")
}

/// Computes the exact factorials of 1 to N on a pool of worker threads and prints
/// one line per n: `Factorial of N is VALUE`.
#[derive(Debug, Parser)]
#[command(version, after_help = AFTER_HELP)]
struct Args {
    /// The largest n (1 to 100000).
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=MAX_UPTO))]
    upto: u64,

    /// Worker threads, 1 to 1024 [default: one per available core].
    #[arg(long, value_name = "W", value_parser = clap::value_parser!(u16).range(1..=1024))]
    workers: Option<u16>,

    /// Which thread pool runs the tasks.
    #[arg(long, value_enum, default_value_t = Engine::Pool)]
    engine: Engine,

    /// Print each result as its task finishes (Python's `as_completed`) instead of
    /// in order of n (Python's `executor.map`).
    #[arg(long)]
    as_completed: bool,
}

/// 100000! has 456,574 digits; the output up to it is about 20 GB.
const MAX_UPTO: u64 = 100_000;

const AFTER_HELP: &str = "\
Every value is exact. Try --upto 2000 with --workers 1 and --workers 2 to see the pool use both cores.
Check a run's output with:
  cargo run -q --release -p ex07-factorial-thread-pool | cargo xtask check ex07 -";
