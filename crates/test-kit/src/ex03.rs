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

use crate::facts::tokens::{Kind, Token, tokenize};
use crate::facts::{Noise, all_numbers, cut_list, glued_records, number_list};
use crate::{
    Accepted, Checker, Contract, ExpectKey, Expectations, Line, Rejection, Transcript, UsageError,
};

/// The ex03 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: EXPECT_KEYS,
    rules: rules::ALL,
    defaults: &[("limit", "4000"), ("ranges", "4")],
    strict_lines: &["Primes between {} and {}: {}"],
    timing_sensitive: false,
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
                wanted: "a whole number from 2 to 1000000000, or any",
            });
        }
        Ok(Self {
            limit,
            ranges: expect.count("ranges")?,
        })
    }
}

/// What a record says of its range's primes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Primes<'t> {
    /// The primes, as printed.
    Listed(Vec<&'t str>),
    /// Only how many there are.
    Counted(u64),
}

/// A range as a line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Range {
    start: u64,
    end: u64,
}

/// What one line says.
#[derive(Debug, Default, PartialEq, Eq)]
struct Said<'t> {
    range: Option<Range>,
    primes: Option<Primes<'t>>,
    /// The records of a dict of ranges and their lists.
    dict: Vec<(Range, Vec<&'t str>)>,
    /// Ranges named ahead of their lists (`Ranges: [(1, 1000), …]`).
    declared: Vec<Range>,
}

/// Words after which two whole numbers are a range.
const RANGE_WORDS: &[&str] = &["between", "range", "from", "in", "for", "ranges"];

/// Reads a line's range and primes, either of which may be missing.
fn read_line<'t>(line: &Line, tokens: &[Token<'t>]) -> Result<Said<'t>, Rejection> {
    // A bracketed tag such as `[PID 4000]` is no list of primes, and a list of
    // pairs (`[(1, 1000), (1000, 2000)]`) names ranges.
    let lists: Vec<usize> = (0..tokens.len())
        .filter(|&i| {
            tokens[i].kind == Kind::List && !is_tag(&tokens[i]) && !tokens[i].text.contains('(')
        })
        .collect();
    let declared = tokens
        .iter()
        .filter(|t| t.kind == Kind::List && t.text.contains('('))
        .flat_map(declared_ranges)
        .collect();
    let starts: Vec<usize> = (0..tokens.len())
        .filter(|&i| tokens[i].is_word(&["prime", "range"]))
        .collect();
    glued_records(line, tokens, &starts)?;
    if lists.len() > 1 {
        let second = &tokens[lists[1]];
        if second.glued || lists.len() > 2 {
            return Err(Rejection::at(
                line,
                crate::facts::rules::INTERLEAVED,
                "two lists share this line: two writers' output interleaved; each line must be written whole",
            ));
        }
    }
    if cut_list(tokens) {
        return Err(Rejection::at(
            line,
            rules::UNREADABLE_RECORD,
            "the list on this line is cut short (no closing `]`)",
        ));
    }
    let before = lists.first().copied().unwrap_or(tokens.len());
    let ints: Vec<usize> = (0..before)
        .filter(|&i| tokens[i].kind == Kind::Int)
        .collect();
    let range = ranged(tokens, &ints).or_else(|| match ints[..] {
        [.., a, b] if lists.len() == 1 => pair(tokens, a, b),
        _ => None,
    });
    let primes = match lists.first() {
        Some(&at) => match number_list(&tokens[at]) {
            Some(items) => Some(Primes::Listed(items)),
            // `[[2, 3, …], [1009, …], …]`: each range's list, in one list.
            None if tokens[at].text[1..].contains('[') => {
                Some(Primes::Listed(all_numbers(&tokens[at])))
            }
            None => {
                return Err(Rejection::at(
                    line,
                    rules::WRONG_PRIMES,
                    format!("`{}` is not a list of whole numbers", tokens[at].text),
                ));
            }
        },
        None => counted(tokens, &ints, range).map(Primes::Counted),
    };
    let dict = tokens
        .iter()
        .filter(|t| t.kind == Kind::Dict)
        .flat_map(dict_records)
        .collect();
    Ok(Said {
        range,
        primes,
        dict,
        declared,
    })
}

