//! The exercise-8 contract: the squares of 1 to 10 on process pools of several
//! sizes, with the time of each `map`.
//!
//! One block per pool size, in any order of sizes, each in either style:
//!
//! ```text
//! Using pool size of 2 processes:
//! Squares: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]
//! Time taken: 0.000412 seconds
//!
//! Pool size: 2 | Duration: 0.00041 seconds | Results: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]
//! ```
//!
//! With `--detail`, a breakdown follows the blocks, one line per size:
//!
//! ```text
//! Breakdown, median of 5 runs:
//! Size 2: start 1.436 ms, map 0.156 ms, shutdown 0.479 ms
//! ```
//!
//! Times must be finite decimals ≥ 0 (scientific notation, as Python prints small
//! floats, is accepted); they are not compared with anything, since a machine's
//! speed is not the program's to promise.

use std::collections::BTreeMap;

use crate::pylist::{parse_int, parse_int_list};
use crate::{
    Accepted, Checker, Contract, ExpectKey, Expectations, Line, Rejection, Transcript, UsageError,
};

/// The ex08 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: EXPECT_KEYS,
    rules: rules::ALL,
    timing_sensitive: true,
    checker: |expect| Ok(Box::new(PoolTimingChecker::from_expectations(expect)?)),
};

/// The expectations the ex08 checker understands.
pub const EXPECT_KEYS: &[ExpectKey] = &[ExpectKey {
    key: "sizes",
    help: "the pool sizes that must each have a block, e.g. 2,4,8 (the program's --sizes)",
}];

/// Rule ids, as reported in [`Rejection::rule`] and listed in the exercise's doc page.
pub mod rules {
    /// A line that is none of the contract's.
    pub const UNRECOGNISED_LINE: &str = "unrecognised-line";
    /// A `Using pool size` header not followed by its `Squares` and `Time taken` lines.
    pub const BLOCK_INCOMPLETE: &str = "block-incomplete";
    /// A pool size of 0, or one not among the expected sizes.
    pub const SIZE_UNEXPECTED: &str = "size-unexpected";
    /// A pool size with two blocks.
    pub const SIZE_REPEATED: &str = "size-repeated";
    /// The squares are not exactly [1, 4, …, 100], in order.
    pub const WRONG_SQUARES: &str = "wrong-squares";
    /// A time that is not a finite decimal ≥ 0.
    pub const BAD_TIME: &str = "bad-time";
    /// A breakdown line out of place, for a size without a block, repeated, with a
    /// bad time, or missing for a size.
    pub const BAD_BREAKDOWN: &str = "bad-breakdown";
    /// An expected size has no block (or no block at all was printed).
    pub const SIZE_MISSING: &str = "size-missing";

    /// Every rule, in the order the doc page lists them.
    pub const ALL: &[&str] = &[
        UNRECOGNISED_LINE,
        BLOCK_INCOMPLETE,
        SIZE_UNEXPECTED,
        SIZE_REPEATED,
        WRONG_SQUARES,
        BAD_TIME,
        BAD_BREAKDOWN,
        SIZE_MISSING,
    ];
}

/// The ex08 checker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolTimingChecker {
    /// The sizes that must each have a block (the program's `--sizes`), if known.
    pub sizes: Option<Vec<u64>>,
}

impl PoolTimingChecker {
    /// Reads the `sizes` expectation.
    pub fn from_expectations(expect: &Expectations) -> Result<Self, UsageError> {
        Ok(Self {
            sizes: expect.counts("sizes")?,
        })
    }
}

/// The squares every block must show.
fn squares() -> Vec<i64> {
    (1..=10).map(|n| n * n).collect()
}

/// Reads a time in seconds or milliseconds: a finite number ≥ 0.
fn parse_time(text: &str) -> Option<f64> {
    let looks_numeric = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    let value: f64 = text.parse().ok()?;
    (looks_numeric && value.is_finite() && value >= 0.0 && !text.starts_with(['-', '+']))
        .then_some(value)
}

