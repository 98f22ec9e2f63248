//! Checks the Semaphore section: never more threads inside than permits.

use super::{Section, incomplete, once, rules, unrecognised};
use crate::pylist::numbers;
use crate::{Line, Rejection};

#[derive(Default)]
pub(super) struct SemaphoreSection {
    limit: Option<()>,
    bounded: Option<()>,
}

impl Section for SemaphoreSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        if numbers::<1>(&line.text, "bounded: release past {} permits refused").is_some() {
            return once(&mut self.bounded, (), line, "bounded:");
        }
        let Some([threads, permits, most]) = numbers(
            &line.text,
            "{} threads, {} permits: at most {} inside at once",
        ) else {
            return Err(unrecognised(line, "Semaphore"));
        };
        // No more inside than the permits allow, nor than the threads that exist.
        let ceiling = permits.min(threads);
        if most == 0 || most > ceiling {
            return Err(Rejection::at(
                line,
                rules::SEMAPHORE_LIMIT,
                format!(
                    "with {threads} threads and {permits} permits, 1 to {ceiling} can be inside at once, not {most}"
                ),
            ));
        }
        once(&mut self.limit, (), line, "at most")
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        match (self.limit, self.bounded) {
            (None, _) => Err(incomplete(header, "Semaphore", "at most N inside at once")),
            (_, None) => Err(incomplete(header, "Semaphore", "bounded:")),
            _ => Ok(()),
        }
    }
}
