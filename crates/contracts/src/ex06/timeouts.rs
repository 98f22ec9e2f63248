//! Checks the Timeouts and cancellation section: each task that overran its
//! timeout is said to be cancelled or abandoned, and what became of it fits: the
//! cancelled thread stopped before its end, the abandoned one ended later by
//! itself, the killed process's pool answers from a new worker.

use super::rules;
use crate::pylist::{fields, numbers};
use crate::sections::{Section, first_missing, once, unrecognised};
use crate::{Line, Rejection};

const SECTION: &str = "Timeouts and cancellation";

#[derive(Default)]
pub(super) struct TimeoutsSection {
    /// The timeout every line states.
    timeout: Option<u64>,
    stopped: Option<()>,
    queued: Option<()>,
    abandoned: Option<()>,
    ended: Option<()>,
    /// The worker killed to cancel the process task.
    killed: Option<u64>,
    answered: Option<()>,
}

impl Section for TimeoutsSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let text = line.text.as_str();
        let reject = |why: String| Err(Rejection::at(line, rules::TIMEOUT_OUTCOME, why));
        if let Some([limit, steps, of]) = numbers(
            text,
            "thread task with a stop flag: no result within {} ms: cancelled: it saw the flag and stopped after {} of {} steps",
        ) {
            self.same_timeout(line, limit)?;
            if steps >= of {
                return reject(format!("it did all {of} steps: it was not cancelled"));
            }
            return once(&mut self.stopped, (), line, "thread task with a stop flag");
        }
        if text == "queued thread task: cancel() before it started: it never ran" {
            return once(&mut self.queued, (), line, "queued thread task");
        }
        if let Some([limit]) = numbers(
            text,
            "thread task without a stop flag: no result within {} ms: abandoned, still running",
        ) {
            self.same_timeout(line, limit)?;
            return once(
                &mut self.abandoned,
                (),
                line,
                "thread task without a stop flag",
            );
        }
        if let Some([at]) = numbers(
            text,
            "the abandoned task ended by itself at {} ms; nobody used its result",
        ) {
            if self.abandoned.is_none() {
                return reject("a task ends abandoned only after it was abandoned".into());
            }
            if self.timeout.is_some_and(|limit| at < limit) {
                return reject(format!(
                    "it was abandoned at its timeout, so it ended after it, not at {at} ms"
                ));
            }
            return once(&mut self.ended, (), line, "the abandoned task ended");
        }
        if let Some(found) = fields(
            text,
            "process task: no result within {} ms: cancelled by killing its worker {} ({})",
        ) {
            let (Ok(limit), Ok(pid)) = (found[0].parse(), found[1].parse()) else {
                return Err(unrecognised(line, SECTION));
            };
            self.same_timeout(line, limit)?;
            return once(&mut self.killed, pid, line, "process task");
        }
        if let Some([pid, seven, also_seven, product]) =
            numbers(text, "the pool's new worker {} answered: {} x {} = {}")
        {
            let Some(killed) = self.killed else {
                return reject(
                    "the pool answers from a new worker only after the old one was killed".into(),
                );
            };
            if pid == killed {
                return reject(format!(
                    "worker {pid} was killed: the answer comes from a new one"
                ));
            }
            if seven * also_seven != product {
                return reject(format!("{seven} x {also_seven} is not {product}"));
            }
            return once(&mut self.answered, (), line, "the pool's new worker");
        }
        Err(unrecognised(line, SECTION))
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        first_missing(
            header,
            SECTION,
            &[
                (self.stopped.is_none(), "thread task with a stop flag"),
                (self.queued.is_none(), "queued thread task"),
                (self.abandoned.is_none(), "thread task without a stop flag"),
                (self.ended.is_none(), "the abandoned task ended by itself"),
                (self.killed.is_none(), "process task"),
                (self.answered.is_none(), "the pool's new worker"),
            ],
        )
    }
}

impl TimeoutsSection {
    /// Every line states the same timeout.
    fn same_timeout(&mut self, line: &Line, limit: u64) -> Result<(), Rejection> {
        match self.timeout.replace(limit) {
            Some(earlier) if earlier != limit => Err(Rejection::at(
                line,
                rules::TIMEOUT_OUTCOME,
                format!("a timeout of {limit} ms after one of {earlier} ms"),
            )),
            _ => Ok(()),
        }
    }
}
