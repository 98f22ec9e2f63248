//! Exercise 7: the factorials of 1 to N, computed concurrently on a thread pool.
//!
//! The course's answer submits `math.factorial(n)` for each n to a
//! `ThreadPoolExecutor` and prints the results as they complete. Under CPython's GIL
//! those threads take turns, so the pool is *slower* than a plain loop. Here each
//! task runs truly in parallel on its own core, with exact big integers: past 20!
//! nothing fits in a `u64`, and past 22! an `f64` is no longer exact.

use std::io::{self, BufWriter, Write};

use anyhow::Context;
use clap::{Parser, ValueEnum};
use ex07_factorial_thread_pool::{Engine, Order, run};

/// Computes the exact factorials of 1 to N on a pool of worker threads and prints
/// one line per n: `Factorial of N is VALUE`.
#[derive(Debug, Parser)]
#[command(version, after_help = AFTER_HELP)]
struct Args {
    /// The largest n.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=MAX_UPTO))]
    upto: u64,

    /// Worker threads [default: one per available core].
    #[arg(long, value_name = "W", value_parser = clap::value_parser!(u16).range(1..=1024))]
    workers: Option<u16>,

    /// Which thread pool runs the tasks.
    #[arg(long, value_enum, default_value_t = EngineArg::Pool)]
    engine: EngineArg,

    /// Print each result as its task finishes (Python's `as_completed`) instead of
    /// in order of n (Python's `executor.map`).
    #[arg(long)]
    as_completed: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum EngineArg {
    /// sync-kit's ThreadPool, the counterpart of `ThreadPoolExecutor`.
    Pool,
    /// rayon's work-stealing pool.
    Rayon,
}

/// 100000! has 456,574 digits; the output up to it is about 20 GB.
const MAX_UPTO: u64 = 100_000;

const AFTER_HELP: &str = "\
Every value is exact. Try --upto 2000 with --workers 1 and --workers 2 to see the pool use both cores.
Check a run's output with:  cargo run -q -p ex07-factorial-thread-pool | cargo xtask check ex07 -";

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let workers = match args.workers {
        Some(workers) => usize::from(workers),
        None => std::thread::available_parallelism().map_or(1, usize::from),
    };
    let engine = match args.engine {
        EngineArg::Pool => Engine::Pool,
        EngineArg::Rayon => Engine::Rayon,
    };
    let order = if args.as_completed {
        Order::Completion
    } else {
        Order::Input
    };
    let mut out = BufWriter::new(io::stdout().lock());
    run(engine, args.upto, workers, order, |n, value| {
        writeln!(out, "Factorial of {n} is {value}")
    })
    .context("writing to stdout")?;
    out.flush().context("writing to stdout")
}
