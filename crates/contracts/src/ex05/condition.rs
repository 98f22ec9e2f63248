//! Checks the Condition section: each item taken only after it was added, in order.

use super::{Section, incomplete, once, rules, unrecognised};
use sync_kit::fmt::PyList;

use crate::pylist::{numbers, parse_int_list};
use crate::{Line, Rejection};

#[derive(Default)]
pub(super) struct ConditionSection {
    added: u64,
    taken: Vec<u64>,
    summary: Option<()>,
}

impl Section for ConditionSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let order = |why: String| Err(Rejection::at(line, rules::CONDITION_ORDER, why));
        if let Some(list) = line.text.strip_prefix("consumer took ") {
            let Some(list) = parse_int_list(list) else {
                return Err(unrecognised(line, "Condition"));
            };
            if !list
                .iter()
                .map(|&i| i as u64)
                .eq(self.taken.iter().copied())
            {
                return Err(Rejection::at(
                    line,
                    rules::CONDITION_RESULT,
                    format!(
                        "the consumer took {}, not {}",
                        PyList(&self.taken),
                        PyList(&list)
                    ),
                ));
            }
            return once(&mut self.summary, (), line, "consumer took [...]");
        }
        if self.summary.is_some() {
            return order("nothing is added or taken after the consumer's summary".into());
        }
        if let Some([item]) = numbers(&line.text, "added {}") {
            if item != self.added + 1 {
                return order(format!(
                    "added {item}, but the next item is {}",
                    self.added + 1
                ));
            }
            self.added = item;
            return Ok(());
        }
        let Some([item]) = numbers(&line.text, "took {}") else {
            return Err(unrecognised(line, "Condition"));
        };
        let next = self.taken.len() as u64 + 1;
        if item != next {
            return order(format!("took {item}, but the next item to take is {next}"));
        }
        if item > self.added {
            return order(format!("took {item} before it was added"));
        }
        self.taken.push(item);
        Ok(())
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        if self.summary.is_none() {
            return Err(incomplete(header, "Condition", "consumer took [...]"));
        }
        if self.taken.is_empty() {
            return Err(incomplete(header, "Condition", "took N"));
        }
        Ok(())
    }
}
