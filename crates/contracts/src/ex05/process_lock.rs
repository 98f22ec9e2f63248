//! Checks the Lock (processes) section: its counter lines, then a holder killed
//! inside the lock, seen dead by the next locker, who finds the state as the
//! holder left it and repairs it.

use super::lock::Counters;
use super::{Section, first_missing, once, rules, unrecognised};
use crate::pylist::numbers;
use crate::{Line, Rejection};

const SECTION: &str = "Lock (processes)";

pub(super) struct ProcessLockSection {
    counters: Counters,
    /// The holder's pid and the accounts as it left them, once it took the lock.
    took: Option<(u64, [u64; 2])>,
    killed: Option<()>,
    /// The accounts as the next locker found them.
    found: Option<[u64; 2]>,
    repaired: Option<()>,
}

impl Default for ProcessLockSection {
    fn default() -> Self {
        Self {
            counters: Counters::new(
                SECTION,
                ["unlocked: ", "locked: "],
                "{} processes x {} increments: counter = {} of {}",
            ),
            took: None,
            killed: None,
            found: None,
            repaired: None,
        }
    }
}

impl Section for ProcessLockSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        if let Some(counted) = self.counters.line(line) {
            return counted;
        }
        let reject = |why: String| Err(Rejection::at(line, rules::LOCK_OWNER_DIED, why));
        let text = line.text.as_str();
        if let Some([pid, moved, a, b]) = numbers(
            text,
            "holder {} took the lock and moved {} out of a: a = {}, b = {}",
        ) {
            if moved == 0 {
                return reject("the holder must leave a half-done change to repair".into());
            }
            return once(&mut self.took, (pid, [a, b]), line, "holder took the lock");
        }
        if let Some([pid]) = numbers(text, "holder {} killed inside the lock") {
            match self.took {
                None => return reject("a holder is killed only after it took the lock".into()),
                Some((holder, _)) if holder != pid => {
                    return reject(format!("holder {holder} took the lock, not {pid}"));
                }
                Some(_) => {}
            }
            return once(&mut self.killed, (), line, "holder killed");
        }
        let next = numbers(
            text,
            "next locker: process {} died holding the lock; a = {}, b = {}: a + b = {} of {}",
        )
        .map(|[pid, a, b, sum, of]| (Some(pid), [a, b, sum, of]))
        .or_else(|| {
            numbers(
                text,
                "next locker: a process died holding the lock; a = {}, b = {}: a + b = {} of {}",
            )
            .map(|numbers| (None, numbers))
        });
        if let Some((pid, [a, b, sum, _])) = next {
            let Some((holder, left)) = self.took.filter(|_| self.killed.is_some()) else {
                return reject("the next locker can only see a holder that was killed".into());
            };
            if pid.is_some_and(|pid| pid != holder) {
                return reject(format!("the holder that died was {holder}"));
            }
            if [a, b] != left || a + b != sum {
                return reject(format!(
                    "the next locker finds the accounts as holder {holder} left them (a = {}, b = {}), and their sum",
                    left[0], left[1]
                ));
            }
            return once(&mut self.found, [a, b], line, "next locker");
        }
        if let Some([a, b, sum, of]) = numbers(text, "repaired: a = {}, b = {}: a + b = {} of {}") {
            let Some(found) = self.found else {
                return reject("a repair comes after the next locker found the holder dead".into());
            };
            if a != found[0] || a + b != sum || sum != of {
                return reject(format!(
                    "the repair keeps a = {} and makes a + b whole again, not a = {a}, b = {b}",
                    found[0]
                ));
            }
            return once(&mut self.repaired, (), line, "repaired");
        }
        Err(unrecognised(line, SECTION))
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        self.counters.end(header)?;
        first_missing(
            header,
            SECTION,
            &[
                (self.took.is_none(), "holder took the lock"),
                (self.killed.is_none(), "holder killed inside the lock"),
                (self.found.is_none(), "next locker"),
                (self.repaired.is_none(), "repaired"),
            ],
        )
    }

    fn summary(&self) -> Option<String> {
        self.counters.summary("by processes without the lock")
    }
}