/// One line of an ex08 transcript.
#[derive(Debug, PartialEq)]
enum Parsed<'t> {
    Header(&'t str),
    Squares(&'t str),
    Time(&'t str),
    OneLine {
        size: &'t str,
        time: &'t str,
        squares: &'t str,
    },
    BreakdownHeading,
    Breakdown {
        size: &'t str,
        times: [&'t str; 3],
    },
}

fn parse_line(text: &str) -> Option<Parsed<'_>> {
    if let Some(rest) = text.strip_prefix("Using pool size of ") {
        let size = rest
            .strip_suffix(" processes:")
            .or_else(|| rest.strip_suffix(" process:"))?;
        return Some(Parsed::Header(size));
    }
    if let Some(list) = text.strip_prefix("Squares: ") {
        return Some(Parsed::Squares(list));
    }
    if let Some(rest) = text.strip_prefix("Time taken: ") {
        return Some(Parsed::Time(rest.strip_suffix(" seconds")?));
    }
    if let Some(rest) = text.strip_prefix("Pool size: ") {
        let (size, rest) = rest.split_once(" | Duration: ")?;
        let (time, squares) = rest.split_once(" seconds | Results: ")?;
        return Some(Parsed::OneLine {
            size,
            time,
            squares,
        });
    }
    if text.starts_with("Breakdown, median of ") && text.ends_with(" runs:")
        || text == "Breakdown, median of 1 run:"
    {
        return Some(Parsed::BreakdownHeading);
    }
    let rest = text.strip_prefix("Size ")?;
    let (size, rest) = rest.split_once(": start ")?;
    let (start, rest) = rest.split_once(" ms, map ")?;
    let (map, rest) = rest.split_once(" ms, shutdown ")?;
    let shutdown = rest.strip_suffix(" ms")?;
    Some(Parsed::Breakdown {
        size,
        times: [start, map, shutdown],
    })
}

/// Where the checker is in the transcript.
#[derive(Debug)]
enum Expecting<'t> {
    /// A block header, a one-line block, or the breakdown heading.
    Block,
    /// The `Squares` line of the block opened at this header line.
    Squares(&'t Line),
    /// The `Time taken` line of that block.
    Time(&'t Line),
    /// Breakdown lines.
    Breakdown,
}

impl Checker for PoolTimingChecker {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        // size -> the line of its block.
        let mut blocks: BTreeMap<u64, usize> = BTreeMap::new();
        let mut broken_down: BTreeMap<u64, usize> = BTreeMap::new();
        let mut expecting = Expecting::Block;
        for line in transcript.lines() {
            let Some(parsed) = parse_line(&line.text) else {
                return Err(Rejection::at(
                    line,
                    rules::UNRECOGNISED_LINE,
                    "not an ex08 line (Using pool size of N processes:, Squares: […], \
                     Time taken: T seconds, or Pool size: N | Duration: T seconds | Results: […])",
                ));
            };
            expecting = match (expecting, parsed) {
                (Expecting::Block, Parsed::Header(size)) => {
                    self.new_block(line, size, &mut blocks)?;
                    Expecting::Squares(line)
                }
                (
                    Expecting::Block,
                    Parsed::OneLine {
                        size,
                        time,
                        squares,
                    },
                ) => {
                    self.new_block(line, size, &mut blocks)?;
                    check_time(line, time)?;
                    check_squares(line, squares)?;
                    Expecting::Block
                }
                (Expecting::Squares(header), Parsed::Squares(list)) => {
                    check_squares(line, list)?;
                    Expecting::Time(header)
                }
                (Expecting::Time(_), Parsed::Time(time)) => {
                    check_time(line, time)?;
                    Expecting::Block
                }
                (Expecting::Squares(header) | Expecting::Time(header), _) => {
                    return Err(incomplete(header, Some(line)));
                }
                (Expecting::Block, Parsed::BreakdownHeading) if !blocks.is_empty() => {
                    Expecting::Breakdown
                }
                (Expecting::Breakdown, Parsed::Breakdown { size, times }) => {
                    check_breakdown(line, size, times, &blocks, &mut broken_down)?;
                    Expecting::Breakdown
                }
                (
                    Expecting::Block | Expecting::Breakdown,
                    Parsed::Breakdown { .. } | Parsed::BreakdownHeading,
                ) => {
                    return Err(Rejection::at(
                        line,
                        rules::BAD_BREAKDOWN,
                        "the breakdown comes once, after the blocks: a heading, then one Size line per pool",
                    ));
                }
                (Expecting::Breakdown, _) => {
                    return Err(Rejection::at(
                        line,
                        rules::BAD_BREAKDOWN,
                        "nothing but Size lines may follow the breakdown heading",
                    ));
                }
                (Expecting::Block, Parsed::Squares(_) | Parsed::Time(_)) => {
                    return Err(Rejection::at(
                        line,
                        rules::BLOCK_INCOMPLETE,
                        "this line belongs in a block, after a Using pool size header",
                    ));
                }
            };
        }
        match expecting {
            Expecting::Squares(header) | Expecting::Time(header) => {
                return Err(incomplete(header, None));
            }
            Expecting::Breakdown => {
                if let Some(size) = blocks.keys().find(|size| !broken_down.contains_key(size)) {
                    return Err(Rejection::at_end(
                        rules::BAD_BREAKDOWN,
                        format!("the breakdown has no line for the pool of {size}"),
                    ));
                }
            }
            Expecting::Block => {}
        }
        let expected = self.sizes.clone().unwrap_or_default();
        if let Some(size) = expected.iter().find(|size| !blocks.contains_key(size)) {
            return Err(Rejection::at_end(
                rules::SIZE_MISSING,
                format!("no block for the pool of {size}"),
            ));
        }
        if blocks.is_empty() {
            return Err(Rejection::at_end(rules::SIZE_MISSING, "no pool was timed"));
        }
        let sizes: Vec<String> = blocks.keys().map(ToString::to_string).collect();
        let breakdown = if broken_down.is_empty() {
            ""
        } else {
            ", with a breakdown"
        };
        Ok(Accepted {
            summary: format!(
                "{} pool{} (sizes {}), squares exact, times well-formed{breakdown}",
                blocks.len(),
                if blocks.len() == 1 { "" } else { "s" },
                sizes.join(", ")
            ),
        })
    }
}

impl PoolTimingChecker {
    /// Records a block for `size`, refusing a bad, unexpected or repeated size.
    fn new_block(
        &self,
        line: &Line,
        size: &str,
        blocks: &mut BTreeMap<u64, usize>,
    ) -> Result<(), Rejection> {
        let Some(size) = parse_int(size).and_then(|n| u64::try_from(n).ok()) else {
            return Err(Rejection::at(
                line,
                rules::UNRECOGNISED_LINE,
                format!("`{size}` is not a pool size"),
            ));
        };
        let expected = self
            .sizes
            .as_ref()
            .is_none_or(|sizes| sizes.contains(&size));
        if size == 0 || !expected {
            let why = if size == 0 {
                "a pool needs at least one process".to_owned()
            } else {
                format!("a pool of {size} was not asked for")
            };
            return Err(Rejection::at(line, rules::SIZE_UNEXPECTED, why));
        }
        if let Some(first) = blocks.insert(size, line.number) {
            return Err(Rejection::at(
                line,
                rules::SIZE_REPEATED,
                format!("the pool of {size} was already timed at line {first}"),
            ));
        }
        Ok(())
    }
}

fn incomplete(header: &Line, at: Option<&Line>) -> Rejection {
    let why =
        "a Using pool size header must be followed by its Squares line, then its Time taken line";
    match at {
        Some(line) => Rejection::at(
            line,
            rules::BLOCK_INCOMPLETE,
            format!("{why} (the block opened at line {})", header.number),
        ),
        None => Rejection::at_end(
            rules::BLOCK_INCOMPLETE,
            format!("{why} (the block opened at line {})", header.number),
        ),
    }
}

fn check_squares(line: &Line, list: &str) -> Result<(), Rejection> {
    match parse_int_list(list) {
        Some(values) if values == squares() => Ok(()),
        Some(values) => Err(Rejection::at(
            line,
            rules::WRONG_SQUARES,
            match values
                .iter()
                .zip(squares())
                .position(|(got, want)| *got != want)
            {
                Some(at) => format!(
                    "item {} is {}, but {}² is {}",
                    at + 1,
                    values[at],
                    at + 1,
                    (at + 1) * (at + 1)
                ),
                None => format!("{} squares, not the 10 of 1 to 10", values.len()),
            },
        )),
        None => Err(Rejection::at(
            line,
            rules::WRONG_SQUARES,
            format!("`{list}` is not a list of integers"),
        )),
    }
}

fn check_time(line: &Line, time: &str) -> Result<(), Rejection> {
    parse_time(time).map(|_| ()).ok_or_else(|| {
        Rejection::at(
            line,
            rules::BAD_TIME,
            format!("`{time}` is not a finite number of seconds ≥ 0"),
        )
    })
}

fn check_breakdown(
    line: &Line,
    size: &str,
    times: [&str; 3],
    blocks: &BTreeMap<u64, usize>,
    broken_down: &mut BTreeMap<u64, usize>,
) -> Result<(), Rejection> {
    let bad = |why: String| Err(Rejection::at(line, rules::BAD_BREAKDOWN, why));
    let Some(size) = parse_int(size).and_then(|n| u64::try_from(n).ok()) else {
        return bad(format!("`{size}` is not a pool size"));
    };
    if !blocks.contains_key(&size) {
        return bad(format!("the pool of {size} has no block above"));
    }
    if let Some(first) = broken_down.insert(size, line.number) {
        return bad(format!(
            "the pool of {size} was already broken down at line {first}"
        ));
    }
    if let Some(time) = times.iter().find(|time| parse_time(time).is_none()) {
        return bad(format!(
            "`{time}` is not a finite number of milliseconds ≥ 0"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_finite_and_not_negative() {
        for good in ["0", "0.000412", "1e-05", "12.5", "3.0E-4"] {
            assert!(parse_time(good).is_some(), "{good}");
        }
        for bad in ["", "-0.1", "+1", "inf", "NaN", "1,5", "0x10", "1.2.3", " 1"] {
            assert!(parse_time(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn reads_both_styles_and_the_breakdown() {
        assert_eq!(
            parse_line("Using pool size of 2 processes:"),
            Some(Parsed::Header("2"))
        );
        assert_eq!(
            parse_line("Pool size: 4 | Duration: 0.1 seconds | Results: []"),
            Some(Parsed::OneLine {
                size: "4",
                time: "0.1",
                squares: "[]"
            })
        );
        assert_eq!(
            parse_line("Size 8: start 1 ms, map 2 ms, shutdown 3 ms"),
            Some(Parsed::Breakdown {
                size: "8",
                times: ["1", "2", "3"]
            })
        );
        assert_eq!(parse_line("Using pool size of 2"), None);
    }
}
