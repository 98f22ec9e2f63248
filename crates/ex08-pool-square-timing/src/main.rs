//! Exercise 8: the squares of 1 to 10 on process pools of several sizes, timed.
//!
//! The course's answer times `pool.map(square, 1..10)` on pools of 2, 4 and 8
//! processes. Here the pool is sync-kit's: real worker processes (this executable,
//! re-executed), started and ready before the clock starts, so "Time taken" is the
//! map alone. `--detail` also times what the map hides: starting the pool and
//! shutting it down, the median of `--repeat` runs, and `--plot` draws them.

mod plot;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{CommandFactory, Parser};
use sync_kit::cli::{median, say};
use sync_kit::fmt::PyList;
use sync_kit::process::{self, Pool, Task};

/// n², in a worker process.
static SQUARE: Task<u64, u64> = Task::new("square", |n| n * n);

fn main() -> ExitCode {
    process::init(&[&SQUARE]);
    let args = Args::parse();
    if let Some(size) = args
        .sizes
        .iter()
        .enumerate()
        .find_map(|(i, size)| args.sizes[..i].contains(size).then_some(size))
    {
        Args::command()
            .error(
                clap::error::ErrorKind::ValueValidation,
                format!("--sizes names {size} twice; give each pool size once"),
            )
            .exit();
    }
    sync_kit::cli::finish(env!("CARGO_PKG_NAME"), run(&args).map_err(Into::into))
}

/// The numbers squared, as in the course.
const NUMBERS: std::ops::RangeInclusive<u64> = 1..=10;

/// One pool's life, timed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    pub(crate) start: Duration,
    pub(crate) map: Duration,
    pub(crate) shutdown: Duration,
}

/// Starts a pool of `size`, maps the squares on it, and joins it, timing each step.
fn time_pool(size: u16) -> anyhow::Result<(Vec<u64>, Timing)> {
    let started = Instant::now();
    let pool =
        Pool::new(usize::from(size)).with_context(|| format!("starting a pool of {size}"))?;
    let start = started.elapsed();
    let mapped = Instant::now();
    let squares = pool.map(&SQUARE, NUMBERS).context("squaring on the pool")?;
    let map = mapped.elapsed();
    let joined = Instant::now();
    pool.join();
    let shutdown = joined.elapsed();
    Ok((
        squares,
        Timing {
            start,
            map,
            shutdown,
        },
    ))
}

/// Times the pools and prints each block as its pool is done, then the breakdown
/// and its chart when asked for.
fn run(args: &Args) -> anyhow::Result<()> {
    // Fail before measuring, not after: the chart's file must be writable.
    let chart = match &args.plot {
        Some(path) => Some(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        ),
        None => None,
    };
    let detail = args.detail || chart.is_some();
    let mut breakdown = Vec::new();
    for &size in &args.sizes {
        let (squares, first) = time_pool(size)?;
        say(format_args!(
            "Using pool size of {size} processes:\nSquares: {}\nTime taken: {:.6} seconds",
            PyList(&squares),
            first.map.as_secs_f64()
        ))?;
        if detail {
            let mut runs = vec![first];
            for _ in 1..args.repeat {
                runs.push(time_pool(size)?.1);
            }
            let medians = Timing {
                start: median(runs.iter().map(|t| t.start).collect()),
                map: median(runs.iter().map(|t| t.map).collect()),
                shutdown: median(runs.iter().map(|t| t.shutdown).collect()),
            };
            breakdown.push((size, medians));
        }
    }
    if detail {
        let runs = if args.repeat == 1 { "run" } else { "runs" };
        let mut text = format!("Breakdown, median of {} {runs}:\n", args.repeat);
        for (size, t) in &breakdown {
            text += &format!(
                "Size {size}: start {:.3} ms, map {:.3} ms, shutdown {:.3} ms\n",
                ms(t.start),
                ms(t.map),
                ms(t.shutdown)
            );
        }
        say(text.trim_end_matches('\n'))?;
    }
    if let (Some(path), Some(_created)) = (&args.plot, chart) {
        plot::breakdown(path, &breakdown, args.repeat)
            .with_context(|| format!("drawing {}", path.display()))?;
    }
    Ok(())
}

pub(crate) fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// Computes the squares of 1 to 10 on a process pool of each size in --sizes and
/// prints them with the time the `map` call took.
#[derive(Debug, Parser)]
#[command(version, after_help = AFTER_HELP)]
#[command(group(clap::ArgGroup::new("breakdown").args(["detail", "plot"]).multiple(true)))]
struct Args {
    /// The pool sizes to time, in worker processes (each 1 to 256, each once).
    #[arg(long, value_name = "N,…", value_delimiter = ',', default_value = "2,4,8",
          value_parser = clap::value_parser!(u16).range(1..=256))]
    sizes: Vec<u16>,

    /// After the blocks, print how long starting each pool, its map and its
    /// shutdown took (medians of --repeat runs).
    #[arg(long)]
    detail: bool,

    /// Runs per size for --detail's medians (1 to 1000).
    #[arg(long, value_name = "R", default_value_t = 5, requires = "breakdown",
          value_parser = clap::value_parser!(u16).range(1..=1000))]
    repeat: u16,

    /// Draw the breakdown as an SVG bar chart in FILE.svg (implies --detail). The
    /// file is created before anything is measured.
    #[arg(long, value_name = "FILE.svg", value_parser = sync_kit::cli::parse_svg_path)]
    plot: Option<PathBuf>,
}

const AFTER_HELP: &str = "\
Each pool is started and ready before its map is timed; --detail shows the start and shutdown too.
Check a run's output with:
  cargo run -q --release -p ex08-pool-square-timing | cargo xtask check ex08 -";
