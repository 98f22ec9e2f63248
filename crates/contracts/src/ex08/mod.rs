//! The exercise-8 contract: the squares of 1 to 10 on process pools of several
//! sizes, with the time of each.
//!
//! The facts are, for each pool size, its time and, when printed, its squares.
//! Every size the expectations name (2, 4 and 8 by default, the question's example)
//! is timed once; more sizes are fine. Every list of squares printed is exactly
//! `[1, 4, 9, …, 100]`, in order, and every square printed with its number is right. Times are finite numbers ≥ 0 (scientific
//! notation, as Python prints small floats, is fine); they are not compared with
//! anything, since a machine's speed is not the program's to promise.
//!
//! Facts are found by meaning ([`crate::facts`]), on one line or across several:
//!
//! - a pool size is a whole number after `size`, `processes`, `workers` or `pool
//!   of`, or before `processes` / `workers` (`Process 3` and `Worker 3` name one
//!   process, not a pool);
//! - a time is a number after `time`, `took`, `duration` or `elapsed`, or before a
//!   unit (`s`, `seconds`, `ms`);
//! - squares are a list of numbers on a line that names squares or results, a pool
//!   or a time, or holds nothing else; or pairs, a dict, or one square per line
//!   (`Square of 7 is 49`), each checked (`squares.rs`).
//!
//! A size opens a record, and the next time with no size of its own completes it;
//! a time that completes no record (`Total time: 0.05 s`) is noise. So all of these
//! are read:
//!
//! ```text
//! Using pool size of 2 processes:            Pool size: 2, Time taken: 0.0222 seconds
//! Squares: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]    Results: [1, 4, …, 100]
//! Time taken: 0.000412 seconds               Time taken with pool size 2: 0.0239 seconds
//!
//! Pool size: 2 | Duration: 0.00041 seconds | Results: [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]
//! ```
//!
//! With `--detail`, our program adds a breakdown after the blocks, one line per size:
//!
//! ```text
//! Breakdown, median of 5 runs:
//! Size 2: start 1.436 ms, map 0.156 ms, shutdown 0.479 ms
//! ```

use std::collections::BTreeMap;

use crate::facts::tokens::{Token, tokenize};
use crate::facts::{Noise, glued_records, is_rule, open_tags};

mod read;
mod squares;

use crate::{
    Accepted, Checker, Contract, ExpectKey, Expectations, Line, Rejection, RequestError, Transcript,
};
use read::{Said, read_line, table_heading, table_row};

/// The ex08 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: EXPECT_KEYS,
    rules: rules::ALL,
    defaults: &[("sizes", "2,4,8")],
    strict_lines: &[
        "Using pool size of {} processes:",
        "Using pool size of {} process:",
        "Squares: {}",
        "Time taken: {} seconds",
        "Pool size: {} | Duration: {} seconds | Results: {}",
        "Breakdown, median of {} runs:",
        "Breakdown, median of {} run:",
        "Size {}: start {} ms, map {} ms, shutdown {} ms",
    ],
    timing_sensitive: true,
    default_runs: 2,
    reported_failures: true,
    expected_failure: None,
    concurrency: crate::concurrency::Concurrency::PROCESSES,
    checker: |expect| Ok(Box::new(PoolTimingChecker::from_expectations(expect)?)),
};

/// The expectations the ex08 checker understands.
pub const EXPECT_KEYS: &[ExpectKey] = &[ExpectKey {
    key: "sizes",
    help: "the pool sizes that must each be timed, e.g. 2,4,8 (the program's --sizes); others may be too",
}];

/// The rules, as reported in [`Rejection::rule`] and listed in the exercise's doc page.
pub mod rules {
    use crate::Rule;
    pub use crate::facts::rules::{INTERLEAVED, UNREADABLE_RECORD, UNRECOGNISED_LINE};
    pub use crate::reported::REPORTED_FAILURE;

