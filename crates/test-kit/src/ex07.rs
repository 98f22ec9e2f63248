//! The exercise-7 contract: factorials of 1..=N computed on a thread pool.
//!
//! The facts are pairs (n, n!). A pool finishes its tasks in any order, and a
//! program may print them as they complete or in input order, so the checker
//! accepts any order: each n of 1..=N exactly once, each value exact (no float, no
//! overflow past 20!, no truncation). N is the `upto` expectation, 10 by default
//! (the course's 1 to 10); with `upto=any`, the number of facts.
//!
//! A fact is found in any layout ([`crate::facts`]):
//!
//! ```text
//! Factorial of 10 is 3628800          The factorial of 7 is 5040.
//! Factorial of 10: 3628800            10! = 3628800
//! factorial(5) = 120                  5 -> 120
//! Factorials: [1, 2, 6, 24, 120]      Results: {1: 1, 2: 2, 3: 6}
//! ```
//!
//! A record starts at the word `factorial` or at `N!`; n is the first number after
//! it, and the value is the number right after the first `is`, `:`, `=` or `->`
//! that follows n. A line naming a factorial with no such value (`Calculating
//! factorial of 3`) is noise; one whose value is missing (`Factorial of 3 is`) is
//! unreadable. A list of values, on a line that names factorials or results or
//! holds only the list, gives the factorials of 1, 2, 3, … in turn.
//!
//! Values are compared with factorials computed only as far as needed: a value of
//! the wrong length is refused before any arithmetic, so a transcript cannot make
//! the checker compute huge factorials it does not itself contain.

use std::collections::BTreeMap;

use num_bigint::BigUint;

use crate::facts::tokens::{Kind, Token, tokenize};
use crate::facts::{Noise, glued_records, open_tags};
use crate::{
    Accepted, Checker, Contract, ExpectKey, Expectations, Line, Rejection, Transcript, UsageError,
};

/// The ex07 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: EXPECT_KEYS,
    rules: rules::ALL,
    defaults: &[("upto", "10")],
    strict_lines: &["Factorial of {} is {}", "Factorial of {}: {}"],
    timing_sensitive: false,
    checker: |expect| Ok(Box::new(FactorialChecker::from_expectations(expect)?)),
};

/// The expectations the ex07 checker understands.
pub const EXPECT_KEYS: &[ExpectKey] = &[ExpectKey {
    key: "upto",
    help: "the largest n whose factorial is printed (the program's --upto)",
}];

/// The rules, as reported in [`Rejection::rule`] and listed in the exercise's doc page.
pub mod rules {
    use crate::Rule;
    pub use crate::facts::rules::{INTERLEAVED, UNREADABLE_RECORD, UNRECOGNISED_LINE};

    /// n is in 1..=N.
    pub const N_OUT_OF_RANGE: Rule = Rule {
        id: "n-out-of-range",
        hint: "Compute the factorials of 1 to 10 (or of 1 to the N you were asked for), no more.",
    };
    /// Each n is printed once.
    pub const N_REPEATED: Rule = Rule {
        id: "n-repeated",
        hint: "Print each factorial once: submit each n once and print each result once.",
    };
    /// The value is n! exactly, in decimal, without leading zeros.
    pub const WRONG_VALUE: Rule = Rule {
        id: "wrong-value",
        hint: "Compute n! with whole numbers (math.factorial in Python, a big integer past 20! in Rust), and print the value itself.",
    };
    /// Every n of 1..=N is printed (and at least one is).
    pub const N_MISSING: Rule = Rule {
        id: "n-missing",
        hint: "Print the factorial of every n from 1 to 10 (or to the N asked for), each with its n, after every task has finished.",
    };

    /// Every rule, in the order the doc page lists them.
    pub const ALL: &[Rule] = &[
        N_OUT_OF_RANGE,
        N_REPEATED,
        WRONG_VALUE,
        N_MISSING,
        UNREADABLE_RECORD,
        INTERLEAVED,
        UNRECOGNISED_LINE,
    ];
}

/// The largest `upto` the checker takes: past it, computing the factorials to
/// compare with would take longer than a grader should wait.
pub const MAX_UPTO: u64 = 100_000;

/// One factorial a line states: n, and the value as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Fact<'t> {
    n: u64,
    value: &'t str,
}

/// Words that say a list holds the factorials.
const LIST_WORDS: &[&str] = &["factorial", "result", "output", "answer", "value"];

