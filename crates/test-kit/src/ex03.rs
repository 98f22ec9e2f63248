//! The exercise-3 contract: the primes in ranges, one line per range, in any order.
//!
//! ```text
//! Primes between 1 and 1000: [2, 3, 5, …, 997]
//! ```
//!
//! lists the primes p with 1 ≤ p < 1000, ascending. Each range appears once; ranges
//! do not overlap. With the `limit` and `ranges` expectations (the program's
//! `--limit L --ranges K`), the lines must be exactly K ranges that together cover
//! 1..L without gaps; the course's default ranges are `limit=4000 ranges=4`.
//!
//! The lists are checked against a segmented sieve of Eratosthenes, a different
//! algorithm from the trial division the programs use, one range at a time so the
//! checker's memory stays small whatever the ranges.

use std::collections::BTreeMap;

use crate::pylist::parse_int;
use crate::{
    Accepted, Checker, Contract, ExpectKey, Expectations, Line, Rejection, Transcript, UsageError,
};

/// The ex03 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: EXPECT_KEYS,
    rules: rules::ALL,
    timing_sensitive: false,
    checker: |expect| Ok(Box::new(PrimesChecker::from_expectations(expect)?)),
};

/// The expectations the ex03 checker understands.
pub const EXPECT_KEYS: &[ExpectKey] = &[
    ExpectKey {
        key: "limit",
        help: "the ranges together cover 1..LIMIT (the program's --limit; 4000 for the course's ranges)",
    },
    ExpectKey {
        key: "ranges",
        help: "how many ranges there are (the program's --ranges; 4 for the course's)",
    },
];

/// Rule ids, as reported in [`Rejection::rule`] and listed in the exercise's doc page.
pub mod rules {
    /// A line that is not `Primes between A and B: [...]`.
    pub const UNRECOGNISED_LINE: &str = "unrecognised-line";
    /// A range with A ≥ B, or past the checkable bound.
    pub const BAD_RANGE: &str = "bad-range";
    /// The same range printed twice.
    pub const RANGE_REPEATED: &str = "range-repeated";
    /// A range overlapping another, or outside 1..limit.
    pub const RANGE_UNEXPECTED: &str = "range-unexpected";
    /// The list is not exactly the primes of the range, ascending.
    pub const WRONG_PRIMES: &str = "wrong-primes";
    /// The ranges do not cover 1..limit, are not `ranges` in number, or none was printed.
    pub const RANGE_MISSING: &str = "range-missing";

