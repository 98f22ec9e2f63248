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
            // One thread races with nobody, so it loses nothing. Several can lose
            // all but a little: at least 2 survive when each thread increments more
            // than once (the last writer's first and last updates), 1 otherwise.
            let least = match (threads, each) {
                (1, _) => total,
                (_, 1) => 1,
                _ => 2,
            };
            if counter < least.min(total) || counter > total {
                return reject(format!(
                    "an unlocked counter of {threads} thread(s) x {each} ends between {} and {total}, not at {counter}",
                    least.min(total)
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
