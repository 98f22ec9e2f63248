//! The exercise registry: names, packages, and each exercise's checker.
//!
//! Everything that names an exercise on a command line (`cargo xtask check ex04`,
//! `run-all`, the grader) goes through [`Exercise`], so the short ids, the package
//! names and the set of exercises that have a contract live in one place.

use std::fmt;
use std::str::FromStr;

use crate::facts::Strict;
use crate::{Checker, Contract, ExpectKey, Expectations, RequestError, Rule};

/// One of the course's eight exercises. Serialised as its short id (`ex04`), and
/// read back from any name [`FromStr`] accepts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(into = "&'static str", try_from = "String")]
pub enum Exercise {
    /// Q1: when threads, when processes.
    Ex01,
    /// Q2: what a process pool is and how it helps.
    Ex02,
    /// Q3: multiprocessing, shown with primes in ranges.
    Ex03,
    /// Q4: one thread adds to a list, another removes, a lock guards it.
    Ex04,
    /// Q5: the tools for sharing data between threads and processes.
    Ex05,
    /// Q6: handling errors in concurrent programs.
    Ex06,
    /// Q7: factorials on a thread pool.
    Ex07,
    /// Q8: squares on process pools of several sizes, timed.
    Ex08,
}

impl Exercise {
    /// All eight, in course order.
    pub const ALL: [Exercise; 8] = [
        Exercise::Ex01,
        Exercise::Ex02,
        Exercise::Ex03,
        Exercise::Ex04,
        Exercise::Ex05,
        Exercise::Ex06,
        Exercise::Ex07,
        Exercise::Ex08,
    ];

    /// The question's number in the course, 1 to 8.
    pub fn number(self) -> usize {
        self as usize + 1
    }

    /// The short id: `ex04`.
    pub fn id(self) -> &'static str {
        [
            "ex01", "ex02", "ex03", "ex04", "ex05", "ex06", "ex07", "ex08",
        ][self as usize]
    }

    /// The package (and binary) name: `ex04-locked-list`.
    pub fn package(self) -> &'static str {
        [
            "ex01-threads-vs-processes",
            "ex02-process-pool",
            "ex03-multiprocessing-primes",
            "ex04-locked-list",
            "ex05-sharing-data",
            "ex06-concurrent-errors",
            "ex07-factorial-thread-pool",
            "ex08-pool-square-timing",
        ][self as usize]
    }

    /// The expectation keys its checker understands, one `--expect KEY=…` line each
    /// with its default, under a line naming the exercise.
    pub fn expectations_help(self) -> Result<String, RequestError> {
        let contract = self.contract();
        let mut text = format!("{self} understands (KEY=any lifts a default):\n");
        for key in contract.expect_keys {
            let default = match contract.defaults.iter().find(|(k, _)| *k == key.key) {
                Some((_, value)) => format!(" (default {value})"),
                None => String::new(),
            };
            text.push_str(&format!(
                "  --expect {}=…  {}{default}\n",
                key.key, key.help
            ));
        }
        Ok(text)
    }

    /// Its contract: what its checker accepts.
    pub fn contract(self) -> &'static Contract {
        match self {
            Exercise::Ex01 => &crate::ex01::CONTRACT,
            Exercise::Ex02 => &crate::ex02::CONTRACT,
            Exercise::Ex03 => &crate::ex03::CONTRACT,
            Exercise::Ex04 => &crate::ex04::CONTRACT,
            Exercise::Ex05 => &crate::ex05::CONTRACT,
            Exercise::Ex06 => &crate::ex06::CONTRACT,
            Exercise::Ex07 => &crate::ex07::CONTRACT,
            Exercise::Ex08 => &crate::ex08::CONTRACT,
        }
    }

    /// The expectations its checker understands.
    pub fn expect_keys(self) -> &'static [ExpectKey] {
        self.contract().expect_keys
    }

    /// The rules its checker enforces (each listed in its doc page).
    pub fn rules(self) -> &'static [Rule] {
        self.contract().rules
    }

    /// The rules of the concurrency the question needs, beside [`Exercise::rules`].
    pub fn concurrency_rules(self) -> Vec<Rule> {
        self.contract().concurrency.rules()
    }

    /// The expectations a check with `given` applies: the contract's defaults, with
    /// `given` over them. Reports state these, so that a reader knows what was checked.
    pub fn applied(self, given: &Expectations) -> Expectations {
        let defaults = self.contract().defaults;
        let mut applied: Expectations = defaults
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect();
        applied.0.extend(given.0.clone());
        applied
    }

    /// Builds this exercise's checker, configured by `expect` over the contract's
    /// defaults: it reads facts from any layout and ignores lines that carry none,
    /// unless one reports a failure ([`crate::reported`]).
    pub fn checker(self, expect: &Expectations) -> Result<Box<dyn Checker>, RequestError> {
        let contract = self.contract();
        let is_known = |key: &String| contract.expect_keys.iter().any(|e| e.key == key);
        if let Some(key) = expect.0.keys().find(|key| !is_known(key)) {
            let known: Vec<&str> = contract.expect_keys.iter().map(|e| e.key).collect();
            return Err(RequestError::UnknownKey {
                exercise: self.id(),
                key: key.clone(),
                known: known.join(", "),
            });
        }
        let facts = (contract.checker)(&self.applied(expect))?;
        Ok(match contract.reported_failures {
            true => Box::new(crate::reported::Reported {
                facts,
                expected: contract.expected_failure,
            }),
            false => facts,
        })
    }

    /// Like [`checker`](Self::checker), and when `strict`, every line must also be
    /// one of the contract's exact lines (`--strict`).
    pub fn checker_with(
        self,
        expect: &Expectations,
        strict: bool,
    ) -> Result<Box<dyn Checker>, RequestError> {
        let facts = self.checker(expect)?;
        if !strict {
            return Ok(facts);
        }
        let templates = self.contract().strict_lines;
        Ok(Box::new(Strict { templates, facts }))
    }
}