/// The ranges of `[(1, 1000), (1000, 2000), …]`.
fn declared_ranges(token: &Token<'_>) -> Vec<Range> {
    all_numbers(token)
        .chunks_exact(2)
        .filter_map(|pair| {
            Some(Range {
                start: pair[0].parse().ok()?,
                end: pair[1].parse().ok()?,
            })
        })
        .collect()
}

/// `[PID 4000]`, `[INFO]`: brackets around something that is not a list.
fn is_tag(token: &Token<'_>) -> bool {
    number_list(token).is_none() && !token.text[1..].contains(['[', ','])
}

/// The ranges and lists of `{(1, 1000): [2, 3, …], (1000, 2000): […]}`.
fn dict_records<'t>(token: &Token<'t>) -> Vec<(Range, Vec<&'t str>)> {
    let inner: &'t str = &token.text[1..token.text.len() - 1];
    let items = tokenize(inner);
    let mut records = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let key = items.get(i.wrapping_sub(6)..i);
        if let (Some([open, a, comma, b, close, colon]), Some(list)) = (key, number_list(item))
            && open.is_sym("(")
            && comma.is_sym(",")
            && close.is_sym(")")
            && colon.is_sym(":")
            && let (Ok(start), Ok(end)) = (a.text.parse(), b.text.parse())
        {
            records.push((Range { start, end }, list));
        }
    }
    records
}

