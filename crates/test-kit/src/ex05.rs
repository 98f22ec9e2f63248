//! The exercise-5 contract: one labelled section per tool for sharing data safely,
//! each a small real scenario whose result lines are deterministic and whose
//! causal order (a waiter leaves only after the event is set; a consumer takes only
//! what was produced) is enforced, and nothing more.
//!
//! The thread half has six sections, in any order, each exactly once:
//!
//! ```text
//! == Lock ==
//! unlocked: 4 threads x 50000 increments: counter = 131072 of 200000
//! locked: 4 threads x 50000 increments: counter = 200000 of 200000
//! == RLock ==
//! owner re-entered: depth 2
//! 4 threads x 1000 nested updates: total = 4000 of 4000
//! == Condition ==
//! added 1
//! took 1
//! consumer took [1]
//! == Semaphore ==
//! 6 threads, 2 permits: at most 2 inside at once
//! bounded: release past 2 permits refused
//! == Event ==
//! waiter 1 waiting
//! event set
//! waiter 1 released
//! == Queue ==
//! consumer 1 took 7 items
//! consumer 2 took 5 items
//! 3 producers x 4 items: 12 taken, each once
//! join returned: 0 unfinished
//! ```
//!
//! The unlocked counter may show any count from 1 to the total: lost updates are
//! likely, not certain. The process half adds its own sections when it lands.

use std::collections::{BTreeMap, BTreeSet};

use sync_kit::fmt::PyList;

use crate::pylist::{numbers, parse_int_list};
use crate::{Accepted, Checker, Contract, Line, Rejection, Transcript};

/// The ex05 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: &[],
    rules: rules::ALL,
    timing_sensitive: false,
    checker: |_| Ok(Box::new(SharingDataChecker)),
};

/// The sections the contract requires, in the order the program prints them.
pub const SECTIONS: &[&str] = &["Lock", "RLock", "Condition", "Semaphore", "Event", "Queue"];

/// Rule ids, as reported in [`Rejection::rule`] and listed in the exercise's doc page.
pub mod rules {
    /// A line that is no line of the section it is in (or comes before any section).
    pub const UNRECOGNISED_LINE: &str = "unrecognised-line";
    /// Every section appears once.
    pub const SECTION_MISSING: &str = "section-missing";
    /// No section appears twice.
    pub const SECTION_REPEATED: &str = "section-repeated";
    /// Every result line of a section is there, once.
    pub const SECTION_INCOMPLETE: &str = "section-incomplete";
    /// Totals are threads times increments; the locked counter reaches it, the
    /// unlocked one is between 1 and it.
    pub const LOCK_COUNT: &str = "lock-count";
    /// The owner re-enters at a depth of at least 2, and every nested update counts.
    pub const RLOCK_RESULT: &str = "rlock-result";
    /// Items are added 1, 2, 3, … and taken in that order, each after it was added.
    pub const CONDITION_ORDER: &str = "condition-order";
    /// The consumer's summary lists exactly the items taken.
    pub const CONDITION_RESULT: &str = "condition-result";
    /// At most as many threads inside as there are permits, and at least one.
    pub const SEMAPHORE_LIMIT: &str = "semaphore-limit";
    /// The event is set once; a waiter is released after the set, after it waited,
    /// and once.
    pub const EVENT_ORDER: &str = "event-order";
    /// Every waiter that waited is released.
    pub const EVENT_UNRELEASED: &str = "event-unreleased";
    /// Every item produced is taken once: the consumers' counts add up to it.
    pub const QUEUE_COUNT: &str = "queue-count";
    /// `join` returns with nothing unfinished.
    pub const QUEUE_JOIN: &str = "queue-join";

    /// Every rule, in the order the doc page lists them.
    pub const ALL: &[&str] = &[
        UNRECOGNISED_LINE,
        SECTION_MISSING,
        SECTION_REPEATED,
        SECTION_INCOMPLETE,
        LOCK_COUNT,
        RLOCK_RESULT,
        CONDITION_ORDER,
        CONDITION_RESULT,
        SEMAPHORE_LIMIT,
        EVENT_ORDER,
        EVENT_UNRELEASED,
        QUEUE_COUNT,
        QUEUE_JOIN,
    ];
}

/// The ex05 checker. It needs no expectations: every count it checks is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SharingDataChecker;

/// One section's lines, replayed as they come.
trait Section {
    /// Takes one line of the section, or says which rule it breaks.
    fn line(&mut self, line: &Line) -> Result<(), Rejection>;
    /// At the section's end (`header` is its header line): every result line was
    /// seen, and nothing is left pending.
    fn end(&mut self, header: &Line) -> Result<(), Rejection>;
    /// What the section showed, for the summary, if anything worth saying.
    fn summary(&self) -> Option<String> {
        None
    }
}

