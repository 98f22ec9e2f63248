//! The exercise-8 contract: the squares of 1 to 10 on process pools of several
//! sizes, with the time of each.
//!
//! The facts are, for each pool size, its time and, when printed, its squares.
//! Every size the expectations name (2, 4 and 8 by default, the question's example)
//! is timed once; more sizes are fine. Every list of squares printed is exactly
//! `[1, 4, 9, …, 100]`, in order. Times are finite numbers ≥ 0 (scientific
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
//!   or a time, or holds nothing else.
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

use crate::facts::tokens::{Kind, Token, tokenize};
use crate::facts::{Noise, all_numbers, glued_records, int_list, open_tags};
use crate::{
    Accepted, Checker, Contract, ExpectKey, Expectations, Line, Rejection, Transcript, UsageError,
};

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
    pub fn from_expectations(expect: &Expectations) -> Result<Self, UsageError> {
        Ok(Self {
            sizes: expect.counts("sizes")?,
        })
    }
}

/// What one line says.
#[derive(Debug, Default, PartialEq)]
struct Said<'t> {
    /// Pool sizes, as printed.
    sizes: Vec<&'t str>,
    /// Times, as printed (a word such as `nan` where a time should be).
    times: Vec<&'t str>,
    /// Lists of squares.
    squares: Vec<&'t Token<'t>>,
    /// A breakdown heading (`Breakdown, median of 5 runs:`).
    breakdown_heading: bool,
    /// A breakdown line: a size with its start, map and shutdown times.
    breakdown: bool,
}

impl Said<'_> {
    fn is_noise(&self) -> bool {
        self.sizes.is_empty()
            && self.times.is_empty()
            && self.squares.is_empty()
            && !self.breakdown_heading
    }
}

/// Words after which a whole number is a pool size, and before which one is.
const SIZE_BEFORE: &[&str] = &["size", "processes", "workers", "procs", "processors"];
const SIZE_AFTER: &[&str] = &[
    "process",
    "processes",
    "worker",
    "workers",
    "procs",
    "processors",
];
/// Words after which a number is a time, and units after which one is.
const TIME_BEFORE: &[&str] = &["time", "took", "taken", "duration", "elapsed"];
const UNITS: &[&str] = &[
    "s",
    "sec",
    "secs",
    "second",
    "seconds",
    "ms",
    "msec",
    "millisecond",
    "milliseconds",
    "us",
    "µs",
    "microseconds",
    "ns",
];
/// Words that may stand between a label and its number (`size of 2`, `took: 3`).
const FILLERS: &[&str] = &["of", "is", "was", "with", "=", ":", "(", "in", "-"];

