//! The Process pool section: the course's `apply_async` over `[5, 0, 2, 4]` with
//! a `callback` and an `error_callback`, then a worker killed in the middle of a
//! task: its task fails with the worker's death, a new worker takes its place, and
//! the tasks queued behind it complete.

use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, bail};
use sync_kit::fmt::PyList;
use sync_kit::process::{Pool, TaskError, signal_name};

use crate::jobs::Cancel;
use crate::tasks::{KILL_OWN_WORKER, SQUARE, WORKER};
use crate::values::INPUTS;
use crate::{Args, say};

/// How long the section waits for any one callback or result.
const PATIENCE: Duration = Duration::from_secs(10);

/// Process pool.
pub(crate) fn show(_: &Args, _: &Cancel) -> anyhow::Result<()> {
    callbacks()?;
    killed_worker()
}

/// `apply_async(worker, (n,), callback=..., error_callback=...)` for each input.
/// The callbacks run on the pool's threads; each hands its line to this thread,
/// which prints it, so every line follows the submission it answers.
fn callbacks() -> anyhow::Result<()> {
    let pool = Pool::new(4).context("starting a pool of 4")?;
    let (heard, lines) = mpsc::channel();
    let mut handles = Vec::new();
    for n in INPUTS {
        say(format_args!("apply_async(worker, ({n},))"))?;
        let (on_value, on_error) = (heard.clone(), heard.clone());
        handles.push(pool.apply_async_with(
            &WORKER,
            n,
            move |value| {
                let _ = on_value.send(format!("Result: {value:?}"));
            },
            move |error| {
                let _ = on_error.send(match error {
                    TaskError::Failed(message) => format!("Exception: {message}"),
                    other => format!("Exception: {other}"),
                });
            },
        ));
    }
    drop(heard);
    for _ in INPUTS {
        let line = lines
            .recv_timeout(PATIENCE)
            .context("a callback never ran")?;
        say(format_args!("{line}"))?;
    }
    for handle in &handles {
        handle.wait_timeout(PATIENCE);
    }
    pool.join();
    Ok(())
}

/// One worker, one task in flight: the task kills its worker while three
/// squares wait in the pool's queue.
fn killed_worker() -> anyhow::Result<()> {
    let pool = Pool::builder()
        .workers(1)
        .in_flight(1)
        .build()
        .context("starting a pool of one")?;
    let (heard, line) = mpsc::channel();
    let doomed = pool.apply_async_with(
        &KILL_OWN_WORKER,
        (),
        |()| {},
        move |error| {
            let _ = heard.send(error.clone());
        },
    );
    let queued: Vec<_> = (1..=3).map(|n| pool.apply_async(&SQUARE, n)).collect();
    say(format_args!(
        "submitted: a task that kills its own worker with SIGKILL, 3 squares queued behind it"
    ))?;
    match line.recv_timeout(PATIENCE) {
        Ok(TaskError::WorkerDied {
            pid,
            signal: Some(signal),
            ..
        }) => say(format_args!(
            "error_callback: worker {pid} died of {} in the middle of the task",
            signal_name(signal).unwrap_or("a signal")
        ))?,
        other => bail!("the task that kills its worker ended with {other:?}"),
    }
    if doomed.get_timeout(PATIENCE).is_ok() {
        bail!("the killed task did not fail");
    }
    let squares = queued
        .iter()
        .map(|square| square.get_timeout(PATIENCE))
        .collect::<Result<Vec<u64>, _>>()?;
    let worker = pool
        .pids()
        .first()
        .copied()
        .context("the pool has no worker")?;
    say(format_args!(
        "the 3 squares behind it: {}, on the new worker {worker}",
        PyList(&squares)
    ))?;
    pool.join();
    Ok(())
}
