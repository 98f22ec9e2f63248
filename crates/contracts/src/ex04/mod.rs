//! The exercise-4 contract: a locked list, one thread adding, one removing.
//!
//! The facts are the operations on the list, in the order printed: each addition
//! and removal with its number, an "empty" message when the remover finds nothing,
//! and the list whenever a line shows it. The threads interleave differently on
//! every run, so no single output is right. The checker replays the facts against a
//! model of the list instead:
//!
//! - an addition appends whatever number it names (any numbers, repeats allowed);
//! - a removal takes an item the list holds: any item by default (the question names
//!   no order), the oldest with `order=fifo`, the newest with `order=lifo`;
//! - a list a line shows is the list at that instant (printed under the lock);
//! - the empty message appears only when the list is empty;
//! - a final list, when printed, comes once, after every operation, and equals the
//!   model. A program that prints only a final list shows too little to check a
//!   race: it passes, and its summary says so.
//!
//! When the counts are known (`adds`, `removes`), adds = N and removals plus empty
//! messages = M.
//!
//! Facts are found by meaning ([`crate::facts`]): a verb (`added`, `appending`,
//! `produced`, `inserted`, `pushed` / `removed`, `popped`, `consumed`, `deleted`)
//! followed by its number, or right after one; `empty` or `nothing` for the empty
//! message; `final`, `end` or `remaining` with a list for the final list; `initial`
//! with a list for a list filled before the threads start. So all of these are read:
//!
//! ```text
//! Added 0 to the list. Current list: [0]     Removed: 0
//! Added 1 to list.                           Consumed: 59, Current List: []
//! Produced: 59, Current List: [59]           List is empty, cannot remove.
//! Final state of the list: []                Thread-2 popped 7
//! ```
//!
//! A line with an intent rather than a deed (`Trying to remove`, `will add`) is
//! noise; an operation that names neither its number nor the list after it leaves
//! the model unknown until a later line shows the list.

use crate::facts::Noise;
use crate::facts::tokens::tokenize;
use crate::{
    Accepted, Checker, Contract, ExpectKey, Expectations, Line, Rejection, RequestError, Transcript,
};

mod read;
mod replay;

use read::{progressive, read_line};
use replay::{Op, Order, Replay};

/// The ex04 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: EXPECT_KEYS,
    rules: rules::ALL,
    defaults: &[],
    strict_lines: &[
        "Added {} to the list. Current list: {}",
        "Added: {}",
        "Removed {} from the list. Current list: {}",
        "Removed: {}",
        "List is empty, nothing to remove.",
        "Final list: {}",
    ],
    timing_sensitive: false,
    default_runs: 16,
    reported_failures: true,
    expected_failure: Some("empty"),
    concurrency: crate::concurrency::Concurrency::THREADS,
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
    ExpectKey {
        key: "order",
        help: "which end a removal takes: fifo (the oldest), lifo (the newest) or any",
    },
];

/// The rules, as reported in [`Rejection::rule`] and listed in the exercise's doc page.
pub mod rules {
    use crate::Rule;
    pub use crate::facts::rules::{INTERLEAVED, UNREADABLE_RECORD, UNRECOGNISED_LINE};
    pub use crate::reported::REPORTED_FAILURE;

    /// A removal needs something to remove.
    pub const REMOVED_FROM_EMPTY: Rule = Rule {
        id: "removed-from-empty",
        hint: "Check that the list holds something and remove it under the same lock, in one critical section.",
    };
    /// A removal takes an item the list holds.
    pub const REMOVED_NOT_HELD: Rule = Rule {
        id: "removed-not-held",
        hint: "Remove only what the list holds, and print the item you removed, under the lock.",
    };
    /// With `order=fifo` or `order=lifo`, a removal takes that end of the list.
    pub const REMOVED_WRONG_END: Rule = Rule {
        id: "removed-wrong-end",
        hint: "Take the item at the end you were asked for: the oldest with pop(0), the newest with pop().",
    };
    /// A list a line shows is the list at that instant.
    pub const SHOWN_LIST_MISMATCH: Rule = Rule {
        id: "shown-list-mismatch",
        hint: "Print the list inside the critical section that changed it, so that it shows the list at that instant.",
    };
    /// The empty message appears only when the list is empty.
    pub const EMPTY_MESSAGE_NOT_EMPTY: Rule = Rule {
        id: "empty-message-not-empty",
        hint: "Decide that the list is empty while holding the lock, and print the message then.",
    };
    /// The final list is the list after every operation.
    pub const FINAL_LIST_MISMATCH: Rule = Rule {
        id: "final-list-mismatch",
        hint: "Print the final list after joining both threads, so that it shows every operation's effect.",
    };
    /// No operation follows the final list, and it is printed once.
    pub const LINE_AFTER_FINAL: Rule = Rule {
        id: "line-after-final",
        hint: "Join both threads before printing the final list, and print it once.",
    };
    /// The output shows at least one operation or list.
    pub const NOTHING_SHOWN: Rule = Rule {
        id: "nothing-shown",
        hint: "Print each number as it is added and removed, and the list at the end.",
    };
    /// When the number of adds is known, that many adds are printed.
    pub const ADD_COUNT: Rule = Rule {
        id: "add-count",
        hint: "Add exactly as many numbers as asked for, and print each addition.",
    };
    /// When the number of removal attempts is known, removals plus empty messages make it.
    pub const REMOVE_COUNT: Rule = Rule {
        id: "remove-count",
        hint: "Make exactly as many removal attempts as asked for, printing each removal or empty message.",
    };