fn unrecognised(line: &Line, section: &str) -> Rejection {
    Rejection::at(
        line,
        rules::UNRECOGNISED_LINE,
        format!("not a line of the {section} section"),
    )
}

fn incomplete(header: &Line, section: &str, missing: &str) -> Rejection {
    Rejection::at(
        header,
        rules::SECTION_INCOMPLETE,
        format!("the {section} section has no `{missing}` line"),
    )
}

/// Stores a result line's value, refusing a second one.
fn once<T>(slot: &mut Option<T>, value: T, line: &Line, what: &str) -> Result<(), Rejection> {
    if slot.is_some() {
        return Err(Rejection::at(
            line,
            rules::SECTION_INCOMPLETE,
            format!("a second `{what}` line"),
        ));
    }
    *slot = Some(value);
    Ok(())
}

#[derive(Default)]
struct LockSection {
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

#[derive(Default)]
struct RLockSection {
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

    fn end(&mut self, header: &Line) -> Result<(), Rejection> {
        match (self.depth, self.total) {
            (None, _) => Err(incomplete(header, "RLock", "owner re-entered")),
            (_, None) => Err(incomplete(header, "RLock", "nested updates")),
            _ => Ok(()),
        }
    }
}

#[derive(Default)]
struct ConditionSection {
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

    fn end(&mut self, header: &Line) -> Result<(), Rejection> {
        if self.summary.is_none() {
            return Err(incomplete(header, "Condition", "consumer took [...]"));
        }
        if self.taken.is_empty() {
            return Err(incomplete(header, "Condition", "took N"));
        }
        Ok(())
    }
}

#[derive(Default)]
struct SemaphoreSection {
    limit: Option<()>,
    bounded: Option<()>,
}

impl Section for SemaphoreSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        if numbers::<1>(&line.text, "bounded: release past {} permits refused").is_some() {
            return once(&mut self.bounded, (), line, "bounded:");
        }
        let Some([_threads, permits, most]) = numbers(
            &line.text,
            "{} threads, {} permits: at most {} inside at once",
        ) else {
            return Err(unrecognised(line, "Semaphore"));
        };
        if most == 0 || most > permits {
            return Err(Rejection::at(
                line,
                rules::SEMAPHORE_LIMIT,
                format!("with {permits} permits, 1 to {permits} threads can be inside, not {most}"),
            ));
        }
        once(&mut self.limit, (), line, "at most")
    }

    fn end(&mut self, header: &Line) -> Result<(), Rejection> {
        match (self.limit, self.bounded) {
            (None, _) => Err(incomplete(header, "Semaphore", "at most N inside at once")),
            (_, None) => Err(incomplete(header, "Semaphore", "bounded:")),
            _ => Ok(()),
        }
    }
}

#[derive(Default)]
struct EventSection {
    set: Option<usize>,
    /// Each waiter that said it waits, and whether it was released.
    waiters: BTreeMap<u64, bool>,
}

impl Section for EventSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let order = |why: String| Err(Rejection::at(line, rules::EVENT_ORDER, why));
        if line.text == "event set" {
            if let Some(first) = self.set {
                return order(format!("the event was already set at line {first}"));
            }
            self.set = Some(line.number);
            return Ok(());
        }
        if let Some([waiter]) = numbers(&line.text, "waiter {} waiting") {
            if self.waiters.insert(waiter, false).is_some() {
                return order(format!("waiter {waiter} said it waits twice"));
            }
            return Ok(());
        }
        let Some([waiter]) = numbers(&line.text, "waiter {} released") else {
            return Err(unrecognised(line, "Event"));
        };
        if self.set.is_none() {
            return order(format!(
                "waiter {waiter} was released before the event was set"
            ));
        }
        match self.waiters.get_mut(&waiter) {
            None => order(format!("waiter {waiter} was released without waiting")),
            Some(true) => order(format!("waiter {waiter} was released twice")),
            Some(released) => {
                *released = true;
                Ok(())
            }
        }
    }

    fn end(&mut self, header: &Line) -> Result<(), Rejection> {
        if self.set.is_none() {
            return Err(incomplete(header, "Event", "event set"));
        }
        if self.waiters.is_empty() {
            return Err(incomplete(header, "Event", "waiter N waiting"));
        }
        let stuck: Vec<u64> = self
            .waiters
            .iter()
            .filter(|&(_, &released)| !released)
            .map(|(&waiter, _)| waiter)
            .collect();
        if !stuck.is_empty() {
            return Err(Rejection::at(
                header,
                rules::EVENT_UNRELEASED,
                format!("waiters {} waited and were never released", PyList(&stuck)),
            ));
        }
        Ok(())
    }
}