/// Reads what a line says about pools.
fn read_line<'t>(tokens: &'t [Token<'t>]) -> Said<'t> {
    let mut said = Said::default();
    let word_near = |i: usize, words: &[&str], back: bool| {
        let mut j = i;
        for _ in 0..3 {
            j = match back {
                true if j > 0 => j - 1,
                false if j + 1 < tokens.len() => j + 1,
                _ => return false,
            };
            let t = &tokens[j];
            if t.is_one_of(words) {
                return true;
            }
            if !(t.is_one_of(FILLERS) || FILLERS.iter().any(|f| t.is_sym(f))) {
                return false;
            }
        }
        false
    };
    // `pool of 2`, `pools with 4`, `Pool(2)`, `pool=8`, `Pool 2:`.
    let pool_of = |i: usize| {
        i >= 1 && tokens[i - 1].is_one_of(&["pool", "pools"])
            || i >= 2
                && tokens[i - 2].is_one_of(&["pool", "pools"])
                && (tokens[i - 1].is_one_of(&["of", "with"])
                    || ["(", "="].iter().any(|sym| tokens[i - 1].is_sym(sym)))
    };
    for (i, token) in tokens.iter().enumerate() {
        match token.kind {
            Kind::Int if word_near(i, SIZE_BEFORE, true) || pool_of(i) => {
                said.sizes.push(token.text)
            }
            Kind::Int if tokens.get(i + 1).is_some_and(|t| t.is_one_of(SIZE_AFTER)) => {
                said.sizes.push(token.text)
            }
            Kind::Int
                if tokens.get(i + 1).is_some_and(|t| t.is_sym("-"))
                    && tokens.get(i + 2).is_some_and(|t| t.is_one_of(SIZE_AFTER)) =>
            {
                said.sizes.push(token.text)
            }
            Kind::Int | Kind::Decimal
                if word_near(i, TIME_BEFORE, true)
                    || tokens.get(i + 1).is_some_and(|t| t.is_one_of(UNITS)) =>
            {
                said.times.push(token.text)
            }
            Kind::Word
                if token.is_one_of(&["nan", "inf", "infinity"])
                    && (word_near(i, TIME_BEFORE, true)
                        || tokens.get(i + 1).is_some_and(|t| t.is_one_of(UNITS))) =>
            {
                said.times.push(token.text)
            }
            // `{2: 0.031, 4: 0.042}` or `[(2, 0.031), (4, 0.042)]`: sizes and times.
            Kind::Dict | Kind::List if int_list(token).is_none() => {
                for (size, time) in timing_pairs(token) {
                    said.sizes.push(size);
                    said.times.push(time);
                }
            }
            _ => {}
        }
    }
    // `Time taken for the pool of 2: 0.0234`: a line about time whose one
    // fractional number the rules above left unclaimed.
    if said.times.is_empty() && tokens.iter().any(|t| t.is_one_of(TIME_BEFORE)) {
        let decimals: Vec<&Token<'_>> = tokens.iter().filter(|t| t.kind == Kind::Decimal).collect();
        if let [time] = decimals[..] {
            said.times.push(time.text);
        }
    }
    said.sizes.dedup();
    let says = |stems: &[&str]| tokens.iter().any(|t| t.is_word(stems));
    let about_pools = !said.sizes.is_empty() || !said.times.is_empty();
    let bare = !tokens.iter().any(|t| t.kind == Kind::Word);
    for (i, token) in tokens.iter().enumerate() {
        let labelled_otherwise = i > 0
            && tokens[..i]
                .iter()
                .rev()
                .find(|t| t.kind == Kind::Word)
                .is_some_and(|t| t.is_word(&["sizes", "number", "input", "value"]));
        if int_list(token).is_some()
            && !labelled_otherwise
            && (bare || about_pools || says(&["square", "result", "output"]))
        {
            said.squares.push(token);
        }
    }
    said.breakdown_heading = says(&["breakdown"]) && said.sizes.is_empty();
    said.breakdown = says(&["start"]) && says(&["map"]) && says(&["shutdown"]);
    if said.breakdown_heading {
        said.times.clear();
    }
    said
}

/// A table's heading (`Pool Size | Time (s)`): words for a size and a time, no
/// number. Gives whether the size column comes first.
fn table_heading(tokens: &[Token<'_>]) -> Option<bool> {
    if tokens.iter().any(Token::is_number) {
        return None;
    }
    // Column names may be joined: `pool_size`, `time_sec`.
    let names = |parts: &[&str]| {
        tokens
            .iter()
            .position(|t| t.kind == Kind::Word && parts.iter().any(|part| t.lower.contains(part)))
    };
    let size = names(&["size", "process", "worker", "pool"])?;
    let time = names(&["time", "duration", "elapsed", "sec", "took", "taken"])?;
    Some(size < time)
}

/// A row under a table's heading: a whole number and a number, with at most a unit.
fn table_row<'a>(tokens: &'a [Token<'a>], size_first: bool) -> Option<Said<'a>> {
    let mut numbers: Vec<&Token<'_>> = tokens.iter().filter(|t| t.is_number()).collect();
    let only_units = tokens
        .iter()
        .all(|t| t.kind != Kind::Word || t.is_one_of(UNITS));
    if numbers.len() == 3 && numbers[0].kind == Kind::Int {
        // A printed DataFrame's row number comes first.
        numbers.remove(0);
    }
    let (&[first, second], true) = (&numbers[..], only_units) else {
        return None;
    };
    let (size, time) = if size_first {
        (first, second)
    } else {
        (second, first)
    };
    (size.kind == Kind::Int).then(|| Said {
        sizes: vec![size.text],
        times: vec![time.text],
        ..Said::default()
    })
}

/// The (size, time) pairs of a dict or a list of pairs, when every pair is a whole
/// number and a fractional one.
fn timing_pairs<'t>(token: &Token<'t>) -> Vec<(&'t str, &'t str)> {
    let numbers = all_numbers(token);
    let pairs: Vec<(&str, &str)> = numbers
        .chunks_exact(2)
        .map(|pair| (pair[0], pair[1]))
        .collect();
    let timings = numbers.len().is_multiple_of(2)
        && !pairs.is_empty()
        && pairs.iter().all(|(size, time)| {
            size.parse::<u64>().is_ok()
                && time.contains(['.', 'e', 'E'])
                && time.parse::<f64>().is_ok()
        });
    if timings { pairs } else { Vec::new() }
}

/// A pool's record as read so far.
#[derive(Debug)]
struct Record<'t> {
    size: u64,
    line: &'t Line,
    timed: bool,
    /// A later line naming the same size once it was timed (`Results with pool
    /// size 2: …`): a continuation, unless another time follows it.
    named_again: Option<&'t Line>,
}

/// The reading's state: the records, the open one, a time waiting for its size.
#[derive(Debug, Default)]
struct Blocks<'t> {
    /// size -> the line its record opened at.
    timed: BTreeMap<u64, usize>,
    open: Option<Record<'t>>,
    /// A time seen before any size could take it, and its line.
    waiting: Option<&'t Line>,
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
            glued_records(line, tokens, &starts)?;
            let said = match table.and_then(|size_first| table_row(tokens, size_first)) {
                Some(row) => row,
                None => {
                    // A rule of dashes under a heading keeps the table going.
                    if !tokens.iter().all(|t| t.kind == Kind::Sym) {
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
                check_squares(line, squares)?;
                blocks.squares_shown += 1;
            }
            for time in &said.times {
                check_time(line, time)?;
            }
            blocks.read(line, &said)?;
        }
        if let Some(waiting) = blocks.waiting.take() {
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
                    Some(open) if !open.timed => open.timed = true,
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
                    _ => self.waiting = Some(line),
                }
                Ok(())
            }
            ([size], times) => self.size(line, *size, times > 0),
            // `Pool sizes 2, 4 and 8: …` with one time each, in order.
            (many, times) if times == many.len() => {
                for &size in many {
                    self.size(line, size, true)?;
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
    fn size(&mut self, line: &'t Line, size: u64, timed: bool) -> Result<(), Rejection> {
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
            && !(open.timed && timed)
        {
            // The same record, continued (`Starting pool of 2…`, `Pool of 2 took…`).
            if open.timed {
                open.named_again = Some(line);
            }
            open.timed |= timed;
            return Ok(());
        }
        self.close()?;
        if !timed && self.timed.contains_key(&size) {
            self.mentioned = Some((size, line));
            return Ok(());
        }
        let timed = timed || self.waiting.take().is_some();
        self.open = Some(Record {
            size,
            line,
            timed,
            named_again: None,
        });
        Ok(())
    }

    /// Ends the open record: it must have its time, and be its size's first.
    fn close(&mut self) -> Result<(), Rejection> {
        let Some(record) = self.open.take() else {
            return Ok(());
        };
        if !record.timed {
            return Err(Rejection::at(
                record.line,
                rules::BLOCK_INCOMPLETE,
                format!("the pool of {} is never given its time", record.size),
            ));
        }
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

fn check_squares(line: &Line, list: &Token<'_>) -> Result<(), Rejection> {
    let want: Vec<i64> = (1..=10).map(|n| n * n).collect();
    let values = int_list(list).unwrap_or_default();
    if values == want {
        return Ok(());
    }
    let why = match values.iter().zip(&want).position(|(got, want)| got != want) {
        Some(at) => format!(
            "item {} is {}, but {}² is {}",
            at + 1,
            values[at],
            at + 1,
            want[at]
        ),
        None => format!("{} squares, not the 10 of 1 to 10", values.len()),
    };
    Err(Rejection::at(line, rules::WRONG_SQUARES, why))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn said(text: &str) -> (Vec<String>, Vec<String>, usize) {
        let tokens = tokenize(text);
        let said = read_line(&tokens);
        let owned = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        (owned(&said.sizes), owned(&said.times), said.squares.len())
    }

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_sizes_times_and_squares_in_any_wording() {
        for (text, sizes, times, squares) in [
            ("Using pool size of 2 processes:", v(&["2"]), v(&[]), 0),
            ("Time taken: 0.000412 seconds", v(&[]), v(&["0.000412"]), 0),
            (
                "Pool size: 2, Time taken: 0.0222 seconds",
                v(&["2"]),
                v(&["0.0222"]),
                0,
            ),
            ("Testing with pool size: 4", v(&["4"]), v(&[]), 0),
            (
                "Time taken with pool size 2: 0.0239 seconds",
                v(&["2"]),
                v(&["0.0239"]),
                0,
            ),
            (
                "Pool with 8 processes took 12.5 ms",
                v(&["8"]),
                v(&["12.5"]),
                0,
            ),
            (
                "Number of processes: 4, elapsed 1e-05s",
                v(&["4"]),
                v(&["1e-05"]),
                0,
            ),
            (
                "Pool size: 2 | Duration: 0.00041 seconds | Results: [1, 4, 9]",
                v(&["2"]),
                v(&["0.00041"]),
                1,
            ),
            ("Results: [1, 4, 9]", v(&[]), v(&[]), 1),
            ("[1, 4, 9]", v(&[]), v(&[]), 1),
            ("Pool sizes: [2, 4, 8]", v(&[]), v(&[]), 0),
            ("Process 12345 squared 4", v(&[]), v(&[]), 0),
            ("Worker 3 done", v(&[]), v(&[]), 0),
            ("Pool 4: 0.0400 seconds", v(&["4"]), v(&["0.0400"]), 0),
            ("Duration: nan seconds", v(&[]), v(&["nan"]), 0),
            (
                "Time taken by pool of size 2: 0.0234",
                v(&["2"]),
                v(&["0.0234"]),
                0,
            ),
            (
                "Timings: {2: 0.031, 4: 0.042}",
                v(&["2", "4"]),
                v(&["0.031", "0.042"]),
                0,
            ),
            (
                "[(2, 0.031), (8, 0.07)]",
                v(&["2", "8"]),
                v(&["0.031", "0.07"]),
                0,
            ),
        ] {
            assert_eq!(said(text), (sizes, times, squares), "{text}");
        }
    }
}
