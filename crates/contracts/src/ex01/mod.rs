//! The exercise-1 contract: each claim about threads and processes measured both
//! ways, and a verdict that follows from the two figures printed.
//!
//! ```text
//! spawn and join one unit of work: threads 31.968 µs, processes 1547.803 µs -> threads win by 48.42x
//! a worker crashes: threads: program killed by SIGABRT, processes: program carried on -> processes isolate
//! When to use which, by these numbers:
//!   threads: spawn and join one unit of work (48.42x); …
//!   processes: …
//!   even: none
//! ```
//!
//! The figures depend on the machine, so the checker never compares them with
//! anything but each other and physics: every figure is finite and ≥ 0; a verdict
//! is the one its two figures give (lower wins, by their ratio to two decimals,
//! and a ratio under 1.25 is even); and no figure is impossible (bounds in
//! `physics.rs`: a start, a wake-up, a copy or a sieve faster than any machine,
//! overlapped waits finishing before one wait lasts or after all of them, a
//! thread crash its program survives). The summary lists each row under the side that won it.

mod physics;

use std::collections::BTreeMap;

use crate::facts::rules::UNRECOGNISED_LINE;
use crate::{
    Accepted, Checker, Contract, ExpectKey, Expectations, Line, Rejection, RequestError, Transcript,
};

/// The ex01 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: EXPECT_KEYS,
    rules: rules::ALL,
    defaults: &[],
    strict_lines: &[],
    timing_sensitive: true,
    default_runs: 2,
    reported_failures: false,
    expected_failure: None,
    concurrency: crate::concurrency::Concurrency::BOTH,
    checker: |expect| {
        Ok(Box::new(ThreadsOrProcessesChecker::from_expectations(
            expect,
        )?))
    },
};

/// The expectations the ex01 checker understands.
pub const EXPECT_KEYS: &[ExpectKey] = &[ExpectKey {
    key: "python",
    help: "whether the Python rows must be there: yes or no (the program's --python)",
}];

/// The rules, as reported in [`Rejection::rule`] and listed in the exercise's doc page.
pub mod rules {
    use crate::Rule;
    pub use crate::facts::rules::UNRECOGNISED_LINE;

    /// Every row is printed once.
    pub const ROW_MISSING: Rule = Rule {
        id: "row-missing",
        hint: "Measure and print every row: spawn, memory, wake-up, move, share, CPU on 1 and 2 workers, I/O, and the crash.",
    };
    /// No row is printed twice.
    pub const ROW_REPEATED: Rule = Rule {
        id: "row-repeated",
        hint: "Print each row once, with the medians of its runs.",
    };
    /// Every figure is a finite number ≥ 0 in the row's unit.
    pub const BAD_FIGURE: Rule = Rule {
        id: "bad-figure",
        hint: "Print each figure as a plain number ≥ 0 in the row's unit (µs and ms for times, KiB for memory).",
    };
    /// A verdict is the one its two figures give.
    pub const VERDICT_CONTRADICTS: Rule = Rule {
        id: "verdict-contradicts",
        hint: "Compute the verdict from the two figures as printed: the lower wins, by their ratio; under 1.25x it is even.",
    };
    /// No figure is physically impossible.
    pub const IMPLAUSIBLE: Rule = Rule {
        id: "implausible",
        hint: "Measure what the row says, the two sides in turns: no figure can beat the machine (a start, a wake-up, a copy, a sieve), nor overlapped waits end before one wait does or take longer than all of them.",
    };
    /// The summary lists each row under the side that won it.
    pub const SUMMARY_MISMATCH: Rule = Rule {
        id: "summary-mismatch",
        hint: "Build the summary from the rows' own verdicts, each row under the side it names.",
    };

    /// Every rule, in the order the doc page lists them.
    pub const ALL: &[Rule] = &[
        ROW_MISSING,
        ROW_REPEATED,
        BAD_FIGURE,
        VERDICT_CONTRADICTS,
        IMPLAUSIBLE,
        SUMMARY_MISMATCH,
        UNRECOGNISED_LINE,
    ];
}

