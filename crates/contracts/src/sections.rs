//! What the sectioned contracts (ex02, ex05, ex06) share: a transcript cut into
//! `== Title ==` sections, each required once (in any order, or in the order
//! listed) and replayed by a [`Section`] of its own, and the rules about sections
//! themselves.

use std::collections::BTreeMap;

use crate::{Accepted, Line, Rejection, Transcript};

/// The rules every sectioned contract lists first, defined in [`crate::rules`].
pub(crate) mod rules {
    pub use crate::rules::{
        SECTION_INCOMPLETE, SECTION_MISSING, SECTION_REPEATED, UNRECOGNISED_LINE,
    };
}

/// One section's lines, replayed as they come.
pub(crate) trait Section {
    /// Takes one line of the section, or says which rule it breaks.
    fn line(&mut self, line: &Line) -> Result<(), Rejection>;
    /// At the section's end (`header` is its header line, `next` the heading that
    /// ended it, none at the end of the output): every result line was seen, and
    /// nothing is left pending.
    fn end(&mut self, header: &Line, next: Option<&Line>) -> Result<(), Rejection>;
    /// What the section showed, for the summary, if anything worth saying.
    fn summary(&self) -> Option<String> {
        None
    }
}

/// Builds the replay of the section with this title, if there is one.
pub(crate) type Sections = fn(&str) -> Option<Box<dyn Section>>;

/// In what order the sections may come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// Any order: each section stands alone.
    Any,
    /// The order `titles` lists them in: a heading out of it (or a line before the
    /// first) breaks [`crate::rules::SECTION_ORDER`].
    Listed,
}

/// Checks `transcript` as the sections called `titles`, each exactly once, in
/// `order`, each replayed by what `sections` builds for it.
pub(crate) fn check(
    transcript: &Transcript,
    titles: &[&'static str],
    sections: Sections,
    order: Order,
) -> Result<Accepted, Rejection> {
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
                return Err(match order {
                    Order::Any => Rejection::at(
                        line,
                        rules::UNRECOGNISED_LINE,
                        format!(
                            "a line before the first section header (`== {} ==` …)",
                            titles[0]
                        ),
                    ),
                    Order::Listed => Rejection::at(
                        line,
                        crate::rules::SECTION_ORDER,
                        format!("the output starts with the heading `== {} ==`", titles[0]),
                    ),
                });
            };
            section.line(line)?;
            continue;
        };
        let Some(&known) = titles.iter().find(|&&s| s == name) else {
            return Err(Rejection::at(
                line,
                rules::UNRECOGNISED_LINE,
                format!(
                    "no section is called {name:?}; the sections are {}",
                    titles.join(", ")
                ),
            ));
        };
        if let (Order::Any, Some(&first)) = (order, seen.get(known)) {
            return Err(Rejection::at(
                line,
                rules::SECTION_REPEATED,
                format!("the {known} section already began at line {first}"),
            ));
        }
        if let Some((header, mut section)) = current.take() {
            section.end(header, Some(line))?;
            notes.extend(section.summary());
        }
        let due = titles.get(seen.len());
        if order == Order::Listed && due != Some(&known) {
            let why = match due {
                Some(due) => format!("the next section is `== {due} ==`"),
                None => "every section has been shown already".to_owned(),
            };
            return Err(Rejection::at(line, crate::rules::SECTION_ORDER, why));
        }
        seen.insert(known, line.number);
        current = sections(known).map(|section| (line, section));
    }
    if let Some((header, mut section)) = current.take() {
        section.end(header, None)?;
        notes.extend(section.summary());
    }
    if let Some(missing) = titles.iter().find(|s| !seen.contains_key(*s)) {
        return Err(Rejection::at_end(
            rules::SECTION_MISSING,
            format!("the {missing} section never appears"),
        ));
    }
    let mut summary = format!("all {} sections keep their rules", titles.len());
    for note in notes {
        summary.push_str("; ");
        summary.push_str(&note);
    }
    Ok(Accepted::new(summary))
}

pub(crate) fn unrecognised(line: &Line, section: &str) -> Rejection {
    Rejection::at(
        line,
        rules::UNRECOGNISED_LINE,
        format!("not a line of the {section} section"),
    )
}

pub(crate) fn incomplete(header: &Line, section: &str, missing: &str) -> Rejection {
    Rejection::at(
        header,
        rules::SECTION_INCOMPLETE,
        format!("the {section} section has no `{missing}` line"),
    )
}

/// At a section's end: the first of its result lines that never came, as
/// `(never came, what the line is)`, is the section's incompleteness.
pub(crate) fn first_missing(
    header: &Line,
    section: &str,
    lines: &[(bool, &str)],
) -> Result<(), Rejection> {
    match lines.iter().find(|(gone, _)| *gone) {
        Some((_, what)) => Err(incomplete(header, section, what)),
        None => Ok(()),
    }
}

/// Stores a result line's value, refusing a second one.
pub(crate) fn once<T>(
    slot: &mut Option<T>,
    value: T,
    line: &Line,
    what: &str,
) -> Result<(), Rejection> {
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
