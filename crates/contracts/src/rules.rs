//! The rules several contracts share, each defined once so that a student gets
//! the same advice for the same mistake whichever exercise it is in. A contract's
//! own `rules` module re-exports those it enforces beside its own.

use crate::Rule;

/// A line that is not one the contract reads: in a sectioned contract, no line of
/// the section it is in (or a line before any section); with `--strict`, not one
/// of the contract's exact lines.
pub const UNRECOGNISED_LINE: Rule = Rule {
    id: "unrecognised-line",
    hint: "Print only the lines the exercise's page shows (its section headings and each section's lines; with --strict, its exact lines), worded as the page shows them.",
};

/// Two records share one line, glued together.
pub const INTERLEAVED: Rule = Rule {
    id: "interleaved-lines",
    hint: "Print each line whole from one place at a time: build the text first, then print it once (or hand results to one printer, such as the parent process).",
};

/// A line that looks like a record, but a value is missing or garbled.
pub const UNREADABLE_RECORD: Rule = Rule {
    id: "unreadable-record",
    hint: "Print every value whole, as a plain whole number or a Python-style list such as [1, 2, 3].",
};

/// A section never printed.
pub const SECTION_MISSING: Rule = Rule {
    id: "section-missing",
    hint: "Print every section once, even one with nothing to report.",
};

/// Sections that must come in a fixed order: a heading out of it, repeated, or
/// missing before the first line.
pub const SECTION_ORDER: Rule = Rule {
    id: "section-order",
    hint: "Print the sections once each, in the course's order, each under its heading.",
};

/// A section printed twice.
pub const SECTION_REPEATED: Rule = Rule {
    id: "section-repeated",
    hint: "Print each section once.",
};

/// A section that ends before all its result lines were printed, or repeats one.
pub const SECTION_INCOMPLETE: Rule = Rule {
    id: "section-incomplete",
    hint: "Print every result line of a section, once, before the next section's heading.",
};
