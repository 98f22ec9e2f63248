//! The Timeouts and cancellation section: a task that overruns its deadline is
//! either cancelled (a thread that looks at a stop flag; a queued task that never
//! started; a process, whose worker can be killed) or abandoned (a thread that
//! cannot be told to stop runs on, and nobody waits for it). The program says
//! which, each time.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sync_kit::process::{self, Pool};
use sync_kit::{TaskError, ThreadPool};

use crate::jobs::Cancel;
use crate::tasks::{SLEEP_MS, SQUARE};
use crate::{Args, say};

/// How long the section waits for anything that should end.
const PATIENCE: Duration = Duration::from_secs(10);

/// Steps of a millisecond the stoppable task would take.
const STEPS: u64 = 1000;

/// Timeouts and cancellation.
pub(crate) fn show(args: &Args, _: &Cancel) -> anyhow::Result<()> {
    let timeout = Duration::from_millis(args.timeout);
    let limit = timeout.as_millis();
    let pool = ThreadPool::new(1)?;

    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let stoppable = pool.submit(move || {
        (0..STEPS)
            .take_while(|_| {
                std::thread::sleep(Duration::from_millis(1));
                !flag.load(Ordering::SeqCst)
            })
            .count()
    });
    if stoppable.wait_timeout(timeout) {
        bail!("{STEPS} steps of 1 ms finished within {limit} ms");
    }
    stop.store(true, Ordering::SeqCst);
    let steps = stoppable.result_timeout(PATIENCE)?;
    say(format_args!(
        "thread task with a stop flag: no result within {limit} ms: cancelled: it saw the flag and stopped after {steps} of {STEPS} steps"
    ))?;
    let waiting = pool.submit(|| std::thread::sleep(Duration::from_millis(50)));
    let behind = pool.submit(|| ());
    if !behind.cancel() {
        bail!("a task queued behind a running one could not be cancelled");
    }
    match behind.result_timeout(PATIENCE) {
        Err(TaskError::Cancelled) => say(format_args!(
            "queued thread task: cancel() before it started: it never ran"
        ))?,
        other => bail!("a cancelled task gave {other:?}"),
    }
    waiting.result_timeout(PATIENCE)?;

    let started = Instant::now();
    let unstoppable = pool.submit(move || std::thread::sleep(3 * timeout));
    if unstoppable.wait_timeout(timeout) {
        bail!("a task of {} ms finished within {limit} ms", 3 * limit);
    }
    say(format_args!(
        "thread task without a stop flag: no result within {limit} ms: abandoned, still running"
    ))?;
    unstoppable.result_timeout(PATIENCE)?;
    say(format_args!(
        "the abandoned task ended by itself at {} ms; nobody used its result",
        started.elapsed().as_millis()
    ))?;
    pool.shutdown(true, false);

    process_task(timeout)
}

/// A process task that overruns: cancelled by killing its worker; the pool
/// replaces the worker.
fn process_task(timeout: Duration) -> anyhow::Result<()> {
    let limit = timeout.as_millis();
    let pool = Pool::builder()
        .workers(1)
        .build()
        .context("starting a pool of one")?;
    let worker = pool
        .pids()
        .first()
        .copied()
        .context("the pool has no worker")?;
    let overrun = pool.apply_async(&SLEEP_MS, 60_000);
    match overrun.get_timeout(timeout) {
        Err(process::TaskError::TimedOut) => {}
        other => bail!("a task of 60 s gave {other:?} within {limit} ms"),
    }
    let pid = rustix::process::Pid::from_raw(i32::try_from(worker)?).context("a worker pid")?;
    rustix::process::kill_process(pid, rustix::process::Signal::KILL)?;
    match overrun.get_timeout(PATIENCE) {
        Err(error @ process::TaskError::WorkerDied { .. }) => say(format_args!(
            "process task: no result within {limit} ms: cancelled by killing its worker {worker} ({error})"
        ))?,
        other => bail!("the cancelled process task gave {other:?}"),
    }
    let answer = pool.apply_timeout(&SQUARE, 7, PATIENCE)?;
    let replacement = pool
        .pids()
        .first()
        .copied()
        .context("the pool has no worker")?;
    say(format_args!(
        "the pool's new worker {replacement} answered: 7 x 7 = {answer}"
    ))?;
    pool.join();
    Ok(())
}