/// The rows every run prints, by the start of their claim.
const REQUIRED: &[&str] = &[
    "spawn and join one unit of work",
    "memory of one more idle worker",
    "wake another worker and be woken back",
    "move ",
    "share ",
    "cpu-bound primes below ",
    "io-bound, ",
];

/// Below this factor neither side wins.
const EVEN_BELOW: f64 = 1.25;

/// The ex01 checker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ThreadsOrProcessesChecker {
    /// Whether the Python rows must be there (or must not), if known.
    pub python: Option<bool>,
}

impl ThreadsOrProcessesChecker {
    /// Reads the `python` expectation.
    pub fn from_expectations(expect: &Expectations) -> Result<Self, RequestError> {
        let python = expect.choice("python", &["yes", "no"], "yes, no or any")?;
        Ok(Self {
            python: python.map(|p| p == "yes"),
        })
    }
}

/// A row as printed.
#[derive(Debug)]
struct Row<'t> {
    claim: &'t str,
    unit: &'t str,
    threads: f64,
    processes: f64,
    winner: &'t str,
    factor: f64,
}

impl Checker for ThreadsOrProcessesChecker {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        let lines = transcript.lines();
        // claim -> (line, winner, factor)
        let mut rows: BTreeMap<&str, (&Line, String, f64)> = BTreeMap::new();
        let mut crash: Option<(&Line, String)> = None;
        let mut summary: BTreeMap<&str, (&Line, &str)> = BTreeMap::new();
        let mut in_summary = false;
        // Each row as read, in order, for the bounds of physics.
        let mut parsed: Vec<(&Line, Row<'_>)> = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let text = line.text.as_str();
            if i == 0 && text.starts_with("Threads or processes? Measured on this machine") {
                continue;
            }
            if text.starts_with("python: ") && !in_summary {
                continue;
            }
            if text == "When to use which, by these numbers:" {
                in_summary = true;
                continue;
            }
            if in_summary {
                let (side, list) = text
                    .trim_start()
                    .split_once(": ")
                    .filter(|(side, _)| ["threads", "processes", "even"].contains(side))
                    .ok_or_else(|| unrecognised(line))?;
                if summary.insert(side, (line, list)).is_some() {
                    return Err(unrecognised(line));
                }
                continue;
            }
            if let Some(rest) = text.strip_prefix("a worker crashes: ") {
                let verdict = check_crash(line, rest)?;
                if crash.replace((line, verdict)).is_some() {
                    return Err(repeated(line, "a worker crashes"));
                }
                continue;
            }
            let row = parse_row(line)?;
            check_row(line, &row)?;
            let entry = (line, row.winner.to_owned(), row.factor);
            if rows.insert(row.claim, entry).is_some() {
                return Err(repeated(line, row.claim));
            }
            parsed.push((line, row));
        }
        // Rust's spawn row bounds Rust's I/O row, Python's Python's.
        let spawn_row = |python: bool| {
            let wanted = if python { "python spawn" } else { "spawn" };
            parsed
                .iter()
                .find(|(_, row)| row.claim.starts_with(wanted))
                .map(|(_, row)| row)
        };
        for (line, row) in &parsed {
            physics::check(line, row, spawn_row(row.claim.starts_with("python ")))?;
        }
        for required in REQUIRED {
            let wanted = if required.starts_with("cpu-bound") {
                2
            } else {
                1
            };
            let found = rows
                .keys()
                .filter(|claim| claim.starts_with(required))
                .count();
            if found < wanted {
                return Err(Rejection::at_end(
                    rules::ROW_MISSING,
                    format!("no row `{}…` was printed", required.trim_end()),
                ));
            }
        }
        let Some((_, crash_verdict)) = crash else {
            return Err(Rejection::at_end(
                rules::ROW_MISSING,
                "no row `a worker crashes` was printed",
            ));
        };
        let python_rows = rows.keys().filter(|c| c.starts_with("python ")).count();
        match self.python {
            Some(true) if python_rows == 0 => {
                return Err(Rejection::at_end(
                    rules::ROW_MISSING,
                    "the Python rows were asked for but not printed",
                ));
            }
            Some(false) if python_rows > 0 => {
                return Err(Rejection::at_end(
                    rules::ROW_REPEATED,
                    "Python rows were printed, but not asked for",
                ));
            }
            _ => {}
        }
        check_summary(&rows, &crash_verdict, &summary)?;
        let wins = |side: &str| rows.values().filter(|(_, w, _)| w == side).count();
        Ok(Accepted::new(format!(
            "{} rows and the crash, each verdict following from its figures: threads win {}, processes win {}, even {}",
            rows.len(),
            wins("threads"),
            wins("processes"),
            wins("even")
        )))
    }
}

