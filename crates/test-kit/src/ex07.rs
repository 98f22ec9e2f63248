//! The exercise-7 contract: factorials of 1..=N computed on a thread pool.
//!
//! A pool finishes its tasks in any order, and a program may print them as they
//! complete or in input order, so the checker accepts any order: each n of 1..=N
//! exactly once, each value exact (no float, no overflow past 20!, no truncation).
//!
//! Lines, after trailing whitespace is trimmed and blank lines dropped:
//!
//! ```text
//! Factorial of 10 is 3628800        or  Factorial of 10: 3628800
//! ```
//!
//! N is the `upto` expectation when given (the program's `--upto`), otherwise the
//! number of factorial lines. The first line that breaks a rule is reported, and a
//! missing n only once every line is right. Values are compared with factorials
//! computed only as far as needed: a value of the wrong length is refused before any
//! arithmetic, so a transcript cannot make the checker compute huge factorials it
//! does not itself contain.

use std::collections::BTreeMap;

use num_bigint::BigUint;

use crate::pylist::parse_int;
use crate::{
    Accepted, Checker, Contract, ExpectKey, Expectations, Line, Rejection, Transcript, UsageError,
};

/// The ex07 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: EXPECT_KEYS,
    rules: rules::ALL,
    timing_sensitive: false,
    checker: |expect| Ok(Box::new(FactorialChecker::from_expectations(expect)?)),
};

/// The expectations the ex07 checker understands.
pub const EXPECT_KEYS: &[ExpectKey] = &[ExpectKey {
    key: "upto",
    help: "the largest n whose factorial is printed (the program's --upto)",
}];

/// Rule ids, as reported in [`Rejection::rule`] and listed in the exercise's doc page.
pub mod rules {
    /// A line that is not `Factorial of N is V` (or `Factorial of N: V`).
    pub const UNRECOGNISED_LINE: &str = "unrecognised-line";
    /// n is in 1..=N.
    pub const N_OUT_OF_RANGE: &str = "n-out-of-range";
    /// Each n is printed once.
    pub const N_REPEATED: &str = "n-repeated";
    /// The value is n! exactly, in decimal, without leading zeros.
    pub const WRONG_VALUE: &str = "wrong-value";
    /// Every n of 1..=N is printed (and at least one is).
    pub const N_MISSING: &str = "n-missing";

    /// Every rule, in the order the doc page lists them.
    pub const ALL: &[&str] = &[
        UNRECOGNISED_LINE,
        N_OUT_OF_RANGE,
        N_REPEATED,
        WRONG_VALUE,
        N_MISSING,
    ];
}

/// The largest `upto` the checker takes: past it, computing the factorials to
/// compare with would take longer than a grader should wait.
pub const MAX_UPTO: u64 = 100_000;

/// Reads `Factorial of N is V` or `Factorial of N: V` into `(N, V)`; the value is
/// kept as text, to be compared digit for digit.
fn parse_line(text: &str) -> Option<(u64, &str)> {
    let rest = text.strip_prefix("Factorial of ")?;
    let (n, value) = rest.split_once(" is ").or_else(|| rest.split_once(": "))?;
    let n = u64::try_from(parse_int(n)?).ok()?;
    let value = value.trim_start();
    (!value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())).then_some((n, value))
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

impl Checker for FactorialChecker {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        let lines = transcript.lines();
        let upto = self.upto.unwrap_or(lines.len() as u64);
        // n -> its line and value, in the order the lines came.
        let mut seen: BTreeMap<u64, (&Line, &str)> = BTreeMap::new();
        let mut in_order = true;
        let mut estimate = DigitEstimate::default();
        // The first line that breaks a rule on its own; the lines before it are then
        // checked for exact values, and the earliest wrong line wins.
        let mut stopped = None;
        for line in lines {
            match self.read(line, upto, &seen, &mut estimate) {
                Ok((n, value)) => {
                    in_order &= seen.last_key_value().is_none_or(|(&last, _)| last < n);
                    seen.insert(n, (line, value));
                }
                Err(rejection) => {
                    stopped = Some(rejection);
                    break;
                }
            }
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
        Ok(Accepted {
            summary: format!("factorials of 1 to {upto}, {order}{largest}"),
        })
    }
}

impl FactorialChecker {
    /// Reads one line as `(n, value)`, or says which rule it breaks by itself
    /// (everything but the exact value, which needs the earlier factorials).
    fn read<'t>(
        &self,
        line: &'t Line,
        upto: u64,
        seen: &BTreeMap<u64, (&Line, &str)>,
        estimate: &mut DigitEstimate,
    ) -> Result<(u64, &'t str), Rejection> {
        let Some((n, value)) = parse_line(&line.text) else {
            return Err(Rejection::at(
                line,
                rules::UNRECOGNISED_LINE,
                "not an ex07 line (Factorial of N is V, or Factorial of N: V)",
            ));
        };
        if n == 0 || n > upto {
            let why = if self.upto.is_some() {
                format!("n = {n}, but the factorials asked for are of 1 to {upto}")
            } else {
                format!("n = {n}, but {upto} lines can only be the factorials of 1 to {upto}")
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
        Ok((n, value))
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

    #[test]
    fn reads_both_styles_and_refuses_near_misses() {
        assert_eq!(parse_line("Factorial of 3 is 6"), Some((3, "6")));
        assert_eq!(parse_line("Factorial of 3: 6"), Some((3, "6")));
        for text in [
            "Factorial of 3 is",
            "Factorial of 3 is 6.0",
            "Factorial of 3 is -6",
            "Factorial of -3 is 6",
            "Factorial of 3 = 6",
            "factorial of 3 is 6",
            "Factorial of three is 6",
            "Factorial of 3 is 6 ",
            "Factorial of 3 is 1e3",
        ] {
            assert_eq!(parse_line(text), None, "{text:?}");
        }
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
