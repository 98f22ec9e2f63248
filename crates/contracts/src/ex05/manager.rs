//! Checks the Manager (processes) section: the course's `['data']`, every append
//! from every process in the shared list once, and the server ended with its
//! manager.

use super::{Section, first_missing, once, rules, unrecognised};
use crate::pylist::numbers;
use crate::{Line, Rejection};

const SECTION: &str = "Manager (processes)";

#[derive(Default)]
pub(super) struct ManagerSection {
    course: Option<()>,
    appends: Option<()>,
    ended: Option<()>,
}

impl Section for ManagerSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let text = line.text.as_str();
        if text.starts_with('[') && text.ends_with(']') {
            if text != "['data']" && text != "[\"data\"]" {
                return Err(Rejection::at(
                    line,
                    rules::MANAGER_RESULT,
                    format!(
                        "one child appending 'data' to an empty shared list leaves ['data'], not {text}"
                    ),
                ));
            }
            return once(&mut self.course, (), line, "['data']");
        }
        if let Some([processes, each, items]) = numbers(
            text,
            "{} processes x {} appends: list has {} items, each once",
        ) {
            if processes.checked_mul(each) != Some(items) {
                return Err(Rejection::at(
                    line,
                    rules::MANAGER_RESULT,
                    format!(
                        "{processes} processes x {each} appends make {} items, not {items}",
                        processes.saturating_mul(each)
                    ),
                ));
            }
            return once(&mut self.appends, (), line, "processes x appends");
        }
        if numbers::<1>(text, "server {} ended with its manager").is_some() {
            return once(&mut self.ended, (), line, "server ended");
        }
        Err(unrecognised(line, SECTION))
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        first_missing(
            header,
            SECTION,
            &[
                (self.course.is_none(), "['data']"),
                (self.appends.is_none(), "processes x appends"),
                (self.ended.is_none(), "server ended with its manager"),
            ],
        )
    }
}