    /// A pool size shown without its time.
    pub const BLOCK_INCOMPLETE: Rule = Rule {
        id: "block-incomplete",
        hint: "Time the pool of every size you print, and print its time near its size.",
    };
    /// A pool size of 0.
    pub const SIZE_UNEXPECTED: Rule = Rule {
        id: "size-unexpected",
        hint: "Use pools of at least one process.",
    };
    /// A pool size timed twice.
    pub const SIZE_REPEATED: Rule = Rule {
        id: "size-repeated",
        hint: "Time each pool size once (or print one figure per size, such as the median of several runs).",
    };
    /// The squares are not exactly [1, 4, …, 100], in order.
    pub const WRONG_SQUARES: Rule = Rule {
        id: "wrong-squares",
        hint: "Square the numbers 1 to 10 with pool.map, which keeps their order, and print the list it returns.",
    };
    /// A time that is not a finite number ≥ 0.
    pub const BAD_TIME: Rule = Rule {
        id: "bad-time",
        hint: "Measure with a monotonic clock (time.perf_counter) around the work, and print end minus start.",
    };
    /// A breakdown line out of place, for a size without a block, repeated, with a
    /// bad time, or missing for a size.
    pub const BAD_BREAKDOWN: Rule = Rule {
        id: "bad-breakdown",
        hint: "Print the breakdown once, after every pool's block: its heading, then one line per pool size.",
    };
    /// An expected size was not timed (or no pool was timed at all).
    pub const SIZE_MISSING: Rule = Rule {
        id: "size-missing",
        hint: "Time a pool of each size asked for: 2, 4 and 8 processes unless told otherwise.",
    };

    /// Every rule, in the order the doc page lists them.
    pub const ALL: &[Rule] = &[
        BLOCK_INCOMPLETE,
        SIZE_UNEXPECTED,
        SIZE_REPEATED,
        WRONG_SQUARES,
        BAD_TIME,
        BAD_BREAKDOWN,
        SIZE_MISSING,
        UNREADABLE_RECORD,
        INTERLEAVED,
        UNRECOGNISED_LINE,
        REPORTED_FAILURE,
    ];
}

/// The ex08 checker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolTimingChecker {
    /// The sizes that must each be timed, if known.
    pub sizes: Option<Vec<u64>>,
}

impl PoolTimingChecker {
    /// Reads the `sizes` expectation.
    pub fn from_expectations(expect: &Expectations) -> Result<Self, RequestError> {
        Ok(Self {
            sizes: expect.counts("sizes")?,
        })
    }
}

/// A pool's record as read so far.
#[derive(Debug)]
struct Record<'t> {
    size: u64,
    line: &'t Line,
    /// Its time, as printed, once a line gives it.
    time: Option<&'t str>,
    /// A later line naming the same size once it was timed (`Results with pool
    /// size 2: …`): a continuation, unless another time follows it.
    named_again: Option<&'t Line>,
}

/// The reading's state: the records, the open one, a time waiting for its size.
#[derive(Debug, Default)]
struct Blocks<'t> {
    /// size -> the line its record opened at.
    timed: BTreeMap<u64, usize>,
    /// size -> its time, as printed.
    figures: BTreeMap<u64, &'t str>,
    open: Option<Record<'t>>,
    /// A time seen before any size could take it, and its line.
    waiting: Option<(&'t Line, &'t str)>,
    /// A size already timed, named again on a line of its own (`Best pool size:
    /// 4`): a mention, unless a time follows it.
    mentioned: Option<(u64, &'t Line)>,
    /// Whether a breakdown heading was seen, and the sizes broken down.
    breakdown: Option<BTreeMap<u64, usize>>,
    squares_shown: usize,
}