#[derive(Default)]
struct QueueSection {
    consumers: BTreeSet<u64>,
    taken_by_consumers: u64,
    total: Option<()>,
    join: Option<()>,
}

impl Section for QueueSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let count = |why: String| Err(Rejection::at(line, rules::QUEUE_COUNT, why));
        if let Some([consumer, items]) = numbers(&line.text, "consumer {} took {} items") {
            if self.total.is_some() {
                return count("a consumer's count comes before the total".into());
            }
            if !self.consumers.insert(consumer) {
                return count(format!("consumer {consumer} reported twice"));
            }
            self.taken_by_consumers += items;
            return Ok(());
        }
        if let Some([unfinished]) = numbers(&line.text, "join returned: {} unfinished") {
            if unfinished != 0 {
                return Err(Rejection::at(
                    line,
                    rules::QUEUE_JOIN,
                    format!(
                        "join returns when every item is done, not with {unfinished} unfinished"
                    ),
                ));
            }
            return once(&mut self.join, (), line, "join returned");
        }
        let Some([producers, each, taken]) =
            numbers(&line.text, "{} producers x {} items: {} taken, each once")
        else {
            return Err(unrecognised(line, "Queue"));
        };
        let produced = producers.saturating_mul(each);
        if taken != produced || self.taken_by_consumers != produced {
            return count(format!(
                "{producers} producers x {each} items make {produced}; {taken} were taken, and the consumers report {}",
                self.taken_by_consumers
            ));
        }
        once(&mut self.total, (), line, "producers x items")
    }

    fn end(&mut self, header: &Line) -> Result<(), Rejection> {
        match (self.consumers.is_empty(), self.total, self.join) {
            (true, _, _) => Err(incomplete(header, "Queue", "consumer N took M items")),
            (_, None, _) => Err(incomplete(header, "Queue", "producers x items")),
            (_, _, None) => Err(incomplete(header, "Queue", "join returned")),
            _ => Ok(()),
        }
    }
}

fn section(name: &str) -> Option<Box<dyn Section>> {
    Some(match name {
        "Lock" => Box::<LockSection>::default(),
        "RLock" => Box::<RLockSection>::default(),
        "Condition" => Box::<ConditionSection>::default(),
        "Semaphore" => Box::<SemaphoreSection>::default(),
        "Event" => Box::<EventSection>::default(),
        "Queue" => Box::<QueueSection>::default(),
        _ => return None,
    })
}

impl Checker for SharingDataChecker {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        let mut current: Option<(&Line, Box<dyn Section>)> = None;
        let mut notes = Vec::new();
        for line in transcript.lines() {
            let header = line
                .text
                .strip_prefix("== ")
                .and_then(|rest| rest.strip_suffix(" =="));
            let Some(name) = header else {
                let Some((_, section)) = current.as_mut() else {
                    return Err(Rejection::at(
                        line,
                        rules::UNRECOGNISED_LINE,
                        "a line before the first section header (`== Lock ==` …)",
                    ));
                };
                section.line(line)?;
                continue;
            };
            let Some(&known) = SECTIONS.iter().find(|&&s| s == name) else {
                return Err(Rejection::at(
                    line,
                    rules::UNRECOGNISED_LINE,
                    format!(
                        "no section is called {name:?}; the sections are {}",
                        SECTIONS.join(", ")
                    ),
                ));
            };
            if let Some(first) = seen.insert(known, line.number) {
                return Err(Rejection::at(
                    line,
                    rules::SECTION_REPEATED,
                    format!("the {known} section already began at line {first}"),
                ));
            }
            if let Some((header, mut section)) = current.take() {
                section.end(header)?;
                notes.extend(section.summary());
            }
            current = section(known).map(|section| (line, section));
        }
        if let Some((header, mut section)) = current.take() {
            section.end(header)?;
            notes.extend(section.summary());
        }
        if let Some(missing) = SECTIONS.iter().find(|s| !seen.contains_key(*s)) {
            return Err(Rejection::at_end(
                rules::SECTION_MISSING,
                format!("the {missing} section never appears"),
            ));
        }
        let mut summary = format!("all {} sections keep their rules", SECTIONS.len());
        for note in notes {
            summary.push_str("; ");
            summary.push_str(&note);
        }
        Ok(Accepted { summary })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_whole_numbers_only() {
        assert_eq!(numbers("added 12", "added {}"), Some([12]));
        assert_eq!(numbers("3 x 4 = 12", "{} x {} = {}"), Some([3, 4, 12]));
        for text in [
            "added",
            "added x",
            "added 1 ",
            "added -1",
            "added 1.5",
            "Added 1",
        ] {
            assert_eq!(numbers::<1>(text, "added {}"), None, "{text:?}");
        }
    }
}
