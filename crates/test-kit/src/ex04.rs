//! The exercise-4 contract: a locked list, one adder, one remover.
//!
//! The program's threads interleave differently on every run, so no single output is
//! right. The checker replays the transcript against a FIFO model instead: each
//! `Added` line pushes onto the model, each `Removed` line must take the model's head,
//! every list a line shows must equal the model at that instant, and the run ends
//! with exactly one `Final list` line equal to the model. Any interleaving that a
//! correctly locked program can produce is accepted; every transcript that could
//! only come from a race (or a wrong program) breaks a named rule.
//!
//! Lines, after trailing whitespace is trimmed and blank lines dropped:
//!
//! ```text
//! Added 0 to the list. Current list: [0]        or  Added: 0
//! Removed 0 from the list. Current list: []     or  Removed: 0
//! List is empty, nothing to remove.
//! Final list: [4]
//! ```

use std::collections::VecDeque;

use sync_kit::fmt::PyList;

use crate::pylist::{parse_int, parse_int_list};
use crate::{
    Accepted, Checker, Contract, ExpectKey, Expectations, Line, Rejection, Transcript, UsageError,
};

/// The ex04 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: EXPECT_KEYS,
    rules: rules::ALL,
    timing_sensitive: false,
    checker: |expect| Ok(Box::new(LockedListChecker::from_expectations(expect)?)),
};

/// The expectations the ex04 checker understands.
pub const EXPECT_KEYS: &[ExpectKey] = &[
    ExpectKey {
        key: "adds",
        help: "how many numbers the adder adds (the program's --adds)",
    },
    ExpectKey {
        key: "removes",
        help: "how many removal attempts the remover makes, empty or not (the program's --removes)",
    },
];

/// Rule ids, as reported in [`Rejection::rule`] and listed in the exercise's doc page.
pub mod rules {
    /// A line that is none of the contract's lines.
    pub const UNRECOGNISED_LINE: &str = "unrecognised-line";
    /// The adder adds 0, 1, 2, … in that order.
    pub const ADDED_OUT_OF_ORDER: &str = "added-out-of-order";
    /// A removal needs something to remove.
    pub const REMOVED_FROM_EMPTY: &str = "removed-from-empty";
    /// A removal takes the head of the list.
    pub const REMOVED_NOT_HEAD: &str = "removed-not-head";
    /// A list a line shows is the list at that instant.
    pub const SHOWN_LIST_MISMATCH: &str = "shown-list-mismatch";
    /// The empty message appears only when the list is empty.
    pub const EMPTY_MESSAGE_NOT_EMPTY: &str = "empty-message-not-empty";
    /// The final list is the list after every operation.
    pub const FINAL_LIST_MISMATCH: &str = "final-list-mismatch";
    /// Nothing follows the final list line (not even another one).
    pub const LINE_AFTER_FINAL: &str = "line-after-final";
    /// The output ends with a final list line.
    pub const FINAL_LIST_MISSING: &str = "final-list-missing";
    /// When the number of adds is known, that many adds are printed.
    pub const ADD_COUNT: &str = "add-count";
    /// When the number of removal attempts is known, removals plus empty messages make it.
    pub const REMOVE_COUNT: &str = "remove-count";

    /// Every rule, in the order the doc page lists them.
    pub const ALL: &[&str] = &[
        UNRECOGNISED_LINE,
        ADDED_OUT_OF_ORDER,
        REMOVED_FROM_EMPTY,
        REMOVED_NOT_HEAD,
        SHOWN_LIST_MISMATCH,
        EMPTY_MESSAGE_NOT_EMPTY,
        FINAL_LIST_MISMATCH,
        LINE_AFTER_FINAL,
        FINAL_LIST_MISSING,
        ADD_COUNT,
        REMOVE_COUNT,
    ];
}

/// One contract line, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Parsed {
    /// A line that reports one operation on the list.
    Operation(Event),
    /// `Final list: [...]`.
    Final(Vec<i64>),
}

/// An operation on the list, as a line reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Event {
    /// `Added N …`; `shown` is the list the line shows, if it shows one.
    Added { value: i64, shown: Option<Vec<i64>> },
    /// `Removed N …`.
    Removed { value: i64, shown: Option<Vec<i64>> },
    /// `List is empty, nothing to remove.`
    Empty,
}