    /// Every rule, in the order the doc page lists them.
    pub const ALL: &[Rule] = &[
        REMOVED_FROM_EMPTY,
        REMOVED_NOT_HELD,
        REMOVED_WRONG_END,
        SHOWN_LIST_MISMATCH,
        EMPTY_MESSAGE_NOT_EMPTY,
        FINAL_LIST_MISMATCH,
        LINE_AFTER_FINAL,
        NOTHING_SHOWN,
        ADD_COUNT,
        REMOVE_COUNT,
        UNREADABLE_RECORD,
        INTERLEAVED,
        UNRECOGNISED_LINE,
        REPORTED_FAILURE,
    ];
}

/// The ex04 checker. Counts are checked only when known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LockedListChecker {
    /// How many adds the program was asked for, if known.
    pub adds: Option<u64>,
    /// How many removal attempts the program was asked for, if known.
    pub removes: Option<u64>,
    /// Which end a removal must take; `None`: any item the list holds.
    pub order: Option<Order>,
}

impl LockedListChecker {
    /// Reads the `adds`, `removes` and `order` expectations.
    pub fn from_expectations(expect: &Expectations) -> Result<Self, RequestError> {
        let order = expect.choice("order", &["fifo", "lifo"], "fifo, lifo or any")?;
        Ok(Self {
            adds: expect.count("adds")?,
            removes: expect.count("removes")?,
            order: order.map(|order| match order {
                "fifo" => Order::Fifo,
                _ => Order::Lifo,
            }),
        })
    }
}

/// A line, what it states (or why it cannot be read), and whether it announces.
type ReadLine<'t> = (&'t Line, Result<Vec<Op>, Rejection>, bool);

impl Checker for LockedListChecker {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        let mut replay = Replay::new(self.order);
        let mut noise = Noise::default();
        let mut final_line: Option<&Line> = None;
        let mut last_fact: Option<&Line> = None;
        let read: Vec<ReadLine<'_>> = transcript
            .lines()
            .iter()
            .map(|line| {
                let tokens = tokenize(&line.text);
                (line, read_line(line, &tokens), progressive(&tokens))
            })
            .collect();
        // `Adding 5…` then `Added 5`: where a program reports what it did, what it
        // was about to do is an announcement, not a second operation.
        let reports = |adds: bool| {
            read.iter().any(|(_, ops, announced)| {
                !announced
                    && ops.as_ref().is_ok_and(|ops| {
                        ops.iter().any(|op| match op {
                            Op::Add { .. } => adds,
                            Op::Remove { .. } => !adds,
                            _ => false,
                        })
                    })
            })
        };
        let (adds_reported, removals_reported) = (reports(true), reports(false));
        for (line, ops, announced) in read {
            let mut ops = ops?;
            if announced {
                ops.retain(|op| match op {
                    Op::Add { .. } => !adds_reported,
                    Op::Remove { .. } => !removals_reported,
                    _ => true,
                });
            }
            if ops.is_empty() {
                noise.push(line);
                continue;
            }
            if let Some(final_line) = final_line {
                return Err(Rejection::at(
                    line,
                    rules::LINE_AFTER_FINAL,
                    format!(
                        "nothing may follow the final list (line {})",
                        final_line.number
                    ),
                ));
            }
            for op in ops {
                if matches!(op, Op::Final(_)) {
                    final_line = Some(line);
                }
                replay.apply(line, op)?;
            }
            last_fact = Some(line);
        }
        let Some(last_fact) = last_fact else {
            return Err(Rejection::at_end(
                rules::NOTHING_SHOWN,
                "the output shows no addition, removal or list",
            ));
        };
        self.check_counts(&replay, final_line.unwrap_or(last_fact))?;
        Ok(noise.accept(replay.summary(final_line.is_some())))
    }
}

impl LockedListChecker {
    /// Checks the known counts, reporting a shortfall at the final line (or the
    /// last line that carried a fact).
    fn check_counts(&self, replay: &Replay, at: &Line) -> Result<(), Rejection> {
        let added = replay.adds;
        if let Some(adds) = self.adds.filter(|&adds| adds != added) {
            return Err(Rejection::at(
                at,
                rules::ADD_COUNT,
                format!("the run ended after {added} adds, but {adds} were asked for"),
            ));
        }
        let attempts = replay.removals + replay.empties;
        if let Some(removes) = self.removes.filter(|&removes| removes != attempts) {
            return Err(Rejection::at(
                at,
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
    use crate::{Exercise, Transcript};

    fn rejected(order: &str, text: &str) -> Rejection {
        let expect: Expectations = [("order".to_owned(), order.to_owned())]
            .into_iter()
            .collect();
        let checker = Exercise::Ex04.checker(&expect).unwrap();
        checker
            .check(&Transcript::from_bytes(text.as_bytes()))
            .unwrap_err()
    }

    #[test]
    fn a_removal_from_the_wrong_end_names_the_end_its_order_takes_from() {
        let newest = rejected(
            "lifo",
            "Added 1. List: [1]\nAdded 3. List: [1, 3]\nRemoved 1. List: [3]\n",
        );
        assert_eq!(newest.rule, rules::REMOVED_WRONG_END);
        assert_eq!(
            newest.reason,
            "removed 1, but the newest item (its end) of [1, 3] is 3"
        );
        let oldest = rejected(
            "fifo",
            "Added 1. List: [1]\nAdded 3. List: [1, 3]\nRemoved 3. List: [1]\n",
        );
        assert_eq!(
            oldest.reason,
            "removed 3, but the oldest item (its head) of [1, 3] is 1"
        );
    }
}
