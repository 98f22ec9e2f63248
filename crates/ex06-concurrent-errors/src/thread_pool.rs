//! The Thread pool section: a task that returns an error and one that panics,
//! both handed back by their handles, and the pool's workers alive afterwards.

use std::time::Duration;

use anyhow::bail;
use sync_kit::{TaskError, ThreadPool};

use crate::jobs::Cancel;
use crate::panics::deliberate;
use crate::{Args, say};

/// How long the section waits for any one result.
const PATIENCE: Duration = Duration::from_secs(10);

/// Thread pool.
pub(crate) fn show(_: &Args, _: &Cancel) -> anyhow::Result<()> {
    let pool = ThreadPool::new(2)?;
    say(format_args!("submitted task 1: parse \"42x\" as a number"))?;
    let parse = pool.submit(|| "42x".parse::<u64>().map_err(|e| e.to_string()));
    say(format_args!("submitted task 2: element 7 of a list of 3"))?;
    let index = pool.submit(|| -> u64 { deliberate("index 7 is out of range for a list of 3") });
    match parse.result_timeout(PATIENCE) {
        Ok(Err(error)) => say(format_args!("task 1 returned an error: {error}"))?,
        other => bail!("parsing \"42x\" gave {other:?}"),
    }
    match index.result_timeout(PATIENCE) {
        Err(TaskError::Panicked(message)) => {
            say(format_args!("task 2 panicked: {message}"))?;
        }
        other => bail!("the panicking task gave {other:?}"),
    }
    let after: Vec<_> = (1..=pool.workers())
        .map(|_| pool.submit(|| 6 * 7))
        .collect();
    let answers = after
        .into_iter()
        .map(|handle| handle.result_timeout(PATIENCE))
        .collect::<Result<Vec<u64>, _>>()?;
    say(format_args!(
        "after: the pool's {} workers ran {} more tasks: {}",
        pool.workers(),
        answers.len(),
        sync_kit::fmt::PyList(&answers)
    ))?;
    pool.shutdown(true, false);
    Ok(())
}
