//! The block a run ends with when a signal came (`== Interrupted ==`): the
//! signal, then what became of each section. A run interrupted after every
//! section had finished has shown everything, and is read as complete; one
//! interrupted earlier misses sections, and the section rules say which.
//!
//! ```text
//! == Interrupted ==
//! SIGINT received: no new section started
//! summary: 9 finished, 0 cancelled, 0 not started
//! finished: Thread panic, Errors as values, …, Graceful shutdown
//! ```

use std::collections::BTreeSet;

use crate::pylist::{fields, numbers};
use crate::{Line, Rejection};

use super::rules;

/// The heading that opens the block.
pub(super) const HEADING: &str = "== Interrupted ==";

/// Checks the block (`block[0]` is its heading) against the sections the output
/// showed before it; gives the signal's name.
pub(super) fn check<'t>(block: &'t [Line], shown: &BTreeSet<&str>) -> Result<&'t str, Rejection> {
    let unrecognised = |line: &Line, why: &str| {
        Err(Rejection::at(
            line,
            rules::UNRECOGNISED_LINE,
            why.to_owned(),
        ))
    };
    let Some(said) = block.get(1) else {
        return Err(Rejection::at_end(
            rules::SECTION_INCOMPLETE,
            "the interrupted run names no signal",
        ));
    };
    let signal = match fields(&said.text, "{} received: no new section started").as_deref() {
        Some([signal]) if signal.starts_with("SIG") => *signal,
        _ => {
            return unrecognised(
                said,
                "after `== Interrupted ==` comes `SIGNAME received: no new section started`",
            );
        }
    };
    let Some(summary) = block.get(2) else {
        return Err(Rejection::at_end(
            rules::SECTION_INCOMPLETE,
            "the interrupted run gives no summary of its sections",
        ));
    };
    let Some([finished, cancelled, not_started]) = numbers(
        &summary.text,
        "summary: {} finished, {} cancelled, {} not started",
    ) else {
        return unrecognised(
            summary,
            "expected `summary: N finished, N cancelled, N not started`",
        );
    };
    let mut named: BTreeSet<&str> = BTreeSet::new();
    for line in &block[3..] {
        let Some([what, names]) = fields(&line.text, "{}: {}")
            .as_deref()
            .map(|f| [f[0], f[1]])
        else {
            return unrecognised(
                line,
                "the summary goes on with `finished: …`, `cancelled: …` or `not started: …` only",
            );
        };
        if what != "finished" {
            return Err(Rejection::at(
                line,
                rules::SECTION_INCOMPLETE,
                format!("the sections {what}: {names}"),
            ));
        }
        named.extend(names.split(", "));
    }
    let complete = cancelled == 0 && not_started == 0 && finished as usize == shown.len();
    if !complete || named != *shown {
        return Err(Rejection::at(
            summary,
            rules::SECTION_INCOMPLETE,
            format!(
                "the summary does not match the {} sections shown above it",
                shown.len()
            ),
        ));
    }
    Ok(signal)
}