fn unrecognised(line: &Line) -> Rejection {
    Rejection::at(
        line,
        UNRECOGNISED_LINE,
        "not an ex01 line (a row `CLAIM: threads A UNIT, processes B UNIT -> VERDICT`, the crash row, a python note, or the summary)",
    )
}

fn repeated(line: &Line, claim: &str) -> Rejection {
    Rejection::at(
        line,
        rules::ROW_REPEATED,
        format!("the row `{claim}` was already printed"),
    )
}

/// Reads `CLAIM: threads A UNIT, processes[ (HOW)] B UNIT -> VERDICT`.
fn parse_row<'t>(line: &'t Line) -> Result<Row<'t>, Rejection> {
    let text = line.text.as_str();
    let (claim, rest) = text
        .split_once(": threads ")
        .ok_or_else(|| unrecognised(line))?;
    let (threads, rest) = rest
        .split_once(", processes")
        .ok_or_else(|| unrecognised(line))?;
    let (processes, verdict) = rest.split_once(" -> ").ok_or_else(|| unrecognised(line))?;
    // `(pipe) 6658.092 µs`: what the processes used, then the figure.
    let processes = match processes.trim_start().strip_prefix('(') {
        Some(how) => how.split_once(')').map_or("", |(_, figure)| figure),
        None => processes,
    };
    let figure = |text: &'t str| -> Result<(f64, &'t str), Rejection> {
        let (number, unit) = text
            .trim()
            .split_once(' ')
            .ok_or_else(|| unrecognised(line))?;
        let value: f64 = number.parse().map_err(|_| {
            Rejection::at(
                line,
                rules::BAD_FIGURE,
                format!("`{number}` is not a number"),
            )
        })?;
        if !value.is_finite() || value < 0.0 || number.starts_with(['-', '+']) {
            return Err(Rejection::at(
                line,
                rules::BAD_FIGURE,
                format!("`{number}` is not a finite figure ≥ 0"),
            ));
        }
        Ok((value, unit))
    };
    let (threads, unit) = figure(threads)?;
    let (processes, other_unit) = figure(processes)?;
    if unit != other_unit || !["µs", "ms", "KiB"].contains(&unit) {
        return Err(Rejection::at(
            line,
            rules::BAD_FIGURE,
            format!(
                "the figures' units are `{unit}` and `{other_unit}`: one of µs, ms or KiB, the same for both"
            ),
        ));
    }
    let (winner, factor) = if let Some(f) = verdict.strip_prefix("threads win by ") {
        ("threads", f)
    } else if let Some(f) = verdict.strip_prefix("processes win by ") {
        ("processes", f)
    } else if let Some(f) = verdict
        .strip_prefix("even (")
        .and_then(|f| f.strip_suffix(')'))
    {
        ("even", f)
    } else {
        return Err(unrecognised(line));
    };
    let factor: f64 = factor
        .strip_suffix('x')
        .and_then(|f| f.parse().ok())
        .ok_or_else(|| unrecognised(line))?;
    Ok(Row {
        claim,
        unit,
        threads,
        processes,
        winner,
        factor,
    })
}

