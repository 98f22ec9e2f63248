//! Reading ex08's facts from a line: pool sizes, times and squares, in sentences,
//! tables, dicts and lists of pairs.

use super::squares::{self, Squares};
use crate::facts::all_numbers;
use crate::facts::tokens::{Kind, Token};

/// What one line says.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Said<'t> {
    /// Pool sizes, as printed.
    pub(super) sizes: Vec<&'t str>,
    /// Times, as printed (a word such as `nan` where a time should be).
    pub(super) times: Vec<&'t str>,
    /// Squares, in whatever shape.
    pub(super) squares: Vec<Squares<'t>>,
    /// A breakdown heading (`Breakdown, median of 5 runs:`).
    pub(super) breakdown_heading: bool,
    /// A breakdown line: a size with its start, map and shutdown times.
    pub(super) breakdown: bool,
}

impl Said<'_> {
    pub(super) fn is_noise(&self) -> bool {
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
const TIME_BEFORE: &[&str] = &[
    "time", "took", "taken", "duration", "elapsed", "seconds", "secs", "sec",
];
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
pub(super) fn read_line<'t>(tokens: &'t [Token<'t>]) -> Said<'t> {
    let mut said = Said::default();
    // One of `words` at most three tokens before token `i`, with only fillers
    // between (`size of 2`, `took: 3`).
    let word_before = |i: usize, words: &[&str]| {
        let mut j = i;
        for _ in 0..3 {
            let Some(before) = j.checked_sub(1) else {
                return false;
            };
            j = before;
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
            Kind::Int if word_before(i, SIZE_BEFORE) || pool_of(i) => said.sizes.push(token.text),
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
                if word_before(i, TIME_BEFORE)
                    || tokens.get(i + 1).is_some_and(|t| t.is_one_of(UNITS)) =>
            {
                said.times.push(token.text)
            }
            Kind::Word
                if token.is_one_of(&["nan", "inf", "infinity"])
                    && (word_before(i, TIME_BEFORE)
                        || tokens.get(i + 1).is_some_and(|t| t.is_one_of(UNITS))) =>
            {
                said.times.push(token.text)
            }
            // `{2: 0.031, 4: 0.042}` or `[(2, 0.031), (4, 0.042)]`: sizes and times.
            Kind::Dict | Kind::List if squares::in_token(token).is_none() => {
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
        let labelled_otherwise = tokens[..i]
            .iter()
            .rev()
            .find(|t| t.kind == Kind::Word)
            .is_some_and(|t| t.is_word(&["sizes", "number", "input", "value"]));
        if let Some(found) = squares::in_token(token)
            && !labelled_otherwise
            && (bare || about_pools || says(&["square", "result", "output"]))
        {
            said.squares.push(found);
        }
    }
    if said.squares.is_empty() {
        let taken: Vec<&str> = said.sizes.iter().chain(&said.times).copied().collect();
        said.squares.extend(squares::on_line(tokens, &taken));
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
pub(super) fn table_heading(tokens: &[Token<'_>]) -> Option<bool> {
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
pub(super) fn table_row<'a>(tokens: &'a [Token<'a>], size_first: bool) -> Option<Said<'a>> {
    let numbers: Vec<&Token<'_>> = tokens.iter().filter(|t| t.is_number()).collect();
    let only_units = tokens
        .iter()
        .all(|t| t.kind != Kind::Word || t.is_one_of(UNITS));
    if !only_units {
        return None;
    }
    // With more columns (a DataFrame's row number, a speed-up), the size is the
    // whole number next to the first fractional one: before it when the size
    // column comes first, after it otherwise.
    let fraction = numbers.iter().position(|t| t.kind == Kind::Decimal);
    let (size, time) = match (fraction, size_first) {
        (Some(at), true) => (*numbers[..at].last()?, numbers[at]),
        (Some(at), false) => (*numbers.get(at + 1)?, numbers[at]),
        (None, _) => match numbers[..] {
            [first, second] if size_first => (first, second),
            [first, second] => (second, first),
            _ => return None,
        },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::tokens::tokenize;

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
            ("Using a 4-process pool", v(&["4"]), v(&[]), 0),
            ("4-process pool: 0.5 s", v(&["4"]), v(&["0.5"]), 0),
            ("Squares of 1 - 10", v(&[]), v(&[]), 0),
            ("Pool of 2: [1, 4, 9]", v(&["2"]), v(&[]), 1),
            ("Took 0.01 s: [1, 4, 9]", v(&[]), v(&["0.01"]), 1),
            ("Done: [1, 4, 9]", v(&[]), v(&[]), 0),
            ("Pool of 2: inf s", v(&["2"]), v(&["inf"]), 0),
            ("Pool of 2: 0.5 s", v(&["2"]), v(&["0.5"]), 0),
            (
                "Pool of 2, input: [1, 2, 3], took 0.01 s",
                v(&["2"]),
                v(&["0.01"]),
                0,
            ),
            (
                "Pool of 2, squares: [1, 4, 9], took 0.01 s",
                v(&["2"]),
                v(&["0.01"]),
                1,
            ),
        ] {
            assert_eq!(said(text), (sizes, times, squares), "{text}");
        }
    }

    #[test]
    fn a_breakdown_line_names_start_map_and_shutdown() {
        let breakdown = |text: &str| read_line(&tokenize(text)).breakdown;
        assert!(breakdown(
            "Size 2: start 1.4 ms, map 0.2 ms, shutdown 0.5 ms"
        ));
        for partial in [
            "Size 2: start 1.4 ms, map 0.2 ms",
            "Size 2: map 0.2 ms, shutdown 0.5 ms",
            "Size 2: start 1.4 ms, shutdown 0.5 ms",
        ] {
            assert!(!breakdown(partial), "{partial}");
        }
    }
}