impl fmt::Display for Exercise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl From<Exercise> for &'static str {
    fn from(exercise: Exercise) -> Self {
        exercise.id()
    }
}

impl TryFrom<String> for Exercise {
    type Error = RequestError;

    fn try_from(name: String) -> Result<Self, Self::Error> {
        name.parse()
    }
}

impl FromStr for Exercise {
    type Err = RequestError;

    /// Accepts `ex04`, `ex4`, `04`, `4` and `ex04-locked-list`.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let number = name.strip_prefix("ex").unwrap_or(name);
        Exercise::ALL
            .into_iter()
            .find(|ex| {
                ex.package() == name
                    || number.parse() == Ok(ex.number()) && !number.starts_with('+')
            })
            .ok_or_else(|| RequestError::UnknownExercise(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_an_exercise_names_it() {
        for name in ["ex04", "ex4", "04", "4", "ex04-locked-list"] {
            assert_eq!(name.parse::<Exercise>(), Ok(Exercise::Ex04), "{name}");
        }
        for name in [
            "ex00",
            "ex09",
            "9",
            "",
            "ex",
            "locked-list",
            "+4",
            "ex+4",
            "ex04-locked",
        ] {
            assert!(name.parse::<Exercise>().is_err(), "{name}");
        }
    }

    #[test]
    fn ids_and_packages_agree() {
        for ex in Exercise::ALL {
            assert!(ex.package().starts_with(&format!("{}-", ex.id())));
            assert_eq!(ex.id().parse::<Exercise>(), Ok(ex));
            assert_eq!(ex.package().parse::<Exercise>(), Ok(ex));
        }
    }

    #[test]
    fn unknown_keys_and_bad_values_are_usage_errors() {
        let unknown = Expectations::new().with("addz", 5);
        assert!(matches!(
            Exercise::Ex04.checker(&unknown),
            Err(RequestError::UnknownKey { .. })
        ));
        let bad = Expectations::new().with("adds", "-1");
        assert!(matches!(
            Exercise::Ex04.checker(&bad),
            Err(RequestError::BadValue { .. })
        ));
        assert_eq!(
            Expectations::parse_pair("adds = 5"),
            Ok(("adds".into(), "5".into()))
        );
        assert!(Expectations::parse_pair("adds").is_err());
        assert!(Expectations::parse_pair("=5").is_err());
    }
}