/// Checks a row's verdict against its figures, and its figures against physics.
fn check_row(line: &Line, row: &Row<'_>) -> Result<(), Rejection> {
    let (low, high) = (
        row.threads.min(row.processes),
        row.threads.max(row.processes),
    );
    let factor = (high / low.max(0.001) * 100.0).round() / 100.0;
    // Past the even band the figures differ, so one side is the faster.
    let winner = match (factor < EVEN_BELOW, row.threads.total_cmp(&row.processes)) {
        (true, _) => "even",
        (false, std::cmp::Ordering::Less) => "threads",
        (false, _) => "processes",
    };
    // The program rounds its factor from unrounded figures: a hundredth either way.
    let hundredths = |factor: f64| (factor * 100.0).round() as i64;
    if winner != row.winner || (hundredths(factor) - hundredths(row.factor)).abs() > 1 {
        return Err(Rejection::at(
            line,
            rules::VERDICT_CONTRADICTS,
            format!(
                "threads {} and processes {} give `{}` by {factor:.2}x, not `{}` by {:.2}x",
                row.threads, row.processes, winner, row.winner, row.factor
            ),
        ));
    }
    if row
        .claim
        .trim_start_matches("python ")
        .starts_with("memory")
        && row.unit != "KiB"
    {
        return Err(Rejection::at(
            line,
            rules::BAD_FIGURE,
            "memory is measured in KiB",
        ));
    }
    Ok(())
}

/// Checks the crash row: how each program ended, and the verdict that follows.
/// Gives the side that won it (`processes`, `threads`, or `none`).
fn check_crash(line: &Line, rest: &str) -> Result<String, Rejection> {
    let (threads, rest) = rest
        .strip_prefix("threads: ")
        .and_then(|r| r.split_once(", processes: "))
        .ok_or_else(|| unrecognised(line))?;
    let (processes, verdict) = rest.split_once(" -> ").ok_or_else(|| unrecognised(line))?;
    let survived = |ending: &str| match ending {
        "program carried on" => Ok(true),
        e if e.starts_with("program killed by ") || e.starts_with("program ended with ") => {
            Ok(false)
        }
        _ => Err(unrecognised(line)),
    };
    let (thread, process) = (survived(threads)?, survived(processes)?);
    if thread {
        return Err(Rejection::at(
            line,
            rules::IMPLAUSIBLE,
            "a thread that aborts takes its whole process with it: its program cannot carry on",
        ));
    }
    let expected = match process {
        true => "processes isolate",
        false => "neither isolates",
    };
    if verdict != expected {
        return Err(Rejection::at(
            line,
            rules::VERDICT_CONTRADICTS,
            format!("these endings give `{expected}`, not `{verdict}`"),
        ));
    }
    Ok(match process {
        true => "processes".into(),
        false => "none".into(),
    })
}

/// Checks that the summary lists each row, with its factor, under its side.
fn check_summary(
    rows: &BTreeMap<&str, (&Line, String, f64)>,
    crash: &str,
    summary: &BTreeMap<&str, (&Line, &str)>,
) -> Result<(), Rejection> {
    for side in ["threads", "processes", "even"] {
        let Some(&(line, list)) = summary.get(side) else {
            return Err(Rejection::at_end(
                rules::SUMMARY_MISMATCH,
                format!("the summary has no `{side}:` line"),
            ));
        };
        let mut wanted: Vec<String> = rows
            .iter()
            .filter(|(_, (_, winner, _))| winner == side)
            .map(|(claim, (_, _, factor))| format!("{claim} ({factor:.2}x)"))
            .collect();
        if crash == side {
            wanted.push("a worker crashes (isolated)".into());
        }
        let listed: Vec<&str> = match list {
            "none" => Vec::new(),
            list => list.split("; ").collect(),
        };
        let mut sorted_wanted = wanted.clone();
        sorted_wanted.sort();
        let mut sorted_listed: Vec<String> = listed.iter().map(|s| s.to_string()).collect();
        sorted_listed.sort();
        if sorted_wanted != sorted_listed {
            return Err(Rejection::at(
                line,
                rules::SUMMARY_MISMATCH,
                format!(
                    "the rows won by {side} are {}",
                    match wanted.is_empty() {
                        true => "none".to_owned(),
                        false => wanted.join("; "),
                    }
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