    /// Every rule, in the order the doc page lists them.
    pub const ALL: &[&str] = &[
        UNRECOGNISED_LINE,
        BAD_RANGE,
        RANGE_REPEATED,
        RANGE_UNEXPECTED,
        WRONG_PRIMES,
        RANGE_MISSING,
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
    pub fn from_expectations(expect: &Expectations) -> Result<Self, UsageError> {
        let limit = expect.count("limit")?;
        if let Some(limit) = limit.filter(|&l| !(2..=MAX_END).contains(&l)) {
            return Err(UsageError::BadValue {
                key: "limit".into(),
                value: limit.to_string(),
                wanted: "a whole number from 2 to 1000000000",
            });
        }
        Ok(Self {
            limit,
            ranges: expect.count("ranges")?,
        })
    }
}

/// Reads `Primes between A and B: [p, …]` into `(A, B, list text)`.
fn parse_line(text: &str) -> Option<(u64, u64, &str)> {
    let rest = text.strip_prefix("Primes between ")?;
    let (start, rest) = rest.split_once(" and ")?;
    let (end, list) = rest.split_once(": ")?;
    let number = |t: &str| parse_int(t).and_then(|n| u64::try_from(n).ok());
    let list = list.trim();
    (list.starts_with('[') && list.ends_with(']')).then_some((number(start)?, number(end)?, list))
}

impl Checker for PrimesChecker {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        // start -> (end, line number)
        let mut seen: BTreeMap<u64, (u64, usize)> = BTreeMap::new();
        let mut primes = 0usize;
        for line in transcript.lines() {
            let Some((start, end, list)) = parse_line(&line.text) else {
                return Err(Rejection::at(
                    line,
                    rules::UNRECOGNISED_LINE,
                    "not an ex03 line (Primes between A and B: [p, q, …])",
                ));
            };
            if start >= end || end > MAX_END {
                return Err(Rejection::at(
                    line,
                    rules::BAD_RANGE,
                    format!(
                        "{start} to {end} is not a range the checker takes (A < B ≤ {MAX_END})"
                    ),
                ));
            }
            self.place(line, start, end, &seen)?;
            primes += check_primes(line, start, end, list)?;
            seen.insert(start, (end, line.number));
        }
        let Some((&first, _)) = seen.first_key_value() else {
            return Err(Rejection::at_end(
                rules::RANGE_MISSING,
                "no range was printed",
            ));
        };
        if let Some(limit) = self.limit {
            // Sorted, non-overlapping, inside 1..limit: gaps are what is left.
            let mut covered = 1;
            for (&start, &(end, _)) in &seen {
                if start > covered {
                    return Err(Rejection::at_end(
                        rules::RANGE_MISSING,
                        format!("no range covers {covered} to {start}"),
                    ));
                }
                covered = end;
            }
            if covered < limit {
                return Err(Rejection::at_end(
                    rules::RANGE_MISSING,
                    format!("no range covers {covered} to {limit}"),
                ));
            }
        }
        if let Some(count) = self.ranges.filter(|&count| count != seen.len() as u64) {
            return Err(Rejection::at_end(
                rules::RANGE_MISSING,
                format!("{} ranges printed, {count} expected", seen.len()),
            ));
        }
        let last = seen.last_key_value().map_or(0, |(_, &(end, _))| end);
        Ok(Accepted {
            summary: format!(
                "{} range{} from {first} to {last}, {primes} primes, all exact",
                seen.len(),
                if seen.len() == 1 { "" } else { "s" }
            ),
        })
    }
}

impl PrimesChecker {
    /// Refuses a range that repeats, overlaps an earlier one, or leaves 1..limit.
    fn place(
        &self,
        line: &Line,
        start: u64,
        end: u64,
        seen: &BTreeMap<u64, (u64, usize)>,
    ) -> Result<(), Rejection> {
        if let Some(&(_, first)) = seen.get(&start).filter(|(e, _)| *e == end) {
            return Err(Rejection::at(
                line,
                rules::RANGE_REPEATED,
                format!("{start} to {end} was already printed at line {first}"),
            ));
        }
        let before = seen.range(..end).next_back();
        if let Some((&other_start, &(other_end, number))) = before.filter(|(_, (e, _))| *e > start)
        {
            return Err(Rejection::at(
                line,
                rules::RANGE_UNEXPECTED,
                format!("{start} to {end} overlaps {other_start} to {other_end} (line {number})"),
            ));
        }
        if let Some(limit) = self.limit.filter(|&limit| start < 1 || end > limit) {
            return Err(Rejection::at(
                line,
                rules::RANGE_UNEXPECTED,
                format!("{start} to {end} is not inside 1 to {limit}"),
            ));
        }
        Ok(())
    }
}

