//! Exercise 2: what a process pool is and how it helps, shown on a real one.
//!
//! Each section uses one feature of sync-kit's process `Pool` the way the course's
//! answer describes `multiprocessing.Pool`: `map`, `apply_async` with a callback,
//! `imap_unordered`, an initializer, chunking, an `error_callback`, and what a pool
//! is for when things go wrong: a worker killed mid-task is replaced, and the work
//! queued behind it still completes. Every result line is deterministic, whatever
//! the order in which the workers finish.

use std::collections::BTreeSet;

use std::process::ExitCode;
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use sync_kit::cli::say;
use sync_kit::fmt::PyList;
use sync_kit::process::{self, Pool, Task, TaskError};

fn main() -> ExitCode {
    process::init(&[
        &SQUARE,
        &CUBE,
        &DIVIDE,
        &SQUARE_WHERE,
        &SLEEP_MS,
        &SET_TAG,
        &TAG_SEEN,
    ]);
    let args = Args::parse();
    let workers = args.workers.map_or_else(sync_kit::cli::cores, usize::from);
    sync_kit::cli::finish(env!("CARGO_PKG_NAME"), run(workers).map_err(Into::into))
}

/// One section: its title and the demonstration that prints its lines.
type Section = (&'static str, fn(&Demo) -> anyhow::Result<()>);

/// The sections, in the order they print.
const SECTIONS: &[Section] = &[
    ("map", map),
    ("apply_async with callback", apply_async),
    ("imap_unordered", imap_unordered),
    ("chunking", chunking),
    ("error_callback", error_callback),
    ("initializer", initializer),
    ("worker killed mid-task", worker_killed_mid_task),
];

/// What the sections share: one pool of `workers` for the first sections.
struct Demo {
    pool: Pool,
    workers: usize,
}

/// Prints each section under its title.
fn run(workers: usize) -> anyhow::Result<()> {
    let demo = Demo {
        pool: Pool::new(workers).context("starting the pool")?,
        workers,
    };
    for (title, show) in SECTIONS {
        say(format!("== {title} =="))?;
        show(&demo).with_context(|| format!("in the {title} section"))?;
    }
    demo.pool.join();
    Ok(())
}

/// `map`: the results in input order, whichever worker computed each.
fn map(demo: &Demo) -> anyhow::Result<()> {
    let mapped = demo.pool.map(&SQUARE, 1..=10)?;
    Ok(say(format!(
        "map(square, 1..=10) on {} workers: {}",
        demo.workers,
        PyList(&mapped)
    ))?)
}

/// `apply_async` with a callback: the callback runs before `get` returns.
fn apply_async(demo: &Demo) -> anyhow::Result<()> {
    // The callback runs on the pool's side; it hands its line to this thread,
    // which prints it, so the lines keep the order of events.
    let (called, callback_line) = mpsc::channel();
    say("submitted: cube(7)")?;
    let cube = demo.pool.apply_async_with(
        &CUBE,
        7,
        move |value| {
            let _ = called.send(format!("callback: cube(7) = {value}"));
        },
        |_| {},
    );
    say(callback_line.recv().context("the callback never ran")?)?;
    Ok(say(format!("get: cube(7) = {}", cube.get()?))?)
}

/// `imap_unordered`: every result, in the order the workers finish.
fn imap_unordered(demo: &Demo) -> anyhow::Result<()> {
    let mut arrived: Vec<u64> = demo
        .pool
        .imap_unordered(&SQUARE, 1..=8)
        .collect::<Result<_, _>>()?;
    arrived.sort_unstable();
    Ok(say(format!(
        "imap_unordered(square, 1..=8), sorted: {}",
        PyList(&arrived)
    ))?)
}

/// Chunking: each chunk runs whole in one worker.
fn chunking(demo: &Demo) -> anyhow::Result<()> {
    let placed = demo.pool.map_chunked(&SQUARE_WHERE, 1..=10, 5)?;
    let values: Vec<u64> = placed.iter().map(|&(value, _)| value).collect();
    say(format!(
        "map(square, 1..=10, chunksize 5): {}",
        PyList(&values)
    ))?;
    let whole = placed
        .chunks(5)
        .all(|chunk| chunk.iter().all(|&(_, pid)| pid == chunk[0].1));
    if !whole {
        bail!("a chunk was split between workers: {placed:?}");
    }
    Ok(say("chunks: 2 of 5 items, each run whole by one worker")?)
}

/// `error_callback`: a task's error reaches its callback, then `get`.
fn error_callback(demo: &Demo) -> anyhow::Result<()> {
    let (failed, error_line) = mpsc::channel();
    say("submitted: divide(1, 0)")?;
    let division = demo.pool.apply_async_with(
        &DIVIDE,
        (1, 0),
        |_| {},
        move |error| {
            let _ = failed.send(format!("error_callback: {error}"));
        },
    );
    say(error_line.recv().context("the error callback never ran")?)?;
    match division.get() {
        Err(error) => Ok(say(format!("get: error: {error}"))?),
        Ok(value) => bail!("1 / 0 gave {value}"),
    }
}

/// An initializer: it runs in every worker before any task.
fn initializer(demo: &Demo) -> anyhow::Result<()> {
    let tagged = Pool::builder()
        .workers(demo.workers)
        .initializer(&SET_TAG, "ready".to_owned())
        .build()
        .context("starting the pool with an initializer")?;
    let tags = tagged.map_chunked(&TAG_SEEN, vec![(); 8], 1)?;
    let ready = tags.iter().filter(|tag| *tag == "ready").count();
    say(format!(
        "initializer: {ready} of 8 tasks saw the tag \"ready\""
    ))?;
    tagged.join();
    Ok(())
}

/// One worker, one chunk in flight: a long task runs while ten squares wait in
/// the pool's queue. Killing the worker fails the long task only; a new worker
/// takes its place and the squares complete.
fn worker_killed_mid_task(_: &Demo) -> anyhow::Result<()> {
    let pool = Pool::builder()
        .workers(1)
        .in_flight(1)
        .build()
        .context("starting a pool of one")?;
    let victim = pool
        .pids()
        .first()
        .copied()
        .context("the pool has no worker")?;
    let long = pool.apply_async(&SLEEP_MS, 10_000);
    let queued: Vec<_> = (1..=10).map(|n| pool.apply_async(&SQUARE, n)).collect();
    say("running: a 10 s task on the pool's only worker, 10 squares queued behind it")?;
    std::thread::sleep(Duration::from_millis(50));
    let pid = rustix::process::Pid::from_raw(i32::try_from(victim)?).context("a worker pid")?;
    rustix::process::kill_process(pid, rustix::process::Signal::KILL)?;
    say("killed: the worker, with SIGKILL")?;
    match long.get_timeout(Duration::from_secs(5)) {
        Err(TaskError::WorkerDied {
            signal: Some(9), ..
        }) => {
            say("failed: the 10 s task, its worker killed by SIGKILL")?;
        }
        other => bail!("the killed task ended with {other:?}"),
    }
    let values: Vec<u64> = queued
        .iter()
        .map(|square| square.get_timeout(Duration::from_secs(5)))
        .collect::<Result<_, _>>()?;
    let now: BTreeSet<u32> = pool.pids().into_iter().collect();
    if now.contains(&victim) || now.len() != 1 {
        bail!("the dead worker {victim} was not replaced: workers {now:?}");
    }
    say("replaced: a new worker took the dead one's place")?;
    if values != squares(10) {
        bail!("the queued squares came back as {values:?}");
    }
    say(format!("completed: the 10 squares {}", PyList(&values)))?;
    pool.join();
    Ok(())
}

fn squares(upto: u64) -> Vec<u64> {
    (1..=upto).map(|n| n * n).collect()
}

static SQUARE: Task<u64, u64> = Task::new("square", |n| n * n);
static CUBE: Task<u64, u64> = Task::new("cube", |n| n * n * n);
static DIVIDE: Task<(i64, i64), i64> = Task::fallible("divide", |(a, b)| {
    a.checked_div(b)
        .ok_or_else(|| format!("cannot divide {a} by {b}"))
});
/// n², with the process id of the worker that computed it.
static SQUARE_WHERE: Task<u64, (u64, u32)> =
    Task::new("square_where", |n| (n * n, std::process::id()));
/// Sleeps `ms` milliseconds: the task the last section's worker is killed in.
static SLEEP_MS: Task<u64, ()> = Task::new("sleep_ms", |ms| {
    std::thread::sleep(Duration::from_millis(ms));
});

/// What the initializer stored in this worker process.
static TAG: OnceLock<String> = OnceLock::new();
static SET_TAG: Task<String, ()> = Task::fallible("set_tag", |tag| {
    TAG.set(tag)
        .map_err(|_| "the initializer ran twice".to_owned())
});
static TAG_SEEN: Task<(), String> =
    Task::new("tag_seen", |()| TAG.get().cloned().unwrap_or_default());

/// Shows what a process pool does, one labelled section per feature, on real
/// worker processes (this program, started again as pool workers).
#[derive(Debug, Parser)]
#[command(version, after_help = AFTER_HELP)]
struct Args {
    /// Worker processes in the pools of the first sections, 1 to 64 [default: one
    /// per core].
    #[arg(long, value_name = "W", value_parser = clap::value_parser!(u16).range(1..=64))]
    workers: Option<u16>,
}

const AFTER_HELP: &str = "\
The last section kills a worker with SIGKILL while it runs a task, and shows the pool replacing it.
Check a run's output with:  cargo run -q --release -p ex02-process-pool | cargo xtask check ex02 -";