/// Reads the facts a line states; an empty list means the line is noise.
fn read_line<'t>(line: &'t Line, tokens: &[Token<'t>]) -> Result<Vec<Fact<'t>>, Rejection> {
    let anchors: Vec<usize> = (0..tokens.len())
        .filter(|&i| {
            tokens[i].is_word(&["factorial"])
                || tokens[i].is_one_of(&["fact"])
                || is_bang(tokens, i)
        })
        .collect();
    glued_records(line, tokens, &anchors)?;
    if anchors.is_empty() {
        return Ok(bare(tokens));
    }
    let mut facts = Vec::new();
    for (k, &anchor) in anchors.iter().enumerate() {
        let end = anchors.get(k + 1).copied().unwrap_or(tokens.len());
        // `Number: 3, Factorial: 6` names n before the word.
        let from = if k == 0 { 0 } else { anchors[k - 1] + 1 };
        let n_before = tokens[from..anchor].iter().rev().find_map(whole);
        facts.extend(record(line, &tokens[anchor..end], n_before)?);
    }
    Ok(facts)
}

/// `N!`: a whole number with `!` glued to it.
fn is_bang(tokens: &[Token<'_>], i: usize) -> bool {
    tokens[i].kind == Kind::Int && tokens.get(i + 1).is_some_and(|t| t.glued && t.is_sym("!"))
}

/// Whether a token says "the value follows".
fn is_marker(token: &Token<'_>) -> bool {
    [":", "=", "->", "=>", "→", "=="]
        .iter()
        .any(|sym| token.is_sym(sym))
        || token.is_one_of(&["is", "equals", "was", "are", "returned", "returns", "gives"])
}

/// The facts of one record, from its anchor (`factorial` or `N!`) to the next;
/// `n_before` is the whole number the line gave before the anchor, if any.
fn record<'t>(
    line: &Line,
    segment: &[Token<'t>],
    n_before: Option<u64>,
) -> Result<Vec<Fact<'t>>, Rejection> {
    if let (Some(n), Some(marker)) = (n_before, segment.get(1))
        && segment[0].kind == Kind::Word
        && is_marker(marker)
        && let Some(value) = segment[1..].iter().find(|t| !is_marker(t))
        && value.is_number()
    {
        // `Number: 3, Factorial: 6`.
        return Ok(vec![Fact {
            n,
            value: value.text,
        }]);
    }
    let first = if segment[0].kind == Kind::Int { 0 } else { 1 };
    let Some(at) = segment[first..]
        .iter()
        .position(|t| matches!(t.kind, Kind::Int | Kind::Decimal | Kind::List | Kind::Dict))
        .map(|p| p + first)
    else {
        return Ok(Vec::new());
    };
    let n = &segment[at];
    if matches!(n.kind, Kind::List | Kind::Dict) {
        return Ok(listed(n));
    }
    let Some(n_value) = whole(n) else {
        return Ok(Vec::new());
    };
    let after = &segment[at + 1..];
    let Some(marker) = after.iter().position(is_marker) else {
        return Ok(Vec::new());
    };
    if after[..marker].iter().any(Token::is_number) {
        // `… of numbers 1 to 10:` is a heading, not n and its value.
        return Ok(Vec::new());
    }
    match after[marker..].iter().find(|t| !is_marker(t)) {
        Some(value) if value.is_number() => Ok(vec![Fact {
            n: n_value,
            value: value.text,
        }]),
        Some(value) if matches!(value.kind, Kind::List | Kind::Dict) => Ok(listed(value)),
        Some(_) => Ok(Vec::new()),
        None => Err(Rejection::at(
            line,
            rules::UNREADABLE_RECORD,
            format!("names the factorial of {n_value} but prints no value after it"),
        )),
    }
}

/// Words a line may have around a bare pair (`Result for 5: 120`, `n = 5 -> 120`).
const PAIR_WORDS: &[&str] = &[
    "result", "results", "for", "of", "n", "number", "input", "output", "value", "the", "is",
    "task",
];

/// A line with no `factorial` and no `N!`: `5 -> 120` (with at most a few words
/// such as `Result for`), or a list of results.
fn bare<'t>(tokens: &[Token<'t>]) -> Vec<Fact<'t>> {
    let numbers: Vec<usize> = (0..tokens.len())
        .filter(|&i| tokens[i].is_number())
        .collect();
    // Few words besides the pair, or a word saying the second number is a result
    // (`Future for 5 done: result = 120`).
    let plain = tokens
        .iter()
        .all(|t| t.kind != Kind::Word || t.is_one_of(PAIR_WORDS) || is_marker(t))
        || tokens.iter().any(|t| t.is_word(&["result"]));
    if let [n, value] = numbers[..]
        && plain
        && value > 0
        && is_marker(&tokens[value - 1])
        && let Some(n) = whole(&tokens[n])
    {
        return vec![Fact {
            n,
            value: tokens[value].text,
        }];
    }
    // `All results: 1: 1, 2: 2, 3: 6`: pairs side by side.
    let pairs: Vec<Fact<'t>> = tokens
        .windows(3)
        .filter(|w| is_marker(&w[1]) && w[2].is_number())
        .filter_map(|w| {
            Some(Fact {
                n: whole(&w[0])?,
                value: w[2].text,
            })
        })
        .collect();
    if pairs.len() >= 2 && plain {
        return pairs;
    }
    let lists: Vec<&Token<'t>> = tokens
        .iter()
        .filter(|t| matches!(t.kind, Kind::List | Kind::Dict))
        .collect();
    let words: Vec<&Token<'t>> = tokens.iter().filter(|t| t.kind == Kind::Word).collect();
    match lists[..] {
        [list] if words.is_empty() || words.iter().any(|w| w.is_word(LIST_WORDS)) => listed(list),
        _ => Vec::new(),
    }
}

