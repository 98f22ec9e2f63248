//! Checks the Value and Array (processes) section: the course's `1 [1, 1, 2, 3]`,
//! and `value += 1` without the Value's lock (updates may be lost) and with it.

use super::lock::Counters;
use super::{Section, incomplete, once, rules, unrecognised};
use crate::{Line, Rejection};

const SECTION: &str = "Value and Array (processes)";

/// What the course's example prints: the value, then the array.
const COURSE: &str = "1 [1, 1, 2, 3]";

pub(super) struct ValueArraySection {
    counters: Counters,
    course: Option<()>,
}

impl Default for ValueArraySection {
    fn default() -> Self {
        Self {
            counters: Counters::new(
                SECTION,
                [
                    "value += 1 without get_lock(): ",
                    "value += 1 with get_lock(): ",
                ],
                "{} processes x {}: value = {} of {}",
            ),
            course: None,
        }
    }
}

impl Section for ValueArraySection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        if let Some(counted) = self.counters.line(line) {
            return counted;
        }
        let shaped = line.text.split_once(' ').is_some_and(|(value, array)| {
            value.parse::<i64>().is_ok() && array.starts_with('[') && array.ends_with(']')
        });
        if !shaped {
            return Err(unrecognised(line, SECTION));
        }
        if line.text != COURSE {
            return Err(Rejection::at(
                line,
                rules::VALUE_ARRAY_RESULT,
                format!(
                    "one child adding 1 to Value(0) and to Array([0, 1, 2, 3])[0] leaves `{COURSE}`, not `{}`",
                    line.text
                ),
            ));
        }
        once(&mut self.course, (), line, COURSE)
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        if self.course.is_none() {
            return Err(incomplete(header, SECTION, COURSE));
        }
        self.counters.end(header)
    }

    fn summary(&self) -> Option<String> {
        self.counters.summary("by value += 1 without get_lock()")
    }
}
