//! The exercise-3 contract: the primes in ranges, found in other processes.
//!
//! The facts are the ranges and the primes of each, in any order of ranges:
//!
//! ```text
//! Primes between 1 and 1000: [2, 3, 5, …, 997]
//! ```
//!
//! lists the primes p with 1 ≤ p < 1000, ascending (a range whose end is prime may
//! include it: `from 1 to 997` may end its list with 997). Each range appears once;
//! ranges do not overlap; together they start at 1 and leave no gap that holds a
//! prime, whatever the expectations. With `limit` and `ranges` (4000 and 4 by
//! default, the course's ranges; the program's `--limit L --ranges K`), there are K
//! ranges covering 1..L.
//!
//! Facts are found by meaning ([`crate::facts`]): a range is two whole numbers after
//! `between`, `range`, `from` or `in` (`1 and 1000`, `1 to 1000`, `(1, 1000)`,
//! `1-1000`), or else the last two before the list; the primes are the list of
//! numbers that follows, on the same line or the next. A count instead of a list
//! (`Found 168 primes between 1 and 1000`) is checked as a count. So all of these
//! are read:
//!
//! ```text
//! Primes between 1 and 1000: [2, 3, 5, …]      Process 2: primes in range(1000, 2000) are [1009, …]
//! Range 1-1000: [2, 3, 5, …]                   Found 135 primes between 1000 and 2000
//! ```
//!
//! The lists are checked against a segmented sieve of Eratosthenes, a different
//! algorithm from the trial division the programs use, one range at a time so the
//! checker's memory stays small whatever the ranges.

use std::collections::BTreeMap;

use crate::facts::Noise;
use crate::facts::tokens::tokenize;

mod primes;
mod read;

use crate::{
    Accepted, Checker, Contract, ExpectKey, Expectations, Line, Rejection, RequestError, Transcript,
};
use primes::{check_count, check_primes, has_prime};
use read::{Primes, Range, read_line};

/// The ex03 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: EXPECT_KEYS,
    rules: rules::ALL,
    defaults: &[("limit", "4000"), ("ranges", "4")],
    strict_lines: &["Primes between {} and {}: {}"],
    timing_sensitive: false,
    default_runs: 16,
    reported_failures: true,
    expected_failure: None,
    concurrency: crate::concurrency::Concurrency::PROCESSES,
    checker: |expect| Ok(Box::new(PrimesChecker::from_expectations(expect)?)),
};

/// The expectations the ex03 checker understands.
pub const EXPECT_KEYS: &[ExpectKey] = &[
    ExpectKey {
        key: "limit",
        help: "the ranges together cover 1..LIMIT (the program's --limit)",
    },
    ExpectKey {
        key: "ranges",
        help: "how many ranges there are (the program's --ranges)",
    },
];

/// The rules, as reported in [`Rejection::rule`] and listed in the exercise's doc page.
pub mod rules {
    use crate::Rule;
    pub use crate::facts::rules::{INTERLEAVED, UNREADABLE_RECORD, UNRECOGNISED_LINE};
    pub use crate::reported::REPORTED_FAILURE;

    /// A range with A ≥ B, or past the checkable bound.
    pub const BAD_RANGE: Rule = Rule {
        id: "bad-range",
        hint: "Give each range a start below its end, such as (1, 1000).",
    };
    /// The same range printed twice.
    pub const RANGE_REPEATED: Rule = Rule {
        id: "range-repeated",
        hint: "Hand each range to one process, and print each range's primes once.",
    };
    /// A range overlapping another, or outside 1..limit.
    pub const RANGE_UNEXPECTED: Rule = Rule {
        id: "range-unexpected",
        hint: "Split 1..limit into ranges that touch but do not overlap, such as (1, 1000), (1000, 2000), ….",
    };
    /// The list is not exactly the primes of the range, ascending.
    pub const WRONG_PRIMES: Rule = Rule {
        id: "wrong-primes",
        hint: "List every prime of the range once, ascending: 1 is not prime, and the end of range(a, b) is excluded.",
    };
    /// The ranges leave a gap holding primes, are not `ranges` in number, or none
    /// was printed.
    pub const RANGE_MISSING: Rule = Rule {
        id: "range-missing",
        hint: "Cover 1..limit with the ranges asked for (the course's four: 1-1000, 1000-2000, 2000-3000, 3000-4000) and print every one.",
    };