/// The facts of `[v1, v2, …]` (the factorials of 1, 2, … in turn), of
/// `{n: v, …}`, or of `[(n, v), …]`.
fn listed<'t>(list: &Token<'t>) -> Vec<Fact<'t>> {
    let inner: &'t str = &list.text[1..list.text.len() - 1];
    let numbers: Vec<&'t str> = tokenize(inner)
        .into_iter()
        .filter(Token::is_number)
        .map(|t| t.text)
        .collect();
    let paired = list.kind == Kind::Dict || inner.contains('(');
    if paired {
        numbers
            .chunks_exact(2)
            .filter_map(|pair| {
                Some(Fact {
                    n: pair[0].parse().ok()?,
                    value: pair[1],
                })
            })
            .collect()
    } else {
        (1..)
            .zip(numbers)
            .map(|(n, value)| Fact { n, value })
            .collect()
    }
}

/// A whole number ≥ 0 as n.
fn whole(token: &Token<'_>) -> Option<u64> {
    (token.kind == Kind::Int)
        .then(|| token.text.parse().ok())
        .flatten()
}

/// The ex07 checker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactorialChecker {
    /// The program's `--upto`, if known.
    pub upto: Option<u64>,
}

impl FactorialChecker {
    /// Reads the `upto` expectation.
    pub fn from_expectations(expect: &Expectations) -> Result<Self, UsageError> {
        let upto = expect.count("upto")?;
        if let Some(upto) = upto.filter(|&upto| upto == 0 || upto > MAX_UPTO) {
            return Err(UsageError::BadValue {
                key: "upto".into(),
                value: upto.to_string(),
                wanted: "a whole number from 1 to 100000",
            });
        }
        Ok(Self { upto })
    }
}

/// How many decimal digits n! has, from the sum of logarithms. Exact except within
/// about 1e-9 of a power of ten, where it may be one off: used only to refuse values
/// whose length is clearly wrong before computing anything.
///
/// The sums log10(2) + … + log10(k) are kept as they are first needed, so a
/// transcript costs one pass up to its largest n, whatever order its lines come in.
#[derive(Debug, Default)]
struct DigitEstimate {
    /// `log_sums[k]` is log10(k!), for k up to the largest n asked so far.
    log_sums: Vec<f64>,
}

impl DigitEstimate {
    fn digits(&mut self, n: u64) -> f64 {
        let n = n as usize;
        if self.log_sums.is_empty() {
            self.log_sums.push(0.0); // 0! = 1
        }
        while self.log_sums.len() <= n {
            let k = self.log_sums.len();
            let previous = self.log_sums[k - 1];
            self.log_sums.push(previous + (k as f64).log10());
        }
        self.log_sums[n].floor() + 1.0
    }
}

