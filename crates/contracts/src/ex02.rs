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
use crate::{Accepted, Checker, Contract, Line, Rejection, Transcript};

/// The ex02 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: &[],
    rules: rules::ALL,
    defaults: &[],
    strict_lines: &[],
    timing_sensitive: false,
    concurrency: crate::concurrency::Concurrency::PROCESSES,
    checker: |_| Ok(Box::new(ProcessPoolChecker)),
};

/// Rule ids, as reported in [`Rejection::rule`] and listed in the exercise's doc page.
pub mod rules {
    use crate::Rule;

    pub use crate::rules::{SECTION_INCOMPLETE, SECTION_MISSING, UNRECOGNISED_LINE};

    /// A heading out of the course order, repeated, or missing before the first line.
    pub const SECTION_ORDER: Rule = Rule {
        id: "section-order",
        hint: "Print the sections once each, in the course's order, each under its heading.",
    };
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

/// Each section's heading and its lines, in order. `{}` is a whole number ≥ 1.
/// A line's label is its text before the first `: `.
pub const SECTIONS: &[(&str, &[&str])] = &[
    (
        "== map ==",
        &["map(square, 1..=10) on {} workers: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]"],
    ),
    (
        "== apply_async with callback ==",
        &[
            "submitted: cube(7)",
            "callback: cube(7) = 343",
            "get: cube(7) = 343",
        ],
    ),
    (
        "== imap_unordered ==",
        &["imap_unordered(square, 1..=8), sorted: [1, 4, 9, 16, 25, 36, 49, 64]"],
    ),
    (
        "== chunking ==",
        &[
            "map(square, 1..=10, chunksize 5): [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]",
            "chunks: 2 of 5 items, each run whole by one worker",
        ],
    ),
    (
        "== error_callback ==",
        &[
            "submitted: divide(1, 0)",
            "error_callback: the task failed: cannot divide 1 by 0",
            "get: error: the task failed: cannot divide 1 by 0",
        ],
    ),
    (
        "== initializer ==",
        &["initializer: 8 of 8 tasks saw the tag \"ready\""],
    ),
    (
        "== worker killed mid-task ==",
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
        // The section being read (index into SECTIONS), its heading line, and how
        // many of its lines have been seen.
        let mut current: Option<(usize, &Line, usize)> = None;
        for line in transcript.lines() {
            if let Some(next) = SECTIONS
                .iter()
                .position(|(heading, _)| *heading == line.text)
            {
                let expected = match current {
                    None => 0,
                    Some((section, heading, seen)) => {
                        end_of_section(section, heading, seen, Some(line))?;
                        section + 1
                    }
                };
                if next != expected {
                    let why = match SECTIONS.get(expected) {
                        Some((heading, _)) => format!("the next section is `{heading}`"),
                        None => "every section has been shown already".to_owned(),
                    };
                    return Err(Rejection::at(line, rules::SECTION_ORDER, why));
                }
                current = Some((next, line, 0));
                continue;
            }
            let Some((section, heading, seen)) = current else {
                return Err(Rejection::at(
                    line,
                    rules::SECTION_ORDER,
                    format!("the output starts with the heading `{}`", SECTIONS[0].0),
                ));
            };
            let lines = SECTIONS[section].1;
            let Some(&want) = lines.get(seen) else {
                return Err(unrecognised(line, section));
            };
            if fits(&line.text, want) {
                current = Some((section, heading, seen + 1));
                continue;
            }
            let labelled = |template: &str| fits(label(&line.text), label(template));
            if labelled(want) && label(want) != want {
                return Err(Rejection::at(
                    line,
                    rules::WRONG_RESULT,
                    format!("expected `{want}`"),
                ));
            }
            if let Some(later) = lines[seen..].iter().find(|template| labelled(template)) {
                return Err(Rejection::at(
                    line,
                    rules::CAUSAL_ORDER,
                    format!("`{}` cannot come before `{want}`", label(later)),
                ));
            }
            return Err(unrecognised(line, section));
        }
        match current {
            None => Err(Rejection::at_end(
                rules::SECTION_MISSING,
                "no section was printed",
            )),
            Some((section, heading, seen)) => {
                end_of_section(section, heading, seen, None)?;
                match SECTIONS.get(section + 1) {
                    Some((missing, _)) => Err(Rejection::at_end(
                        rules::SECTION_MISSING,
                        format!("the section `{missing}` was never printed"),
                    )),
                    None => Ok(Accepted::new(format!(
                        "all {} sections in order, every result exact; the killed worker was replaced and its queue completed",
                        SECTIONS.len()
                    ))),
                }
            }
        }
    }
}

/// Refuses a section that ends (at `next`, or the end) before all its lines.
fn end_of_section(
    section: usize,
    heading: &Line,
    seen: usize,
    next: Option<&Line>,
) -> Result<(), Rejection> {
    let lines = SECTIONS[section].1;
    let Some(missing) = lines.get(seen) else {
        return Ok(());
    };
    let why = format!(
        "the section `{}` (line {}) ends before `{missing}`",
        SECTIONS[section].0, heading.number
    );
    Err(match next {
        Some(line) => Rejection::at(line, rules::SECTION_INCOMPLETE, why),
        None => Rejection::at_end(rules::SECTION_INCOMPLETE, why),
    })
}

fn unrecognised(line: &Line, section: usize) -> Rejection {
    Rejection::at(
        line,
        rules::UNRECOGNISED_LINE,
        format!("not a line of the section `{}`", SECTIONS[section].0),
    )
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