    /// Every rule, in the order the doc page lists them.
    pub const ALL: &[Rule] = &[
        BAD_RANGE,
        RANGE_REPEATED,
        RANGE_UNEXPECTED,
        WRONG_PRIMES,
        RANGE_MISSING,
        UNREADABLE_RECORD,
        INTERLEAVED,
        UNRECOGNISED_LINE,
        REPORTED_FAILURE,
    ];
}

/// The largest range end the checker verifies (the programs' `--limit` bound).
pub const MAX_END: u64 = 1_000_000_000;

/// The ex03 checker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrimesChecker {
    /// The ranges cover 1..limit, if known.
    pub limit: Option<u64>,
    /// How many ranges, if known.
    pub ranges: Option<u64>,
}

impl PrimesChecker {
    /// Reads the `limit` and `ranges` expectations.
    pub fn from_expectations(expect: &Expectations) -> Result<Self, RequestError> {
        let limit = expect.count("limit")?;
        if let Some(limit) = limit.filter(|&l| !(2..=MAX_END).contains(&l)) {
            return Err(RequestError::BadValue {
                key: "limit".into(),
                value: limit.to_string(),
                wanted: "a whole number from 2 to 1000000000, or any",
            });
        }
        Ok(Self {
            limit,
            ranges: expect.count("ranges")?,
        })
    }
}

/// A range read, with its line and how many primes it holds.
#[derive(Debug, Clone, Copy)]
struct Placed<'t> {
    end: u64,
    line: &'t Line,
    /// The first number no longer covered: `end`, or `end + 1` when the list
    /// included a prime `end`.
    covered_to: u64,
}

impl Checker for PrimesChecker {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        // start -> the range placed there.
        let mut seen: BTreeMap<u64, Placed<'_>> = BTreeMap::new();
        let mut noise = Noise::default();
        let mut primes = 0usize;
        // A range named on a line of its own, waiting for its list on the next.
        let mut waiting: Option<(Range, &Line)> = None;
        // Lists of primes printed with no range (the ranges' results merged).
        let mut loose: Vec<(&Line, Vec<&str>)> = Vec::new();
        // Ranges named ahead, which the lists that follow take in turn.
        let mut declared: std::collections::VecDeque<Range> = Default::default();
        for line in transcript.lines() {
            let tokens = tokenize(&line.text);
            let said = read_line(line, &tokens)?;
            if !said.declared.is_empty() {
                declared.extend(said.declared);
                continue;
            }
            if !said.dict.is_empty() {
                for (range, list) in said.dict {
                    primes += self.record(line, range, Primes::Listed(list), &mut seen)?;
                }
                continue;
            }
            let (range, at, list) = match (said.range, said.primes, waiting.take()) {
                (Some(range), Some(list), previous) => {
                    if let Some((_, at)) = previous {
                        noise.push(at);
                    }
                    (range, line, list)
                }
                (None, Some(Primes::Listed(list)), Some((range, at))) => {
                    (range, at, Primes::Listed(list))
                }
                (Some(range), None, previous) => {
                    if let Some((_, at)) = previous {
                        noise.push(at);
                    }
                    waiting = Some((range, line));
                    continue;
                }
                (None, Some(Primes::Listed(list)), None) => match declared.pop_front() {
                    Some(range) => (range, line, Primes::Listed(list)),
                    None => {
                        loose.push((line, list));
                        continue;
                    }
                },
                (None, _, previous) => {
                    if let Some((_, at)) = previous {
                        noise.push(at);
                    }
                    noise.push(line);
                    continue;
                }
            };
            primes += self.record(at, range, list, &mut seen)?;
        }
        if let Some((_, at)) = waiting {
            noise.push(at);
        }
        if seen.is_empty()
            && let (Some(limit), Some(&(first_line, _))) = (self.limit, loose.first())
        {
            // No range printed: the merged results must be every prime below the limit.
            // Each list is one range's, in whatever order the ranges finished.
            let mut lists: Vec<&Vec<&str>> = loose.iter().map(|(_, list)| list).collect();
            lists.sort_by_key(|list| list.first().and_then(|p| p.parse::<u64>().ok()));
            let all: Vec<&str> = lists.into_iter().flatten().copied().collect();
            let (count, _) = check_primes(first_line, 1, limit, &all)?;
            return Ok(noise.accept(format!(
                "the {count} primes below {limit} in one list, all exact; the ranges were not printed, so their number is not checked"
            )));
        }
        for (line, _) in loose {
            noise.push(line);
        }
        let Some((&first, _)) = seen.first_key_value() else {
            return Err(Rejection::at_end(
                rules::RANGE_MISSING,
                "no range was printed with its primes",
            ));
        };
        self.check_coverage(&seen)?;
        if let Some(count) = self.ranges.filter(|&count| count != seen.len() as u64) {
            return Err(Rejection::at_end(
                rules::RANGE_MISSING,
                format!("{} ranges printed, {count} expected", seen.len()),
            ));
        }
        let last = seen.last_key_value().map_or(0, |(_, placed)| placed.end);
        Ok(noise.accept(format!(
            "{} range{} from {first} to {last}, {primes} primes, all exact",
            seen.len(),
            if seen.len() == 1 { "" } else { "s" }
        )))
    }
}

