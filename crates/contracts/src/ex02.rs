//! The exercise-2 contract: a process pool shown section by section.
//!
//! Seven labelled sections, in order, each with fixed result lines (the worker
//! count in the first is the program's own). Within a section the lines follow
//! the order of events: a task is submitted before its callback reports, and the
//! callback reports before `get` returns; a worker is killed before its task
//! fails, and replaced before the work queued behind it completes.
//!
//! ```text
//! == map ==
//! map(square, 1..=10) on 2 workers: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]
//! == apply_async with callback ==
//! submitted: cube(7)
//! callback: cube(7) = 343
//! get: cube(7) = 343
//! …
//! ```
//!
//! The doc page lists every section's lines.

use crate::pylist::numbers;
use crate::sections::{self, Order, Section};
use crate::{Accepted, Checker, Contract, Line, Rejection, Transcript};

/// The ex02 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: &[],
    rules: rules::ALL,
    defaults: &[],
    strict_lines: &[],
    timing_sensitive: false,
    default_runs: 4,
    reported_failures: false,
    expected_failure: None,
    concurrency: crate::concurrency::Concurrency::PROCESSES,
    checker: |_| Ok(Box::new(ProcessPoolChecker)),
};

/// Rule ids, as reported in [`Rejection::rule`] and listed in the exercise's doc page.
pub mod rules {
    use crate::Rule;

    pub use crate::rules::{SECTION_INCOMPLETE, SECTION_MISSING, SECTION_ORDER, UNRECOGNISED_LINE};

    /// A result line with the right label but the wrong value.
    pub const WRONG_RESULT: Rule = Rule {
        id: "wrong-result",
        hint: "Compute each result from the pool's own return values, in the order the call returns them.",
    };
    /// A line that comes before an event it depends on (a callback before its
    /// submission, a completion before the replacement…).
    pub const CAUSAL_ORDER: Rule = Rule {
        id: "causal-order",
        hint: "Print an event only after what causes it: a callback after its submission, a completion after the replacement.",
    };

    /// Every rule, in the order the doc page lists them.
    pub const ALL: &[Rule] = &[
        UNRECOGNISED_LINE,
        SECTION_ORDER,
        WRONG_RESULT,
        CAUSAL_ORDER,
        SECTION_INCOMPLETE,
        SECTION_MISSING,
    ];
}

/// Each section's title (its heading is `== title ==`) and its lines, in order.
/// `{}` is a whole number ≥ 1. A line's label is its text before the first `: `.
pub const SECTIONS: &[(&str, &[&str])] = &[
    (
        "map",
        &["map(square, 1..=10) on {} workers: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]"],
    ),
    (
        "apply_async with callback",
        &[
            "submitted: cube(7)",
            "callback: cube(7) = 343",
            "get: cube(7) = 343",
        ],
    ),
    (
        "imap_unordered",
        &["imap_unordered(square, 1..=8), sorted: [1, 4, 9, 16, 25, 36, 49, 64]"],
    ),
    (
        "chunking",
        &[
            "map(square, 1..=10, chunksize 5): [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]",
            "chunks: 2 of 5 items, each run whole by one worker",
        ],
    ),
    (
        "error_callback",
        &[
            "submitted: divide(1, 0)",
            "error_callback: the task failed: cannot divide 1 by 0",
            "get: error: the task failed: cannot divide 1 by 0",
        ],
    ),
    (
        "initializer",
        &["initializer: 8 of 8 tasks saw the tag \"ready\""],
    ),
    (
        "worker killed mid-task",
        &[
            "running: a 10 s task on the pool's only worker, 10 squares queued behind it",
            "killed: the worker, with SIGKILL",
            "failed: the 10 s task, its worker killed by SIGKILL",
            "replaced: a new worker took the dead one's place",
            "completed: the 10 squares [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]",
        ],
    ),
];

/// The ex02 checker. It needs no expectations: every value is fixed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProcessPoolChecker;