/// A table's heading (`n    n!`, `Number | Factorial`): no number, a word for n
/// and one for its factorial.
fn table_heading(tokens: &[Token<'_>]) -> bool {
    !tokens.iter().any(Token::is_number)
        && tokens
            .iter()
            .any(|t| t.is_one_of(&["n", "number", "num", "x"]))
        && tokens
            .iter()
            .any(|t| t.is_sym("!") || t.is_word(&["fact", "result", "value"]))
}

/// A row under such a heading: two whole numbers and nothing but symbols.
fn table_row<'t>(tokens: &[Token<'t>]) -> Option<Fact<'t>> {
    let numbers: Vec<&Token<'t>> = tokens.iter().filter(|t| t.kind != Kind::Sym).collect();
    match numbers[..] {
        [n, value] if n.kind == Kind::Int && value.is_number() => Some(Fact {
            n: whole(n)?,
            value: value.text,
        }),
        _ => None,
    }
}

impl Checker for FactorialChecker {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        let mut noise = Noise::default();
        let mut facts: Vec<(&Line, Fact<'_>)> = Vec::new();
        // The first line that breaks a rule on its own; the facts before it are then
        // checked for exact values, and the earliest wrong line wins.
        let mut stopped = None;
        let mut table = false;
        for line in transcript.lines() {
            let tokens = open_tags(tokenize(&line.text));
            if let Some(fact) = table.then(|| table_row(&tokens)).flatten() {
                facts.push((line, fact));
                continue;
            }
            // A rule of dashes under a heading keeps the table going.
            if !tokens.iter().all(|t| t.kind == Kind::Sym) {
                table = table_heading(&tokens);
            }
            match read_line(line, &tokens) {
                Ok(found) if found.is_empty() => noise.push(line),
                Ok(found) => facts.extend(found.into_iter().map(|fact| (line, fact))),
                Err(rejection) => {
                    stopped = Some(rejection);
                    break;
                }
            }
        }
        let upto = self.upto.unwrap_or(facts.len() as u64);
        // n -> its line and value, in the order the facts came.
        let mut seen: BTreeMap<u64, (&Line, &str)> = BTreeMap::new();
        let mut in_order = true;
        let mut estimate = DigitEstimate::default();
        for (line, fact) in facts {
            if let Err(rejection) = self.read(line, fact, upto, &seen, &mut estimate) {
                stopped = Some(rejection);
                break;
            }
            in_order &= seen.last_key_value().is_none_or(|(&last, _)| last < fact.n);
            seen.insert(fact.n, (line, fact.value));
        }
        check_values(&seen)?;
        if let Some(rejection) = stopped {
            return Err(rejection);
        }
        if seen.is_empty() {
            return Err(Rejection::at_end(
                rules::N_MISSING,
                "no factorial was printed",
            ));
        }
        if let Some(missing) = (1..=upto).find(|n| !seen.contains_key(n)) {
            let count = upto - seen.len() as u64;
            return Err(Rejection::at_end(
                rules::N_MISSING,
                format!("{missing}! was never printed ({count} of 1 to {upto} missing)"),
            ));
        }
        let largest = seen
            .last_key_value()
            .map_or(String::new(), |(n, (_, value))| {
                let digits = value.len();
                format!(
                    "; {n}! has {digits} digit{}",
                    if digits == 1 { "" } else { "s" }
                )
            });
        let order = if in_order {
            "in order"
        } else {
            "in completion order"
        };
        Ok(noise.accept(format!("factorials of 1 to {upto}, {order}{largest}")))
    }
}

impl FactorialChecker {
    /// Checks one fact by itself (everything but the exact value, which needs the
    /// earlier factorials).
    fn read(
        &self,
        line: &Line,
        fact: Fact<'_>,
        upto: u64,
        seen: &BTreeMap<u64, (&Line, &str)>,
        estimate: &mut DigitEstimate,
    ) -> Result<(), Rejection> {
        let Fact { n, value } = fact;
        if n == 0 || n > upto {
            let why = if self.upto.is_some() {
                format!("n = {n}, but the factorials asked for are of 1 to {upto}")
            } else {
                format!("n = {n}, but {upto} factorials can only be those of 1 to {upto}")
            };
            return Err(Rejection::at(line, rules::N_OUT_OF_RANGE, why));
        }
        if let Some((first, _)) = seen.get(&n) {
            return Err(Rejection::at(
                line,
                rules::N_REPEATED,
                format!("{n}! was already printed at line {}", first.number),
            ));
        }
        if !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Rejection::at(
                line,
                rules::WRONG_VALUE,
                format!("{n}! is a whole number ≥ 1, not {value}"),
            ));
        }
        let digits = estimate.digits(n);
        if (value.len() as f64 - digits).abs() > 1.0 {
            return Err(Rejection::at(
                line,
                rules::WRONG_VALUE,
                format!(
                    "{n}! has {digits} digits, but this value has {}",
                    value.len()
                ),
            ));
        }
        Ok(())
    }
}

