//! Checks the Errors as values section: each task's outcome is received once,
//! after the task started, and is `10 / n`, or an error exactly when `n` is 0.

use std::collections::BTreeMap;

use super::{python_quotient, rules};
use crate::pylist::{fields, numbers};
use crate::sections::{Section, first_missing, once, unrecognised};
use crate::{Line, Rejection};

const SECTION: &str = "Errors as values";

#[derive(Default)]
pub(super) struct ValuesSection {
    /// Each task's divisor, and whether its outcome was received (as an error?).
    tasks: BTreeMap<u64, (u64, Option<bool>)>,
    summary: Option<()>,
}

impl Section for ValuesSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let text = line.text.as_str();
        let reject = |why: String| Err(Rejection::at(line, rules::ERROR_VALUES, why));
        if let Some([task, n]) = numbers(text, "task {} started: 10 / {}") {
            if self.tasks.insert(task, (n, None)).is_some() {
                return reject(format!("task {task} started twice"));
            }
            return Ok(());
        }
        if let Some(found) = fields(text, "received from task {}: {}") {
            let Ok(task) = found[0].parse::<u64>() else {
                return Err(unrecognised(line, SECTION));
            };
            let Some((n, received)) = self.tasks.get_mut(&task) else {
                return reject(format!("task {task}'s outcome came before it started"));
            };
            if received.is_some() {
                return reject(format!("task {task}'s outcome was received twice"));
            }
            let outcome = found[1];
            let error = outcome.starts_with("error: ");
            match python_quotient(*n) {
                None if !error => {
                    return reject(format!("10 / 0 gave {outcome}, not an error"));
                }
                Some(value) if value != outcome => {
                    return reject(format!("10 / {n} is {value}, not {outcome}"));
                }
                _ => {}
            }
            *received = Some(error);
            return Ok(());
        }
        if let Some([tasks, values, errors]) = numbers(
            text,
            "{} tasks: {} values, {} error, every outcome received",
        )
        .or_else(|| {
            numbers(
                text,
                "{} tasks: {} values, {} errors, every outcome received",
            )
        }) {
            let counted = self.count();
            if (tasks, values, errors) != counted {
                return reject(format!(
                    "{} tasks started: {} values and {} errors received",
                    counted.0, counted.1, counted.2
                ));
            }
            return once(&mut self.summary, (), line, "N tasks");
        }
        Err(unrecognised(line, SECTION))
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        if let Some((task, _)) = self.tasks.iter().find(|(_, (_, got))| got.is_none()) {
            return Err(Rejection::at(
                header,
                rules::ERROR_VALUES,
                format!("task {task}'s outcome was never received"),
            ));
        }
        first_missing(
            header,
            SECTION,
            &[
                (self.tasks.is_empty(), "task N started"),
                (self.summary.is_none(), "N tasks: …, every outcome received"),
            ],
        )
    }
}

impl ValuesSection {
    /// Tasks started, values received, errors received.
    fn count(&self) -> (u64, u64, u64) {
        let received = |error: bool| {
            self.tasks
                .values()
                .filter(|(_, got)| *got == Some(error))
                .count() as u64
        };
        (self.tasks.len() as u64, received(false), received(true))
    }
}