impl Checker for PoolTimingChecker {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        let mut noise = Noise::default();
        let mut blocks = Blocks::default();
        let lines: Vec<(&Line, Vec<Token<'_>>)> = transcript
            .lines()
            .iter()
            .map(|line| (line, open_tags(tokenize(&line.text))))
            .collect();
        // Whether a table's heading was seen, and whether its size column comes first.
        let mut table: Option<bool> = None;
        for (line, tokens) in &lines {
            let starts: Vec<usize> = (0..tokens.len())
                .filter(|&i| tokens[i].is_one_of(&["pool", "squares", "results", "time", "using"]))
                .collect();
            glued_records(line, tokens, &starts, |_| true)?;
            let said = match table.and_then(|size_first| table_row(tokens, size_first)) {
                Some(row) => row,
                None => {
                    if !is_rule(tokens) {
                        table = table_heading(tokens);
                    }
                    read_line(tokens)
                }
            };
            if said.is_noise() {
                noise.push(line);
                continue;
            }
            for squares in &said.squares {
                squares::check(line, squares)?;
                blocks.squares_shown += 1;
            }
            for time in &said.times {
                check_time(line, time)?;
            }
            blocks.read(line, &said)?;
        }
        if let Some((waiting, _)) = blocks.waiting.take() {
            noise.push(waiting);
        }
        blocks.close()?;
        if let Some(breakdown) = &blocks.breakdown
            && let Some(size) = blocks
                .timed
                .keys()
                .find(|size| !breakdown.contains_key(size))
        {
            return Err(Rejection::at_end(
                rules::BAD_BREAKDOWN,
                format!("the breakdown has no line for the pool of {size}"),
            ));
        }
        let expected = self.sizes.clone().unwrap_or_default();
        if let Some(size) = expected
            .iter()
            .find(|size| !blocks.timed.contains_key(size))
        {
            return Err(Rejection::at_end(
                rules::SIZE_MISSING,
                format!("the pool of {size} was never timed"),
            ));
        }
        if blocks.timed.is_empty() {
            return Err(Rejection::at_end(rules::SIZE_MISSING, "no pool was timed"));
        }
        let sizes: Vec<String> = blocks.timed.keys().map(ToString::to_string).collect();
        let squares = match blocks.squares_shown {
            0 => "squares not printed".to_owned(),
            _ => "squares exact".to_owned(),
        };
        let breakdown = match blocks.breakdown {
            Some(_) => ", with a breakdown",
            None => "",
        };
        Ok(noise.accept(format!(
            "{} pool{} (sizes {}), {squares}, times well-formed{breakdown}",
            blocks.timed.len(),
            if blocks.timed.len() == 1 { "" } else { "s" },
            sizes.join(", ")
        )))
    }
}

impl<'t> Blocks<'t> {
    /// Takes one line's sizes and times into the records.
    fn read(&mut self, line: &'t Line, said: &Said<'t>) -> Result<(), Rejection> {
        let sizes = said
            .sizes
            .iter()
            .map(|size| size.parse::<u64>())
            .collect::<Result<Vec<u64>, _>>()
            .map_err(|_| {
                Rejection::at(
                    line,
                    rules::SIZE_UNEXPECTED,
                    "a pool size is a whole number ≥ 1",
                )
            })?;
        if said.breakdown_heading {
            self.close()?;
            if self.timed.is_empty() || self.breakdown.is_some() {
                return Err(misplaced(line));
            }
            self.breakdown = Some(BTreeMap::new());
            return Ok(());
        }
        if let Some(broken_down) = &mut self.breakdown {
            return breakdown_line(line, said, &sizes, &self.timed, broken_down);
        }
        if said.breakdown {
            return Err(misplaced(line));
        }
        match (&sizes[..], said.times.len()) {
            ([], 0) => Ok(()),
            ([], _) => {
                if let Some((size, again)) = self.mentioned.take() {
                    let first = self.timed.get(&size).copied().unwrap_or_default();
                    return Err(Rejection::at(
                        again,
                        rules::SIZE_REPEATED,
                        format!("the pool of {size} was already timed at line {first}"),
                    ));
                }
                match &mut self.open {
                    Some(open) if open.time.is_none() => open.time = Some(said.times[0]),
                    Some(Record {
                        size,
                        line: first,
                        named_again: Some(again),
                        ..
                    }) => {
                        return Err(Rejection::at(
                            again,
                            rules::SIZE_REPEATED,
                            format!(
                                "the pool of {size} was already timed at line {}",
                                first.number
                            ),
                        ));
                    }
                    _ => self.waiting = Some((line, said.times[0])),
                }
                Ok(())
            }
            ([size], _) => self.size(line, *size, said.times.first().copied()),
            // `Pool sizes 2, 4 and 8: …` with one time each, in order.
            (many, times) if times == many.len() => {
                for (&size, &time) in many.iter().zip(&said.times) {
                    self.size(line, size, Some(time))?;
                }
                Ok(())
            }
            // A heading naming several sizes (`Comparing pools of 2, 4 and 8 processes`).
            (_, 0) => Ok(()),
            (_, _) => Err(Rejection::at(
                line,
                rules::UNREADABLE_RECORD,
                "names several pool sizes and times that do not pair up",
            )),
        }
    }