/// Whether `text` is `template`, each `{}` standing for a whole number ≥ 1.
fn fits(text: &str, template: &str) -> bool {
    match template.matches("{}").count() {
        0 => text == template,
        _ => numbers::<1>(text, template).is_some_and(|[n]| n >= 1),
    }
}

/// A line's label: its text before the first `: ` (the whole line if none).
fn label(text: &str) -> &str {
    text.split_once(": ").map_or(text, |(label, _)| label)
}

impl Checker for ProcessPoolChecker {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        sections::check(transcript, &TITLES, section, Order::Listed).map(|_| {
            Accepted::new(format!(
                "all {} sections in order, every result exact; the killed worker was replaced and its queue completed",
                SECTIONS.len()
            ))
        })
    }
}

/// The sections' titles, in order.
const TITLES: [&str; SECTIONS.len()] = {
    let mut titles = [""; SECTIONS.len()];
    let mut i = 0;
    while i < SECTIONS.len() {
        titles[i] = SECTIONS[i].0;
        i += 1;
    }
    titles
};

/// The replay of the section titled `title`.
fn section(title: &str) -> Option<Box<dyn Section>> {
    let index = SECTIONS.iter().position(|(known, _)| *known == title)?;
    Some(Box::new(FixedLines { index, seen: 0 }))
}

/// One section of fixed lines, taken in order: how many have been seen.
struct FixedLines {
    index: usize,
    seen: usize,
}

impl Section for FixedLines {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let (title, lines) = SECTIONS[self.index];
        let Some(&want) = lines.get(self.seen) else {
            return Err(sections::unrecognised(line, title));
        };
        if fits(&line.text, want) {
            self.seen += 1;
            return Ok(());
        }
        let labelled = |template: &str| fits(label(&line.text), label(template));
        if labelled(want) && label(want) != want {
            return Err(Rejection::at(
                line,
                rules::WRONG_RESULT,
                format!("expected `{want}`"),
            ));
        }
        if let Some(later) = lines[self.seen..]
            .iter()
            .find(|template| labelled(template))
        {
            return Err(Rejection::at(
                line,
                rules::CAUSAL_ORDER,
                format!("`{}` cannot come before `{want}`", label(later)),
            ));
        }
        Err(sections::unrecognised(line, title))
    }

    /// An unfinished section is named at the heading that cut it short, or at the
    /// end.
    fn end(&mut self, header: &Line, next: Option<&Line>) -> Result<(), Rejection> {
        let (title, lines) = SECTIONS[self.index];
        let Some(missing) = lines.get(self.seen) else {
            return Ok(());
        };
        let why = format!(
            "the section `== {title} ==` (line {}) ends before `{missing}`",
            header.number
        );
        Err(match next {
            Some(line) => Rejection::at(line, rules::SECTION_INCOMPLETE, why),
            None => Rejection::at_end(rules::SECTION_INCOMPLETE, why),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARES_TO_10: &str = "[1, 4, 9, 16, 25, 36, 49, 64, 81, 100]";

    #[test]
    fn the_fixed_lists_are_the_squares() {
        let squares: Vec<String> = (1..=10u64).map(|n| (n * n).to_string()).collect();
        assert_eq!(SQUARES_TO_10, format!("[{}]", squares.join(", ")));
        let uses = SECTIONS
            .iter()
            .flat_map(|(_, lines)| lines.iter())
            .filter(|line| line.ends_with(SQUARES_TO_10))
            .count();
        assert_eq!(uses, 3);
    }

    #[test]
    fn labels_and_templates() {
        assert_eq!(label("get: cube(7) = 343"), "get");
        assert!(fits(
            "map(square, 1..=10) on 4 workers: [1]",
            "map(square, 1..=10) on {} workers: [1]"
        ));
        assert!(!fits(
            "map(square, 1..=10) on 0 workers: [1]",
            "map(square, 1..=10) on {} workers: [1]"
        ));
    }
}