/// Compares the list with the primes of `start..end`; gives how many there are.
fn check_primes(line: &Line, start: u64, end: u64, list: &str) -> Result<usize, Rejection> {
    let wrong = |why: String| Rejection::at(line, rules::WRONG_PRIMES, why);
    let inner = list[1..list.len() - 1].trim();
    let mut given = if inner.is_empty() {
        Vec::new()
    } else {
        inner
            .split(',')
            .map(|item| parse_int(item.trim()).and_then(|n| u64::try_from(n).ok()))
            .collect::<Option<Vec<u64>>>()
            .ok_or_else(|| wrong(format!("`{list}` is not a list of whole numbers")))?
    }
    .into_iter();
    let mut count = 0;
    let mut mismatch = None;
    primes_in(start, end, |prime| match given.next() {
        Some(p) if p == prime => {
            count += 1;
            true
        }
        Some(p) if p < prime && p >= start => {
            mismatch = Some(format!("{p} is not prime (or is out of order)"));
            false
        }
        Some(p) => {
            mismatch = Some(if p < start {
                format!("{p} is below the range's start {start}")
            } else {
                format!("the prime {prime} is missing (the list goes on with {p})")
            });
            false
        }
        None => {
            mismatch = Some(format!(
                "the prime {prime} is missing (the list ends before it)"
            ));
            false
        }
    });
    if let Some(why) = mismatch {
        return Err(wrong(why));
    }
    if let Some(extra) = given.next() {
        return Err(wrong(if extra >= end {
            format!("{extra} is past the range's end {end} (which is excluded)")
        } else {
            format!("{extra} is not prime (or is out of order)")
        }));
    }
    Ok(count)
}

/// Calls `each` with the primes of `start..end` in order until it returns false:
/// a segmented sieve, one megabyte of flags at a time.
fn primes_in(start: u64, end: u64, mut each: impl FnMut(u64) -> bool) {
    const SEGMENT: u64 = 1 << 20;
    let root = (end as f64).sqrt() as u64 + 1;
    let small = small_primes(root);
    let mut low = start.max(2);
    while low < end {
        let high = (low + SEGMENT).min(end);
        let mut composite = vec![false; (high - low) as usize];
        for &p in &small {
            if p * p >= high {
                break;
            }
            let first = (p * p).max(low.div_ceil(p) * p);
            for multiple in (first..high).step_by(p as usize) {
                composite[(multiple - low) as usize] = true;
            }
        }
        for (offset, &is_composite) in composite.iter().enumerate() {
            if !is_composite && !each(low + offset as u64) {
                return;
            }
        }
        low = high;
    }
}

/// The primes below `n`, by a plain sieve (n is at most about 31,623 here).
fn small_primes(n: u64) -> Vec<u64> {
    let n = n as usize;
    let mut composite = vec![false; n.max(2)];
    let mut primes = Vec::new();
    for p in 2..n {
        if !composite[p] {
            primes.push(p as u64);
            (p * p..n).step_by(p).for_each(|m| composite[m] = true);
        }
    }
    primes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sieve(start: u64, end: u64) -> Vec<u64> {
        let mut found = Vec::new();
        primes_in(start, end, |p| {
            found.push(p);
            true
        });
        found
    }

    #[test]
    fn the_segmented_sieve_finds_exactly_the_primes() {
        assert_eq!(sieve(1, 30), [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
        assert_eq!(sieve(0, 2), Vec::<u64>::new());
        assert_eq!(sieve(2, 3), [2]);
        assert_eq!(sieve(1000, 1020), [1009, 1013, 1019]);
        // Across a segment boundary: the primes around 2²⁰ = 1,048,576.
        assert_eq!(
            sieve(1_048_560, 1_048_600),
            [1_048_571, 1_048_573, 1_048_583, 1_048_589]
        );
        assert_eq!(sieve(1, 2_000_000).len(), 148_933);
        assert_eq!(sieve(999_999_900, 1_000_000_000).len(), 2);
    }

    #[test]
    fn reads_the_line_and_refuses_near_misses() {
        assert_eq!(
            parse_line("Primes between 1 and 10: [2, 3, 5, 7]"),
            Some((1, 10, "[2, 3, 5, 7]"))
        );
        assert_eq!(
            parse_line("Primes between 8 and 10: []"),
            Some((8, 10, "[]"))
        );
        for text in [
            "Primes between 1 and 10: 2, 3, 5, 7",
            "Primes between 1 and 10 [2, 3, 5, 7]",
            "Primes from 1 to 10: [2, 3, 5, 7]",
            "Primes between -1 and 10: [2, 3, 5, 7]",
        ] {
            assert_eq!(parse_line(text), None, "{text}");
        }
    }
}