impl PrimesChecker {
    /// Checks one range and its primes (listed or counted) and places it among
    /// the ranges `seen`; gives how many primes it holds.
    fn record<'t>(
        &self,
        at: &'t Line,
        range: Range,
        list: Primes<'_>,
        seen: &mut BTreeMap<u64, Placed<'t>>,
    ) -> Result<usize, Rejection> {
        let Range { start, end } = range;
        if start >= end || end > MAX_END {
            return Err(Rejection::at(
                at,
                rules::BAD_RANGE,
                format!("{start} to {end} is not a range the checker takes (A < B ≤ {MAX_END})"),
            ));
        }
        self.place(at, start, end, seen)?;
        let (count, includes_end) = match list {
            Primes::Listed(list) => check_primes(at, start, end, &list)?,
            Primes::Counted(count) => check_count(at, start, end, count)?,
        };
        let covered_to = end + u64::from(includes_end);
        seen.insert(
            start,
            Placed {
                end,
                line: at,
                covered_to,
            },
        );
        Ok(count)
    }

    /// Refuses a range that repeats, overlaps an earlier one, or leaves 1..limit.
    fn place(
        &self,
        line: &Line,
        start: u64,
        end: u64,
        seen: &BTreeMap<u64, Placed<'_>>,
    ) -> Result<(), Rejection> {
        if let Some(first) = seen.get(&start).filter(|p| p.end == end) {
            return Err(Rejection::at(
                line,
                rules::RANGE_REPEATED,
                format!(
                    "{start} to {end} was already printed at line {}",
                    first.line.number
                ),
            ));
        }
        let before = seen.range(..end).next_back();
        if let Some((&other_start, other)) = before.filter(|(_, p)| p.end > start) {
            return Err(Rejection::at(
                line,
                rules::RANGE_UNEXPECTED,
                format!(
                    "{start} to {end} overlaps {other_start} to {} (line {})",
                    other.end, other.line.number
                ),
            ));
        }
        if let Some(limit) = self.limit.filter(|&limit| end > limit) {
            return Err(Rejection::at(
                line,
                rules::RANGE_UNEXPECTED,
                format!("{start} to {end} is not inside 1 to {limit}"),
            ));
        }
        Ok(())
    }

    /// Refuses a gap that holds a prime: before the first range, between two, or
    /// (when the limit is known) after the last.
    fn check_coverage(&self, seen: &BTreeMap<u64, Placed<'_>>) -> Result<(), Rejection> {
        let mut covered = 1;
        let ends = seen
            .iter()
            .map(|(&start, placed)| (start, Some(placed.covered_to)))
            .chain(self.limit.map(|limit| (limit, None)));
        for (start, covered_to) in ends {
            if start > covered && has_prime(covered, start) {
                return Err(Rejection::at_end(
                    rules::RANGE_MISSING,
                    format!("no range covers {covered} to {start}, which holds primes"),
                ));
            }
            covered = covered.max(covered_to.unwrap_or(covered));
        }
        Ok(())
    }
}
