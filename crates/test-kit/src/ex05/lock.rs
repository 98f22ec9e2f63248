//! Checks the Lock section: the unlocked count is possible, the locked one exact.

use super::{Section, incomplete, once, rules, unrecognised};
use crate::pylist::numbers;
use crate::{Line, Rejection};

#[derive(Default)]
pub(super) struct LockSection {
    /// The unlocked counter and its total.
    unlocked: Option<(u64, u64)>,
    locked: Option<()>,
}

impl Section for LockSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        const TEMPLATE: &str = "{} threads x {} increments: counter = {} of {}";
        let (locked, rest) = if let Some(rest) = line.text.strip_prefix("locked: ") {
            (true, rest)
        } else if let Some(rest) = line.text.strip_prefix("unlocked: ") {
            (false, rest)
        } else {
            return Err(unrecognised(line, "Lock"));
        };
        let Some([threads, each, counter, total]) = numbers(rest, TEMPLATE) else {
            return Err(unrecognised(line, "Lock"));
        };
        let reject = |why: String| Err(Rejection::at(line, rules::LOCK_COUNT, why));
        if threads.checked_mul(each) != Some(total) {
            return reject(format!("{threads} threads x {each} is not {total}"));
        }
        if locked {
            if counter != total {
                return reject(format!(
                    "the locked counter must reach {total}, not {counter}: an update was lost"
                ));
            }
            once(&mut self.locked, (), line, "locked:")
        } else {
            if counter == 0 || counter > total {
                return reject(format!(
                    "an unlocked counter ends between 1 and {total}, not at {counter}"
                ));
            }
            once(&mut self.unlocked, (counter, total), line, "unlocked:")
        }
    }

    fn end(&mut self, header: &Line) -> Result<(), Rejection> {
        match (self.unlocked, self.locked) {
            (None, _) => Err(incomplete(header, "Lock", "unlocked:")),
            (_, None) => Err(incomplete(header, "Lock", "locked:")),
            _ => Ok(()),
        }
    }

    fn summary(&self) -> Option<String> {
        self.unlocked.map(|(counter, total)| {
            format!(
                "{} of {total} updates lost without the lock",
                total - counter
            )
        })
    }
}
