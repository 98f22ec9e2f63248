//! Checks the RLock section: the owner re-entered, and no nested update lost.

use super::{Section, incomplete, once, rules, unrecognised};
use crate::pylist::numbers;
use crate::{Line, Rejection};

#[derive(Default)]
pub(super) struct RLockSection {
    depth: Option<()>,
    total: Option<()>,
}

impl Section for RLockSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let reject = |why: String| Err(Rejection::at(line, rules::RLOCK_RESULT, why));
        if let Some([depth]) = numbers(&line.text, "owner re-entered: depth {}") {
            if depth < 2 {
                return reject(format!(
                    "re-entering makes a depth of 2 or more, not {depth}"
                ));
            }
            return once(&mut self.depth, (), line, "owner re-entered");
        }
        let Some([threads, each, total, expected]) = numbers(
            &line.text,
            "{} threads x {} nested updates: total = {} of {}",
        ) else {
            return Err(unrecognised(line, "RLock"));
        };
        if threads.checked_mul(each) != Some(expected) || total != expected {
            return reject(format!(
                "{threads} threads x {each} nested updates make {}, and the total must be it (shown: {total} of {expected})",
                threads.saturating_mul(each)
            ));
        }
        once(&mut self.total, (), line, "nested updates")
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        match (self.depth, self.total) {
            (None, _) => Err(incomplete(header, "RLock", "owner re-entered")),
            (_, None) => Err(incomplete(header, "RLock", "nested updates")),
            _ => Ok(()),
        }
    }
}