/// Reads one line, or says why it is not a contract line.
fn parse_line(text: &str) -> Option<Parsed> {
    if let Some(rest) = text.strip_prefix("Added") {
        let (value, shown) = parse_operation(rest, " to the list.")?;
        return Some(Parsed::Operation(Event::Added { value, shown }));
    }
    if let Some(rest) = text.strip_prefix("Removed") {
        let (value, shown) = parse_operation(rest, " from the list.")?;
        return Some(Parsed::Operation(Event::Removed { value, shown }));
    }
    if let Some(list) = text.strip_prefix("Final list:") {
        return parse_int_list(list).map(Parsed::Final);
    }
    matches!(
        text,
        "List is empty, nothing to remove." | "List is empty, nothing to remove"
    )
    .then_some(Parsed::Operation(Event::Empty))
}

/// Reads what follows `Added`/`Removed`: either `: N` (the short style) or
/// ` N{middle} Current list: [...]` (the course's style).
fn parse_operation(rest: &str, middle: &str) -> Option<(i64, Option<Vec<i64>>)> {
    if let Some(number) = rest.strip_prefix(':') {
        return Some((parse_int(number.trim_start())?, None));
    }
    let rest = rest.strip_prefix(' ')?;
    let (number, list) = rest.split_once(middle)?;
    let list = list.strip_prefix(" Current list:")?;
    Some((parse_int(number)?, Some(parse_int_list(list)?)))
}

/// The ex04 checker. Counts are checked only when known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockedListChecker {
    /// How many adds the program was asked for, if known.
    pub adds: Option<u64>,
    /// How many removal attempts the program was asked for, if known.
    pub removes: Option<u64>,
}

impl LockedListChecker {
    /// Reads the `adds` and `removes` expectations.
    pub fn from_expectations(expect: &Expectations) -> Result<Self, UsageError> {
        Ok(Self {
            adds: expect.count("adds")?,
            removes: expect.count("removes")?,
        })
    }
}

/// The replay's state: the model list and what has been counted so far.
#[derive(Debug, Default)]
struct Replay {
    model: VecDeque<i64>,
    next_add: i64,
    removals: u64,
    empties: u64,
}

impl Replay {
    /// Applies one operation, or says which rule it breaks.
    fn apply(&mut self, line: &Line, event: Event) -> Result<(), Rejection> {
        let shown = match event {
            Event::Added { value, shown } => {
                if value != self.next_add {
                    return Err(Rejection::at(
                        line,
                        rules::ADDED_OUT_OF_ORDER,
                        format!(
                            "added {value}, but the adder's next number is {}",
                            self.next_add
                        ),
                    ));
                }
                self.next_add += 1;
                self.model.push_back(value);
                shown
            }
            Event::Removed { value, shown } => {
                match self.model.front() {
                    None => {
                        return Err(Rejection::at(
                            line,
                            rules::REMOVED_FROM_EMPTY,
                            format!("removed {value}, but the list was empty"),
                        ));
                    }
                    Some(&head) if head != value => {
                        return Err(Rejection::at(
                            line,
                            rules::REMOVED_NOT_HEAD,
                            format!(
                                "removed {value}, but the head of the list {} is {head}",
                                PyList(&self.model)
                            ),
                        ));
                    }
                    Some(_) => {}
                }
                self.model.pop_front();
                self.removals += 1;
                shown
            }
            Event::Empty => {
                if !self.model.is_empty() {
                    return Err(Rejection::at(
                        line,
                        rules::EMPTY_MESSAGE_NOT_EMPTY,
                        format!(
                            "says the list is empty, but it holds {}",
                            PyList(&self.model)
                        ),
                    ));
                }
                self.empties += 1;
                None
            }
        };
        match shown {
            Some(shown) if !self.model.iter().eq(shown.iter()) => Err(Rejection::at(
                line,
                rules::SHOWN_LIST_MISMATCH,
                format!(
                    "shows {}, but replaying the transcript gives {}",
                    PyList(&shown),
                    PyList(&self.model)
                ),
            )),
            _ => Ok(()),
        }
    }

