//! Checks the Lock section, and the counter lines every section that races a
//! counter prints: the unlocked count is possible and its loss told right, the
//! locked one exact.

use super::{Section, incomplete, once, rules, unrecognised};
use crate::pylist::numbers;
use crate::{Line, Rejection};

/// The thread Lock section: its two counter lines.
pub(super) struct LockSection {
    counters: Counters,
}

impl Default for LockSection {
    fn default() -> Self {
        Self {
            counters: Counters::new(
                "Lock",
                ["unlocked: ", "locked: "],
                "{} threads x {} increments: counter = {} of {}",
            ),
        }
    }
}

impl Section for LockSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        self.counters
            .line(line)
            .unwrap_or_else(|| Err(unrecognised(line, "Lock")))
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        self.counters.end(header)
    }

    fn summary(&self) -> Option<String> {
        self.counters.summary("without the lock")
    }
}

/// A counter raced without a lock and counted under one: the two lines
/// `<unlocked prefix>R racers x N ...: counter = C of T (what was lost)` and
/// `<locked prefix>R racers x N ...: counter = T of T`.
pub(super) struct Counters {
    section: &'static str,
    prefixes: [&'static str; 2],
    template: &'static str,
    /// The unlocked counter and its total.
    unlocked: Option<(u64, u64)>,
    locked: Option<()>,
}

impl Counters {
    /// The counter lines of `section`: `prefixes` are the unlocked and the locked
    /// line's, `template` the rest with `{}` for racers, increments, count, total.
    pub(super) fn new(
        section: &'static str,
        prefixes: [&'static str; 2],
        template: &'static str,
    ) -> Self {
        Self {
            section,
            prefixes,
            template,
            unlocked: None,
            locked: None,
        }
    }

    /// Checks `line` if it is one of the two counter lines; `None` if it is not.
    pub(super) fn line(&mut self, line: &Line) -> Option<Result<(), Rejection>> {
        let (locked, rest) = if let Some(rest) = line.text.strip_prefix(self.prefixes[1]) {
            (true, rest)
        } else {
            (false, line.text.strip_prefix(self.prefixes[0])?)
        };
        // The unlocked line says what it lost, in brackets at its end.
        let (rest, lost) = match rest.rsplit_once(" (") {
            Some((rest, told)) if !locked && told.ends_with(')') => {
                (rest, Some(&told[..told.len() - 1]))
            }
            _ => (rest, None),
        };
        let [racers, each, counter, total] = numbers(rest, self.template)?;
        Some(self.counted(line, locked, [racers, each, counter, total], lost))
    }

    fn counted(
        &mut self,
        line: &Line,
        locked: bool,
        [racers, each, counter, total]: [u64; 4],
        lost: Option<&str>,
    ) -> Result<(), Rejection> {
        let reject = |why: String| Err(Rejection::at(line, rules::LOCK_COUNT, why));
        if racers.checked_mul(each) != Some(total) {
            return reject(format!("{racers} x {each} is not {total}"));
        }
        if locked {
            if counter != total {
                return reject(format!(
                    "the locked counter must reach {total}, not {counter}: an update was lost"
                ));
            }
            return once(&mut self.locked, (), line, self.prefixes[1].trim());
        }
        // One racer races with nobody, so it loses nothing. Several can lose all
        // but a little: at least 2 survive when each increments more than once
        // (the last writer's first and last updates), 1 otherwise.
        let least = match (racers, each) {
            (1, _) => total,
            (_, 1) => 1,
            _ => 2,
        };
        if counter < least.min(total) || counter > total {
            return reject(format!(
                "an unlocked counter of {racers} x {each} ends between {} and {total}, not at {counter}",
                least.min(total)
            ));
        }
        match lost {
            None => {}
            Some(told) if told == format!("{} lost", total - counter) => {}
            Some(told) if told.starts_with("none lost") && counter == total => {}
            Some(told) => {
                return reject(format!(
                    "{counter} of {total} means {} lost, not ({told})",
                    total - counter
                ));
            }
        }
        once(
            &mut self.unlocked,
            (counter, total),
            line,
            self.prefixes[0].trim(),
        )
    }

    /// At the section's end: both lines were there.
    pub(super) fn end(&self, header: &Line) -> Result<(), Rejection> {
        match (self.unlocked, self.locked) {
            (None, _) => Err(incomplete(header, self.section, self.prefixes[0].trim())),
            (_, None) => Err(incomplete(header, self.section, self.prefixes[1].trim())),
            _ => Ok(()),
        }
    }

    /// How many updates the unlocked run lost, `how` it ran.
    pub(super) fn summary(&self, how: &str) -> Option<String> {
        self.unlocked
            .map(|(counter, total)| format!("{} of {total} updates lost {how}", total - counter))
    }
}
