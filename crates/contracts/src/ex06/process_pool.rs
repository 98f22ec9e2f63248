//! Checks the Process pool section: each callback reports `10 / n` for an input
//! submitted before it (one exception for 0), and after a worker kills itself its
//! task fails with the worker's death and the squares behind it complete.

use std::collections::BTreeMap;

use super::{python_quotient, rules};
use crate::pylist::{fields, numbers, parse_int_list};
use crate::sections::{Section, first_missing, once, unrecognised};
use crate::{Line, Rejection};

const SECTION: &str = "Process pool";

#[derive(Default)]
pub(super) struct ProcessPoolSection {
    /// Each input submitted, and how many of its answers are still owed.
    owed: BTreeMap<u64, usize>,
    answered: usize,
    submitted_killer: Option<()>,
    /// The worker that died.
    died: Option<u64>,
    squares: Option<()>,
}

impl Section for ProcessPoolSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let text = line.text.as_str();
        let reject = |why: String| Err(Rejection::at(line, rules::CALLBACK_RESULTS, why));
        if let Some([n]) = numbers(text, "apply_async(worker, ({},))") {
            *self.owed.entry(n).or_default() += 1;
            return Ok(());
        }
        let answered = if let Some(found) = fields(text, "Result: {}") {
            let value = found[0];
            self.owed
                .iter()
                .find(|&(&n, &owed)| owed > 0 && python_quotient(n).as_deref() == Some(value))
                .map(|(&n, _)| n)
                .ok_or_else(|| format!("Result: {value} answers no input submitted and unanswered"))
        } else if text == "Exception: Zero is not allowed!" {
            self.owed
                .get(&0)
                .filter(|&&owed| owed > 0)
                .map(|_| 0)
                .ok_or_else(|| "an exception answers no 0 submitted and unanswered".to_owned())
        } else {
            return self.killed_worker(line);
        };
        match answered {
            Ok(n) => {
                *self.owed.entry(n).or_default() -= 1;
                self.answered += 1;
                Ok(())
            }
            Err(why) => reject(why),
        }
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        if let Some((n, _)) = self.owed.iter().find(|&(_, &owed)| owed > 0) {
            return Err(Rejection::at(
                header,
                rules::CALLBACK_RESULTS,
                format!("apply_async(worker, ({n},)) was never answered by a callback"),
            ));
        }
        first_missing(
            header,
            SECTION,
            &[
                (self.answered == 0, "Result: …"),
                (
                    self.submitted_killer.is_none(),
                    "submitted: a task that kills its own worker",
                ),
                (self.died.is_none(), "error_callback: worker N died"),
                (self.squares.is_none(), "the 3 squares behind it"),
            ],
        )
    }
}

impl ProcessPoolSection {
    /// The lines about the worker killed mid-task.
    fn killed_worker(&mut self, line: &Line) -> Result<(), Rejection> {
        let text = line.text.as_str();
        let reject = |why: String| Err(Rejection::at(line, rules::CALLBACK_RESULTS, why));
        if text.starts_with("submitted: a task that kills its own worker with SIGKILL, ")
            && text.ends_with(" squares queued behind it")
        {
            return once(&mut self.submitted_killer, (), line, "submitted");
        }
        if let Some(found) = fields(
            text,
            "error_callback: worker {} died of {} in the middle of the task",
        ) {
            let Ok(pid) = found[0].parse() else {
                return Err(unrecognised(line, SECTION));
            };
            if self.submitted_killer.is_none() {
                return reject("a worker died before the task that kills it was submitted".into());
            }
            return once(&mut self.died, pid, line, "error_callback");
        }
        if let Some(found) = fields(text, "the 3 squares behind it: {}, on the new worker {}") {
            let (Some(squares), Ok(pid)) = (parse_int_list(found[0]), found[1].parse::<u64>())
            else {
                return Err(unrecognised(line, SECTION));
            };
            let Some(dead) = self.died else {
                return reject("the squares complete after the worker's death was reported".into());
            };
            if squares != [1, 4, 9] {
                return reject(format!(
                    "the squares of 1, 2, 3 are [1, 4, 9], not {}",
                    found[0]
                ));
            }
            if pid == dead {
                return reject(format!("worker {pid} died: the squares ran on a new one"));
            }
            return once(&mut self.squares, (), line, "the 3 squares behind it");
        }
        Err(unrecognised(line, SECTION))
    }
}