/// Compares every value with the true factorial, computed by one running product
/// in increasing n; reports the wrong value that came first in the output.
fn check_values(seen: &BTreeMap<u64, (&Line, &str)>) -> Result<(), Rejection> {
    let mut product = BigUint::from(1u32);
    let mut next = 1;
    let mut first_wrong: Option<Rejection> = None;
    for (&n, &(line, value)) in seen {
        while next <= n {
            product *= next;
            next += 1;
        }
        let truth = product.to_string();
        if truth != value
            && first_wrong
                .as_ref()
                .is_none_or(|w| w.line > Some(line.number))
        {
            let shown = |digits: &str| match digits.len() {
                0..=24 => digits.to_owned(),
                len => format!("{}…{} ({len} digits)", &digits[..10], &digits[len - 10..]),
            };
            first_wrong = Some(Rejection::at(
                line,
                rules::WRONG_VALUE,
                format!("{n}! is {}, not {}", shown(&truth), shown(value)),
            ));
        }
    }
    first_wrong.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(text: &str) -> Result<Vec<(u64, String)>, &'static str> {
        let line = Line {
            number: 1,
            text: text.to_owned(),
        };
        read_line(&line, &tokenize(&line.text))
            .map(|facts| {
                facts
                    .into_iter()
                    .map(|f| (f.n, f.value.to_owned()))
                    .collect()
            })
            .map_err(|r| r.rule.id)
    }

    fn one(n: u64, value: &str) -> Result<Vec<(u64, String)>, &'static str> {
        Ok(vec![(n, value.to_owned())])
    }

    #[test]
    fn reads_a_factorial_in_any_wording() {
        for text in [
            "Factorial of 3 is 6",
            "Factorial of 3: 6",
            "The factorial of 3 is 6.",
            "factorial(3) = 6",
            "3! = 6",
            "3 -> 6",
            "Thread ThreadPoolExecutor-0_1: factorial of 3 is 6",
            "FACTORIAL OF 3 IS 6",
            "Factorial 3 equals 6 (computed in a pool)",
            "Number: 3, Factorial: 6",
            "Result for 3: 6",
            "Input: 3, Output: 6",
            "fact(3) = 6",
            "Task 3 returned 6",
            "3 factorial is 6",
        ] {
            assert_eq!(facts(text), one(3, "6"), "{text}");
        }
        assert_eq!(facts("Factorial of 3 is 6.0"), one(3, "6.0"));
        assert_eq!(facts("Factorial of 3 is -6"), one(3, "-6"));
    }

    #[test]
    fn reads_several_on_one_line_and_lists() {
        assert_eq!(
            facts("1! = 1, 2! = 2, 3! = 6"),
            Ok(vec![(1, "1".into()), (2, "2".into()), (3, "6".into())])
        );
        assert_eq!(
            facts("Factorials: [1, 2, 6]"),
            Ok(vec![(1, "1".into()), (2, "2".into()), (3, "6".into())])
        );
        assert_eq!(
            facts("Results: {1: 1, 3: 6}"),
            Ok(vec![(1, "1".into()), (3, "6".into())])
        );
        assert_eq!(
            facts("[(2, 2), (3, 6)]"),
            Ok(vec![(2, "2".into()), (3, "6".into())])
        );
    }

    #[test]
    fn lines_without_a_value_are_noise_or_unreadable() {
        for noise in [
            "Calculating factorial of 3",
            "Factorials of numbers 1 to 10:",
            "Factorial of 3 is being computed",
            "Time taken: 0.0012 seconds",
            "Numbers: [1, 2, 3]",
            "Factorials:",
            "All threads done.",
            "Thread 3: 6",
            "Task 3 took 6 ms",
        ] {
            assert_eq!(facts(noise), Ok(vec![]), "{noise}");
        }
        assert_eq!(facts("Factorial of 3 is"), Err("unreadable-record"));
        assert_eq!(
            facts("Factorial of 3 is 6Factorial of 4 is 24"),
            Err("interleaved-lines")
        );
    }

    #[test]
    fn the_digit_estimate_is_close() {
        let mut estimate = DigitEstimate::default();
        for (n, digits) in [
            (1, 1.0),
            (3, 1.0),
            (4, 2.0),
            (10, 7.0),
            (25, 26.0),
            (100, 158.0),
        ] {
            assert!((estimate.digits(n) - digits).abs() <= 1.0, "{n}");
        }
    }
}
