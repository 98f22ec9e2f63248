//! The Errors as values section: worker threads catch their own failures and send
//! every outcome back over a queue, a value or an error, so the caller hears of
//! each one, in the order they arrive (the course's queue technique).

use std::thread;
use std::time::Duration;

use anyhow::{Context, bail};
use sync_kit::Queue;

use crate::jobs::Cancel;
use crate::{Args, say};

/// The course's inputs: `10 / n` for each, and 0 fails.
pub(crate) const INPUTS: [u64; 4] = [5, 0, 2, 4];

/// `10 / n` as Python computes it, or Python's message for `n = 0`.
pub(crate) fn divide(n: u64) -> Result<f64, String> {
    match n {
        0 => Err("division by zero".to_owned()),
        // Exact: both are small whole numbers.
        #[expect(clippy::cast_precision_loss, reason = "n is a small whole number")]
        n => Ok(10.0 / n as f64),
    }
}

/// Errors as values.
pub(crate) fn show(_: &Args, _: &Cancel) -> anyhow::Result<()> {
    let outcomes: Queue<(usize, Result<f64, String>)> = Queue::unbounded();
    thread::scope(|scope| -> anyhow::Result<()> {
        for (task, n) in (1..).zip(INPUTS) {
            let outcomes = &outcomes;
            thread::Builder::new()
                .name(format!("task-{task}"))
                .spawn_scoped(scope, move || {
                    // Printed before the work, so it precedes what the caller hears.
                    let _ = say(format_args!("task {task} started: 10 / {n}"));
                    outcomes.put((task, divide(n)));
                })
                .context("spawning a task thread")?;
        }
        let (mut values, mut errors) = (0, 0);
        for _ in INPUTS {
            let Some((task, outcome)) = outcomes.get_timeout(Duration::from_secs(10)) else {
                bail!("a task sent nothing within 10 s");
            };
            match outcome {
                Ok(value) => {
                    values += 1;
                    say(format_args!("received from task {task}: {value:?}"))?;
                }
                Err(error) => {
                    errors += 1;
                    say(format_args!("received from task {task}: error: {error}"))?;
                }
            }
        }
        Ok(say(format_args!(
            "{} tasks: {values} values, {errors} error{}, every outcome received",
            INPUTS.len(),
            if errors == 1 { "" } else { "s" }
        ))?)
    })
}
