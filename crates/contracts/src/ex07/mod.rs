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
//! holds only the list, gives the factorials of 1, 2, 3, … in turn. Where no line
//! states a factorial with its n, values printed alone or after a label (`120`,
//! `Factorial: 120`) each stand for the n whose factorial they are (`unlabelled.rs`).
//!
//! Values are compared with factorials computed only as far as needed: a value of
//! the wrong length is refused before any arithmetic, so a transcript cannot make
//! the checker compute huge factorials it does not itself contain.

use std::collections::BTreeMap;

use num_bigint::BigUint;

use crate::facts::tokens::tokenize;
use crate::facts::{Noise, is_rule, open_tags};

mod read;
mod unlabelled;

use crate::{
    Accepted, Checker, Contract, ExpectKey, Expectations, Line, Rejection, RequestError, Transcript,
};
use read::{Fact, read_line, table_heading, table_row};

/// The ex07 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: EXPECT_KEYS,
    rules: rules::ALL,
    defaults: &[("upto", "10")],
    strict_lines: &["Factorial of {} is {}", "Factorial of {}: {}"],
    timing_sensitive: false,
    default_runs: 8,
    reported_failures: true,
    expected_failure: None,
    concurrency: crate::concurrency::Concurrency::THREADS,
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
    pub use crate::reported::REPORTED_FAILURE;

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
        REPORTED_FAILURE,
    ];
}

/// The largest `upto` the checker takes: past it, computing the factorials to
/// compare with would take longer than a grader should wait.
pub const MAX_UPTO: u64 = 100_000;

/// The ex07 checker.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactorialChecker {
    /// The program's `--upto`, if known.
    pub upto: Option<u64>,
}

