//! Exercise 3: the primes in ranges, one task per range, in other processes.
//!
//! The course's answer starts one `multiprocessing.Process` per range, each finding
//! its primes by trial division and printing them. Here the ranges are tasks on
//! sync-kit's process `Pool`, so the work runs in real worker processes (this
//! executable, re-executed) and each result comes back to be printed as it arrives.
//! `--mode` runs the same tasks on threads, on rayon, or in one loop, to compare.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::{CommandFactory, Parser};
use ex03_multiprocessing_primes::{
    DEFAULT_RANGES, MAX_LIMIT, Mode, PRIMES_BETWEEN, equal_ranges, run,
};
use sync_kit::fmt::PyList;
use sync_kit::process;

fn main() -> ExitCode {
    process::init(&[&PRIMES_BETWEEN]);
    let args = Args::parse();
    let usage_error = |message: String| -> ! {
        Args::command()
            .error(clap::error::ErrorKind::ArgumentConflict, message)
            .exit()
    };
    if args.workers.is_some() && args.mode == Mode::Sequential {
        usage_error(
            "--workers does not apply to --mode sequential, which runs on the main thread alone"
                .into(),
        );
    }
    let ranges = match (args.limit, args.ranges) {
        (None, _) => DEFAULT_RANGES.to_vec(),
        (Some(limit), ranges) => {
            let count = ranges.unwrap_or(4);
            if count >= limit {
                usage_error(format!(
                    "--ranges {count} cannot split 1..{limit} into ranges that are not empty (at most {} ranges)",
                    limit - 1
                ));
            }
            equal_ranges(limit, count)
        }
    };
    let workers = args.workers.map_or_else(sync_kit::cli::cores, usize::from);
    let outcome = primes(args.mode, &ranges, workers);
    sync_kit::cli::finish(env!("CARGO_PKG_NAME"), outcome.map_err(Into::into))
}

/// Finds the primes of every range in `mode` and prints each range's as it comes.
fn primes(mode: Mode, ranges: &[(u64, u64)], workers: usize) -> anyhow::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    run(mode, ranges, workers, |(start, end), primes| {
        writeln!(out, "Primes between {start} and {end}: {}", PyList(primes))
            .context("writing to stdout")
    })?;
    out.flush().context("writing to stdout")
}

/// Finds the primes in ranges, one task per range, and prints each range's primes
/// as `Primes between A and B: [...]` (A ≤ p < B) as soon as they are found.
#[derive(Debug, Parser)]
#[command(version, after_help = AFTER_HELP)]
struct Args {
    /// Split 1..L into --ranges equal ranges, L from 2 to the largest limit
    /// [default: the course's four ranges, 1–1000, 1000–2000, 2000–3000 and
    /// 3000–4000].
    #[arg(long, value_name = "L", value_parser = clap::value_parser!(u64).range(2..=MAX_LIMIT))]
    limit: Option<u64>,

    /// How many ranges to split 1..L into (one task each), fewer than L; needs
    /// --limit [default: 4].
    #[arg(long, value_name = "K", requires = "limit", value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    ranges: Option<u64>,

    /// Workers, 1 to 256 [default: one per available core]; not with
    /// `--mode sequential`, which has none.
    #[arg(long, value_name = "W", value_parser = clap::value_parser!(u16).range(1..=256))]
    workers: Option<u16>,

    /// Where the tasks run.
    #[arg(long, value_enum, default_value_t = Mode::Processes)]
    mode: Mode,
}

const AFTER_HELP: &str = "\
Try --limit 2000000 --ranges 64 --workers 2, then the same with --mode sequential.
Check a run's output with:
  cargo run -q --release -p ex03-multiprocessing-primes | cargo xtask check ex03 - --expect limit=4000 --expect ranges=4";