/// The range after a range word: `between 1 and 1000`, `range(1, 1000)`, `1-1000`.
fn ranged(tokens: &[Token<'_>], ints: &[usize]) -> Option<Range> {
    ints.windows(2).find_map(|w| {
        let (a, b) = (w[0], w[1]);
        let labelled = tokens[..a]
            .iter()
            .rev()
            .take(2)
            .any(|t| t.is_one_of(RANGE_WORDS));
        let joined = tokens[a + 1..b]
            .iter()
            .all(|t| t.is_one_of(&["and", "to", "through"]) || t.kind == Kind::Sym);
        (labelled && joined && b - a <= 3)
            .then(|| pair(tokens, a, b))
            .flatten()
    })
}

fn pair(tokens: &[Token<'_>], a: usize, b: usize) -> Option<Range> {
    Some(Range {
        start: tokens[a].text.parse().ok()?,
        end: tokens[b].text.parse().ok()?,
    })
}

/// A count of primes: a whole number just before `primes`, or after `found`,
/// `count` or `total` (`Found 168 primes`, `count: 168`), or else the one whole
/// number besides the range on a line about primes (`Number of primes between 1
/// and 1000: 168`).
fn counted(tokens: &[Token<'_>], ints: &[usize], range: Option<Range>) -> Option<u64> {
    let labelled = ints.iter().find_map(|&i| {
        let before_primes = tokens.get(i + 1).is_some_and(|t| t.is_word(&["prime"]));
        let after_count = i > 0 && {
            let label = tokens[..i].iter().rev().find(|t| t.kind == Kind::Word);
            label.is_some_and(|t| t.is_word(&["found", "count", "total", "number"]))
                && tokens[i - 1].kind != Kind::Int
        };
        (before_primes || after_count)
            .then(|| tokens[i].text.parse().ok())
            .flatten()
    });
    let Some(range) = range else {
        return labelled;
    };
    let others: Vec<u64> = ints
        .iter()
        .filter_map(|&i| tokens[i].text.parse::<u64>().ok())
        .filter(|&n| n != range.start && n != range.end)
        .collect();
    let about_primes = tokens.iter().any(|t| t.is_word(&["prime"]));
    labelled.or(match others[..] {
        [count] if about_primes => Some(count),
        _ => None,
    })
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
            let all: Vec<&str> = loose.iter().flat_map(|(_, list)| list.clone()).collect();
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

/// Whether `start..end` holds a prime.
fn has_prime(start: u64, end: u64) -> bool {
    let mut found = false;
    primes_in(start, end, |_| {
        found = true;
        false
    });
    found
}

/// Checks a count of primes against the sieve, for `start..end` or (when `end`
/// is prime) `start..=end`; gives the count, and whether it included `end`.
fn check_count(line: &Line, start: u64, end: u64, count: u64) -> Result<(usize, bool), Rejection> {
    let mut truth = 0;
    primes_in(start, end, |_| {
        truth += 1;
        true
    });
    if truth == count {
        return Ok((truth as usize, false));
    }
    if has_prime(end, end + 1) && truth + 1 == count {
        return Ok((count as usize, true));
    }
    Err(Rejection::at(
        line,
        rules::WRONG_PRIMES,
        format!("{start} to {end} holds {truth} primes, not {count}"),
    ))
}

/// Compares the list with the primes of `start..end` (and `end` itself, which a
/// list may include when it is prime); gives how many there are, and whether the
/// list included `end`.
fn check_primes(
    line: &Line,
    start: u64,
    end: u64,
    list: &[&str],
) -> Result<(usize, bool), Rejection> {
    let wrong = |why: String| Rejection::at(line, rules::WRONG_PRIMES, why);
    let mut given = list
        .iter()
        .map(|item| {
            item.parse::<u64>()
                .map_err(|_| wrong(format!("{item} is not a whole number ≥ 0")))
        })
        .collect::<Result<Vec<u64>, _>>()?
        .into_iter();
    let mut count = 0;
    let mut includes_end = false;
    let mut mismatch = None;
    primes_in(start, end + 1, |prime| match given.next() {
        Some(p) if p == prime => {
            count += 1;
            includes_end = prime == end;
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
        None if prime == end => false,
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
        return Err(wrong(if extra > end {
            format!("{extra} is past the range's end {end}")
        } else {
            format!("{extra} is not prime (or is out of order)")
        }));
    }
    Ok((count, includes_end))
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

    /// A line's range and its primes (shown with `Debug`), or the rule it breaks.
    type Reading = Result<(Option<(u64, u64)>, Option<String>), &'static str>;

    fn said(text: &str) -> Reading {
        let line = Line {
            number: 1,
            text: text.to_owned(),
        };
        let tokens = tokenize(&line.text);
        read_line(&line, &tokens)
            .map(|said| {
                (
                    said.range.map(|r| (r.start, r.end)),
                    said.primes.map(|p| format!("{p:?}")),
                )
            })
            .map_err(|r| r.rule.id)
    }

    #[test]
    fn reads_a_range_and_its_primes_in_any_wording() {
        let listed = Some(r#"Listed(["2", "3", "5", "7"])"#.to_owned());
        for text in [
            "Primes between 1 and 10: [2, 3, 5, 7]",
            "Primes in range(1, 10): [2, 3, 5, 7]",
            "Range 1-10: [2, 3, 5, 7]",
            "Process 3: primes from 1 to 10 are [2, 3, 5, 7]",
            "(1, 10): [2,3,5,7]",
            "PRIMES BETWEEN 1 AND 10 -> [2, 3, 5, 7]",
        ] {
            assert_eq!(said(text), Ok((Some((1, 10)), listed.clone())), "{text}");
        }
        assert_eq!(
            said("Found 4 primes between 1 and 10"),
            Ok((Some((1, 10)), Some("Counted(4)".into())))
        );
        assert_eq!(said("Primes between 1 and 10:"), Ok((Some((1, 10)), None)));
        assert_eq!(said("[2, 3, 5, 7]"), Ok((None, listed)));
        assert_eq!(said("Starting 4 processes"), Ok((None, None)));
    }

    #[test]
    fn glued_and_broken_records_are_refused() {
        assert_eq!(
            said("Primes between 1 and 10: [2, 3, 5, 7]Primes between 10 and 20: [11]"),
            Err("interleaved-lines")
        );
        assert_eq!(
            said("Primes between 1 and 10: [2, 3, 5"),
            Err("unreadable-record")
        );
        assert_eq!(
            said("Primes between 1 and 10: [2, 'x']"),
            Err("wrong-primes")
        );
    }
}