impl FactorialChecker {
    /// Reads the `upto` expectation.
    pub fn from_expectations(expect: &Expectations) -> Result<Self, RequestError> {
        let upto = expect.count("upto")?;
        if let Some(upto) = upto.filter(|&upto| upto == 0 || upto > MAX_UPTO) {
            return Err(RequestError::BadValue {
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

/// `lines`, with each line that ends at `:`, `=` or `is` and is followed by a line
/// holding only a number (`Factorial of 3:` then `6`) joined to it: one record
/// printed on two lines.
fn values_on_the_next_line(lines: &[Line]) -> Vec<Line> {
    let ends_at_marker = |line: &Line| {
        tokenize(&line.text)
            .last()
            .is_some_and(|t| t.is_sym(":") || t.is_sym("=") || t.is_one_of(&["is"]))
    };
    let lone_number = |line: &Line| matches!(&tokenize(&line.text)[..], [t] if t.is_number());
    let mut joined: Vec<Line> = Vec::with_capacity(lines.len());
    let mut rest = lines.iter().peekable();
    while let Some(line) = rest.next() {
        match rest.peek() {
            Some(next) if ends_at_marker(line) && lone_number(next) => {
                joined.push(Line {
                    number: line.number,
                    text: format!("{} {}", line.text, next.text),
                });
                rest.next();
            }
            _ => joined.push(line.clone()),
        }
    }
    joined
}

impl Checker for FactorialChecker {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        let mut noise = Noise::default();
        let mut facts: Vec<(&Line, Fact<'_>)> = Vec::new();
        // The first line that breaks a rule on its own; the facts before it are then
        // checked for exact values, and the earliest wrong line wins.
        let mut stopped = None;
        let mut table = false;
        // Values printed with no n (`120`, `Factorial: 120`), and their lines.
        let mut values = Vec::new();
        let lines = values_on_the_next_line(transcript.lines());
        for line in &lines {
            let tokens = open_tags(tokenize(&line.text));
            if let Some(fact) = table.then(|| table_row(&tokens)).flatten() {
                facts.push((line, fact));
                continue;
            }
            if !is_rule(&tokens) {
                table = table_heading(&tokens);
            }
            match read_line(line, &tokens) {
                Ok(found) if found.is_empty() => match unlabelled::value(&tokens) {
                    Some(value) => values.push((line, value)),
                    None => noise.push(line),
                },
                Ok(found) => facts.extend(found.into_iter().map(|fact| (line, fact))),
                Err(rejection) => {
                    stopped = Some(rejection);
                    break;
                }
            }
        }
        if facts.is_empty() && stopped.is_none() && !values.is_empty() {
            let upto = self.upto.unwrap_or(values.len() as u64);
            facts = unlabelled::settle(&values, upto)?;
        } else {
            values.iter().for_each(|(line, _)| noise.push(line));
        }
        let upto = self.upto.unwrap_or(facts.len() as u64);
        // n -> its line and value, in the order the facts came.
        let mut seen: BTreeMap<u64, (&Line, &str)> = BTreeMap::new();
        let mut in_order = true;
        let mut estimate = DigitEstimate::default();
        for (line, fact) in facts {
            if seen.get(&fact.n).is_some_and(|(first, value)| {
                *value == fact.value && first.text.trim() != line.text.trim()
            }) {
                // The same fact stated again in other words (`Verified: factorial
                // of 4 = 24`): nothing new. The same line again is the work done
                // twice, and breaks `n-repeated`.
                continue;
            }
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
        if let Some((first, earlier)) = seen.get(&n) {
            return Err(Rejection::at(
                line,
                rules::N_REPEATED,
                format!(
                    "{n}! was already printed at line {} as {}, and here as {value}",
                    first.number,
                    crate::facts::shorten(earlier)
                ),
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
        for k in next..=n {
            product *= k;
        }
        next = n + 1;
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

    fn checked(text: &str, upto: u64) -> Result<Accepted, Rejection> {
        let checker = FactorialChecker { upto: Some(upto) };
        checker.check(&Transcript::from_bytes(text.as_bytes()))
    }

    #[test]
    fn a_value_on_the_line_after_its_marker_is_read_for_every_marker() {
        for marker in [":", "=", "is"] {
            let text: String = [(1, 1), (2, 2), (3, 6)]
                .iter()
                .map(|(n, v)| format!("Factorial of {n} {marker}\n{v}\n"))
                .collect();
            assert!(checked(&text, 3).is_ok(), "{marker}: {text}");
        }
        // A lone number after a line that ends at no marker is not its value.
        let text = "Factorial of 1 is 1\nFactorial of 2 is 2\nFactorial of 3 done\n6\n";
        assert_eq!(checked(text, 3).unwrap_err().rule, rules::N_MISSING);
    }

    #[test]
    fn a_value_a_digit_short_is_shown_against_the_true_factorial() {
        // Within a digit of the estimate, the exact comparison says what is wrong.
        let mut text: String = (1..=9u64)
            .map(|n| format!("Factorial of {n} is {}\n", (1..=n).product::<u64>()))
            .collect();
        text.push_str("Factorial of 10 is 362880\n");
        let rejection = checked(&text, 10).unwrap_err();
        assert_eq!(rejection.rule, rules::WRONG_VALUE);
        assert_eq!(rejection.reason, "10! is 3628800, not 362880");
    }

    #[test]
    fn of_two_wrong_values_on_one_line_the_first_is_named() {
        let rejection = checked("Factorials: {1: 1, 2: 3, 3: 7}", 3).unwrap_err();
        assert_eq!(rejection.rule, rules::WRONG_VALUE);
        assert_eq!(rejection.reason, "2! is 2, not 3");
    }

    #[test]
    fn only_a_heading_for_n_and_its_factorial_starts_a_table() {
        let table = "n   n!\n1   1\n2   2\n3   6\n";
        assert!(checked(table, 3).is_ok());
        // Lines with no number that are no such heading, then two numbers: noise.
        let first = "Factorial of 1 is 1\nFactorial of 2 is 2\nFactorial of 3 is 6\n";
        for not_heading in ["Timing (ms)", "Number of threads", "Factorials and values"] {
            let text = format!("{first}{not_heading}\n3 7\n");
            assert!(checked(&text, 3).is_ok(), "{text}");
        }
        // Under a heading, a row is a whole number and a number, nothing else.
        let text = format!("{table}4 items\n");
        assert!(checked(&text, 3).is_ok(), "{text}");
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
