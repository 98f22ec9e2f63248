//! Checks the Thread pool section: the failed task's error and the panicked
//! task's message come back after they were submitted, and the pool runs tasks
//! afterwards.

use super::rules;
use crate::pylist::{fields, parse_int_list};
use crate::sections::{Section, first_missing, once, unrecognised};
use crate::{Line, Rejection};

const SECTION: &str = "Thread pool";

#[derive(Default)]
pub(super) struct ThreadPoolSection {
    submitted: [Option<()>; 2],
    returned: Option<()>,
    panicked: Option<()>,
    after: Option<()>,
}

impl Section for ThreadPoolSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let text = line.text.as_str();
        let reject = |why: &str| Err(Rejection::at(line, rules::POOL_ERRORS, why.to_owned()));
        if fields(text, "submitted task 1: {}").is_some() {
            return once(&mut self.submitted[0], (), line, "submitted task 1");
        }
        if fields(text, "submitted task 2: {}").is_some() {
            return once(&mut self.submitted[1], (), line, "submitted task 2");
        }
        if fields(text, "task 1 returned an error: {}").is_some() {
            if self.submitted[0].is_none() {
                return reject("task 1's error came back before it was submitted");
            }
            return once(&mut self.returned, (), line, "task 1 returned an error");
        }
        if fields(text, "task 2 panicked: {}").is_some() {
            if self.submitted[1].is_none() {
                return reject("task 2's panic came back before it was submitted");
            }
            return once(&mut self.panicked, (), line, "task 2 panicked");
        }
        if let Some(found) = fields(text, "after: the pool's {} workers ran {} more tasks: {}") {
            let (Ok(workers), Ok(ran), Some(answers)) = (
                found[0].parse::<usize>(),
                found[1].parse::<usize>(),
                parse_int_list(found[2]),
            ) else {
                return Err(unrecognised(line, SECTION));
            };
            if self.returned.is_none() || self.panicked.is_none() {
                return reject(
                    "the pool is shown running tasks after the failures only once both came back",
                );
            }
            if workers == 0 || ran != answers.len() || answers.iter().any(|&a| a != 42) {
                return reject("after the failures the pool's workers must each answer 6 x 7 = 42");
            }
            return once(&mut self.after, (), line, "after");
        }
        Err(unrecognised(line, SECTION))
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        first_missing(
            header,
            SECTION,
            &[
                (self.submitted[0].is_none(), "submitted task 1"),
                (self.submitted[1].is_none(), "submitted task 2"),
                (self.returned.is_none(), "task 1 returned an error"),
                (self.panicked.is_none(), "task 2 panicked"),
                (self.after.is_none(), "after: the pool's N workers ran"),
            ],
        )
    }
}