    fn summary(&self) -> String {
        let plural = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
        // A long final list is abbreviated: the summary is one line of a table.
        let final_list = match self.model.len() {
            0..=6 => PyList(&self.model).to_string(),
            n => format!(
                "[{}, {}, …, {}] ({n} items)",
                self.model[0],
                self.model[1],
                self.model[n - 1]
            ),
        };
        format!(
            "{}, {}, {} empty; final list {final_list}",
            plural(self.next_add as u64, "add"),
            plural(self.removals, "removal"),
            self.empties,
        )
    }
}

impl Checker for LockedListChecker {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        let mut replay = Replay::default();
        let mut lines = transcript.lines().iter();
        for line in lines.by_ref() {
            let Some(parsed) = parse_line(&line.text) else {
                return Err(Rejection::at(
                    line,
                    rules::UNRECOGNISED_LINE,
                    "not an ex04 line (Added …, Removed …, List is empty, nothing to remove., Final list: […])",
                ));
            };
            let shown = match parsed {
                Parsed::Operation(event) => {
                    replay.apply(line, event)?;
                    continue;
                }
                Parsed::Final(shown) => shown,
            };
            if !replay.model.iter().eq(shown.iter()) {
                return Err(Rejection::at(
                    line,
                    rules::FINAL_LIST_MISMATCH,
                    format!(
                        "final list {}, but replaying the transcript gives {}",
                        PyList(&shown),
                        PyList(&replay.model)
                    ),
                ));
            }
            if let Some(extra) = lines.next() {
                return Err(Rejection::at(
                    extra,
                    rules::LINE_AFTER_FINAL,
                    format!("nothing may follow the final list (line {})", line.number),
                ));
            }
            self.check_counts(&replay, line)?;
            return Ok(Accepted {
                summary: replay.summary(),
            });
        }
        Err(Rejection::at_end(
            rules::FINAL_LIST_MISSING,
            "the output never printed `Final list: […]`",
        ))
    }
}

impl LockedListChecker {
    /// Checks the known counts, reporting a shortfall at the final line.
    fn check_counts(&self, replay: &Replay, final_line: &Line) -> Result<(), Rejection> {
        let added = replay.next_add as u64;
        if let Some(adds) = self.adds.filter(|&adds| adds != added) {
            return Err(Rejection::at(
                final_line,
                rules::ADD_COUNT,
                format!("the run ended after {added} adds, but {adds} were asked for"),
            ));
        }
        let attempts = replay.removals + replay.empties;
        if let Some(removes) = self.removes.filter(|&removes| removes != attempts) {
            return Err(Rejection::at(
                final_line,
                rules::REMOVE_COUNT,
                format!(
                    "the run ended after {attempts} removal attempts ({} removals, {} empty), but {removes} were asked for",
                    replay.removals, replay.empties
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_styles() {
        assert_eq!(
            parse_line("Added 3 to the list. Current list: [2, 3]"),
            Some(Parsed::Operation(Event::Added {
                value: 3,
                shown: Some(vec![2, 3])
            }))
        );
        assert_eq!(
            parse_line("Added: 3"),
            Some(Parsed::Operation(Event::Added {
                value: 3,
                shown: None
            }))
        );
        assert_eq!(
            parse_line("Removed 2 from the list. Current list: []"),
            Some(Parsed::Operation(Event::Removed {
                value: 2,
                shown: Some(vec![])
            }))
        );
        assert_eq!(
            parse_line("Removed: 2"),
            Some(Parsed::Operation(Event::Removed {
                value: 2,
                shown: None
            }))
        );
        assert_eq!(
            parse_line("List is empty, nothing to remove."),
            Some(Parsed::Operation(Event::Empty))
        );
        assert_eq!(parse_line("Final list: []"), Some(Parsed::Final(vec![])));
    }

    #[test]
    fn refuses_near_misses() {
        for text in [
            "Added 3 to the list.",
            "Added 3 to the list. Current list:",
            "Added3 to the list. Current list: [3]",
            "Added x to the list. Current list: [3]",
            "Removed 2 to the list. Current list: []",
            "Removed:",
            "Final list:",
            "Final list [1]",
            "List is empty",
            "added 3 to the list. Current list: [3]",
        ] {
            assert_eq!(parse_line(text), None, "{text:?}");
        }
    }
}