    /// A size on `line`, with a time on the same line or not.
    fn size(&mut self, line: &'t Line, size: u64, time: Option<&'t str>) -> Result<(), Rejection> {
        self.mentioned = None;
        if size == 0 {
            return Err(Rejection::at(
                line,
                rules::SIZE_UNEXPECTED,
                "a pool needs at least one process",
            ));
        }
        if let Some(open) = &mut self.open
            && open.size == size
            && !(open.time.is_some() && time.is_some())
        {
            // The same record, continued (`Starting pool of 2…`, `Pool of 2 took…`).
            if open.time.is_some() {
                open.named_again = Some(line);
            }
            open.time = open.time.or(time);
            return Ok(());
        }
        self.close()?;
        if time.is_none() && self.timed.contains_key(&size) {
            self.mentioned = Some((size, line));
            return Ok(());
        }
        let time = time.or_else(|| self.waiting.take().map(|(_, time)| time));
        self.open = Some(Record {
            size,
            line,
            time,
            named_again: None,
        });
        Ok(())
    }

    /// Ends the open record: it must have its time, and be its size's first.
    fn close(&mut self) -> Result<(), Rejection> {
        let Some(record) = self.open.take() else {
            return Ok(());
        };
        let Some(time) = record.time else {
            return Err(Rejection::at(
                record.line,
                rules::BLOCK_INCOMPLETE,
                format!("the pool of {} is never given its time", record.size),
            ));
        };
        if self
            .figures
            .get(&record.size)
            .is_some_and(|first| same_figure(first, time))
        {
            // `Fastest: pool size 2 (0.031 s)`: the same figure, quoted again.
            return Ok(());
        }
        self.figures.entry(record.size).or_insert(time);
        if let Some(first) = self.timed.insert(record.size, record.line.number) {
            return Err(Rejection::at(
                record.line,
                rules::SIZE_REPEATED,
                format!(
                    "the pool of {} was already timed at line {first}",
                    record.size
                ),
            ));
        }
        Ok(())
    }
}

/// Whether two printed times are the same figure (`0.031` and `0.0310`).
fn same_figure(a: &str, b: &str) -> bool {
    matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(x), Ok(y)) if x == y)
}

fn misplaced(line: &Line) -> Rejection {
    Rejection::at(
        line,
        rules::BAD_BREAKDOWN,
        "the breakdown comes once, after the blocks: a heading, then one Size line per pool",
    )
}

/// One line under the breakdown heading.
fn breakdown_line(
    line: &Line,
    said: &Said<'_>,
    sizes: &[u64],
    timed: &BTreeMap<u64, usize>,
    broken_down: &mut BTreeMap<u64, usize>,
) -> Result<(), Rejection> {
    let bad = |why: String| Err(Rejection::at(line, rules::BAD_BREAKDOWN, why));
    let ([size], true, 3) = (sizes, said.breakdown, said.times.len()) else {
        return bad("nothing but one Size line per pool may follow the breakdown heading".into());
    };
    if !timed.contains_key(size) {
        return bad(format!("the pool of {size} has no block above"));
    }
    if let Some(first) = broken_down.insert(*size, line.number) {
        return bad(format!(
            "the pool of {size} was already broken down at line {first}"
        ));
    }
    Ok(())
}

fn check_time(line: &Line, time: &str) -> Result<(), Rejection> {
    match time.parse::<f64>() {
        Ok(value) if value.is_finite() && value >= 0.0 && !time.starts_with('-') => Ok(()),
        _ => Err(Rejection::at(
            line,
            rules::BAD_TIME,
            format!("`{time}` is not a finite time ≥ 0"),
        )),
    }
}
