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

use crate::facts::tokens::{Kind, Token, tokenize};
use crate::facts::{Noise, cut_list, glued_records, number_list};
use crate::{
    Accepted, Checker, Contract, ExpectKey, Expectations, Line, Rejection, Transcript, UsageError,
};

mod replay;

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
    pub fn from_expectations(expect: &Expectations) -> Result<Self, UsageError> {
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

/// Verbs that add to the list, and that remove from it (as word stems).
const ADD_VERBS: &[&str] = &["add", "append", "produc", "insert", "push", "put", "enqueu"];
const REMOVE_VERBS: &[&str] = &[
    "remov", "pop", "consum", "delet", "dequeu", "extract", "retriev",
];
/// Words that make a line an intention, not a deed (`Trying to remove…`).
const INTENT: &[&str] = &[
    "try",
    "trying",
    "tries",
    "will",
    "going",
    "attempt",
    "attempting",
    "wait",
    "waiting",
    "to",
];

/// Whether a word is a verb of `stems`, not the name of a role (`adder`,
/// `producer`, `remover`) or another word sharing the stem (`address`, `output`).
fn is_verb(token: &Token<'_>, stems: &[&str]) -> bool {
    token.is_word(stems)
        && !["er", "ers", "ress", "tion", "tions"]
            .iter()
            .any(|end| token.lower.ends_with(end))
}

/// Reads the facts a line states, in order; none means the line is noise.
fn read_line(line: &Line, tokens: &[Token<'_>]) -> Result<Vec<Op>, Rejection> {
    if cut_list(tokens) {
        return Err(Rejection::at(
            line,
            rules::UNREADABLE_RECORD,
            "a list on this line is cut short (no closing `]`)",
        ));
    }
    let verbs: Vec<usize> = (0..tokens.len())
        .filter(|&i| is_verb(&tokens[i], ADD_VERBS) || is_verb(&tokens[i], REMOVE_VERBS))
        .collect();
    glued_records(line, tokens, &verbs)?;
    let says = |words: &[&str]| tokens.iter().any(|t| t.is_word(words));
    let empty = says(&["empty", "nothing"]) && !tokens.iter().any(|t| t.is_one_of(&["not"]));
    let intent = verbs
        .first()
        .is_some_and(|&v| v > 0 && tokens[v - 1].is_one_of(INTENT))
        || tokens
            .iter()
            .any(|t| t.is_one_of(&["will", "going", "trying"]));
    let mut ops = Vec::new();
    if !intent {
        for (k, &verb) in verbs.iter().enumerate() {
            let end = verbs.get(k + 1).copied().unwrap_or(tokens.len());
            let start = if k == 0 { 0 } else { verb };
            if let Some(op) = operation(line, &tokens[start..end], verb - start, empty)? {
                ops.push(op);
            }
        }
    }
    if !ops.is_empty() {
        return Ok(ops);
    }
    let list = shown_list(line, tokens)?;
    Ok(match list {
        Some(list) if says(&["final", "end", "ending", "remaining", "left"]) => {
            vec![Op::Final(list)]
        }
        Some(list) if says(&["initial", "initially", "start", "starting"]) => {
            vec![Op::Initial(list)]
        }
        Some(list) => vec![Op::Shown(list)],
        None if empty && says(&["final", "end"]) => vec![Op::Final(Vec::new())],
        None if empty => vec![Op::Empty],
        None => Vec::new(),
    })
}

/// Whether the line's verbs are all in `-ing` (`Adding 5 to the list`): an
/// announcement, when the program also reports the deed.
fn progressive(tokens: &[Token<'_>]) -> bool {
    let mut verbs = tokens
        .iter()
        .filter(|t| is_verb(t, ADD_VERBS) || is_verb(t, REMOVE_VERBS))
        .peekable();
    verbs.peek().is_some() && verbs.all(|t| t.lower.ends_with("ing"))
}

/// One operation, from its segment of the line (`verb` is the verb's index in it).
fn operation(
    line: &Line,
    segment: &[Token<'_>],
    verb: usize,
    says_empty: bool,
) -> Result<Option<Op>, Rejection> {
    let adds = is_verb(&segment[verb], ADD_VERBS);
    let after = &segment[verb + 1..];
    let value = match after.iter().find(|t| t.is_number() || t.kind == Kind::List) {
        Some(number) if number.is_number() => Some(number.text),
        // `5 added`: the number right before the verb.
        _ => verb
            .checked_sub(1)
            .map(|before| &segment[before])
            .filter(|t| t.is_number())
            .map(|t| t.text),
    };
    let mut shown = shown_list(line, after)?;
    if value.is_none() && shown.is_none() && says_empty && !adds {
        // `Cannot remove: the list is empty` is the empty message.
        return Ok(None);
    }
    if shown.is_none() && says_empty && value.is_some() {
        // `Removed 3, the list is now empty`.
        shown = Some(Vec::new());
    }
    let value = value.map(str::to_owned);
    Ok(Some(if adds {
        Op::Add { value, shown }
    } else {
        Op::Remove { value, shown }
    }))
}

/// The list a segment shows, if it shows one: its last list of numbers.
fn shown_list(line: &Line, tokens: &[Token<'_>]) -> Result<Option<Vec<String>>, Rejection> {
    let mut shown = None;
    for token in tokens.iter().filter(|t| t.kind == Kind::List) {
        match number_list(token) {
            Some(items) => shown = Some(items.into_iter().map(str::to_owned).collect()),
            None if token.text.starts_with("[[") || token.text.contains(',') => {
                return Err(Rejection::at(
                    line,
                    rules::UNREADABLE_RECORD,
                    format!("`{}` is not a list of numbers", token.text),
                ));
            }
            // `[Thread-1]`, `[INFO]`: a tag, not a list.
            None => {}
        }
    }
    Ok(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Op>, &'static str> {
        let line = Line {
            number: 1,
            text: text.to_owned(),
        };
        read_line(&line, &tokenize(&line.text)).map_err(|r| r.rule.id)
    }

    fn add(value: &str, shown: Option<&[&str]>) -> Op {
        Op::Add {
            value: Some(value.to_owned()),
            shown: shown.map(|s| s.iter().map(|x| x.to_string()).collect()),
        }
    }

    fn remove(value: &str, shown: Option<&[&str]>) -> Op {
        Op::Remove {
            value: Some(value.to_owned()),
            shown: shown.map(|s| s.iter().map(|x| x.to_string()).collect()),
        }
    }

    #[test]
    fn reads_additions_in_any_wording() {
        for (text, op) in [
            (
                "Added 0 to the list. Current list: [0]",
                add("0", Some(&["0"])),
            ),
            ("Added: 1", add("1", None)),
            ("Added 1 to the list", add("1", None)),
            ("Added: 1, List: [1]", add("1", Some(&["1"]))),
            ("Produced: 59, Current List: [59]", add("59", Some(&["59"]))),
            ("Producer appended 7", add("7", None)),
            ("[Thread-1] Adding 3", add("3", None)),
            ("5 added", add("5", None)),
            ("ADDED 2.5 -> [2.5]", add("2.5", Some(&["2.5"]))),
        ] {
            assert_eq!(read(text), Ok(vec![op]), "{text}");
        }
    }

    #[test]
    fn reads_removals_the_empty_message_and_lists() {
        for (text, op) in [
            (
                "Removed 0 from the list. Current list: []",
                remove("0", Some(&[])),
            ),
            ("Removed: 0", remove("0", None)),
            ("Consumer popped 4", remove("4", None)),
            ("Removed 3, the list is now empty", remove("3", Some(&[]))),
        ] {
            assert_eq!(read(text), Ok(vec![op]), "{text}");
        }
        for text in [
            "List is empty, nothing to remove.",
            "List is empty, cannot remove.",
            "Nothing to remove",
            "The list is empty. Waiting...",
        ] {
            assert_eq!(read(text), Ok(vec![Op::Empty]), "{text}");
        }
        assert_eq!(
            read("Final state of the list: []"),
            Ok(vec![Op::Final(vec![])])
        );
        assert_eq!(read("Final list is empty"), Ok(vec![Op::Final(vec![])]));
        assert_eq!(
            read("Current list: [1, 2]"),
            Ok(vec![Op::Shown(vec!["1".into(), "2".into()])])
        );
        assert_eq!(
            read("Initial list: [9]"),
            Ok(vec![Op::Initial(vec!["9".into()])])
        );
    }

    #[test]
    fn banners_and_intentions_are_noise() {
        for text in [
            "Both threads have finished.",
            "Starting threads...",
            "Trying to remove an item",
            "Adder thread started",
            "Producer will add 5 numbers",
            "Time taken: 2.01 seconds",
            "===================",
        ] {
            assert_eq!(read(text), Ok(vec![]), "{text}");
        }
    }

    #[test]
    fn broken_and_glued_records_are_refused() {
        assert_eq!(
            read("Added 1 to the list. Current list: [0, 1"),
            Err("unreadable-record")
        );
        assert_eq!(
            read("Added 1 to the listRemoved 1"),
            Err("interleaved-lines")
        );
        assert_eq!(read("Added 1, list: [0, 'x']"), Err("unreadable-record"));
    }
}
