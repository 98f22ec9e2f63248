//! What an exercise's contract is made of, as every contract module defines it:
//! the [`Contract`] itself, the [`Expectations`] a run may state and the
//! [`ExpectKey`]s that name them, and the caller's [`RequestError`]s. The registry
//! ([`crate::Exercise`]) lists the contracts; this module knows none of them.

use std::collections::BTreeMap;

use crate::{Checker, Rule};

/// A fact about a run that a checker can use, given as `KEY=VALUE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpectKey {
    /// The key, as typed after `--expect`.
    pub key: &'static str,
    /// What the value means.
    pub help: &'static str,
}

/// What the kit knows of one exercise's contract. Each exercise's module defines
/// one as `CONTRACT`, and the registry ([`crate::Exercise::contract`]) lists them.
#[derive(Debug)]
pub struct Contract {
    /// The expectations its checker understands.
    pub expect_keys: &'static [ExpectKey],
    /// The rules its checker enforces, in the order its doc page lists them.
    pub rules: &'static [Rule],
    /// The expectations assumed when none is given for a key: what the course's
    /// question fixes (`upto=10` for its factorials of 1 to 10). `KEY=any` lifts one.
    pub defaults: &'static [(&'static str, &'static str)],
    /// The contract's exact lines, for `--strict`: `{}` stands for a number or a list.
    pub strict_lines: &'static [&'static str],
    /// Whether the program measures time, so that a grader running many submissions
    /// at once should run it alone for its timings to mean something.
    pub timing_sensitive: bool,
    /// How many runs a grade makes when none is asked for: set from how often
    /// the racy shapes the question invites failed (`cargo xtask races`,
    /// docs/grading.md), and few for the questions that time their runs.
    pub default_runs: u32,
    /// Whether a line that says something failed fails the run
    /// ([`crate::reported`]): so for the contracts that read facts among noise
    /// (ex03, ex04, ex07, ex08); the others read every line as their own, and
    /// ex06 reports failures on purpose.
    pub reported_failures: bool,
    /// A word that marks a failure the contract expects, which is its fact
    /// (ex04: `empty`, as in `Error: the list is empty`).
    pub expected_failure: Option<&'static str>,
    /// What the question needs alive at once: a run that is proven to have had
    /// less breaks the contract, whatever it printed.
    pub concurrency: crate::concurrency::Concurrency,
    /// Builds its checker from expectations whose keys are known to be `expect_keys`.
    pub checker: fn(&Expectations) -> Result<Box<dyn Checker>, RequestError>,
}

/// What the caller knows about a run, as `KEY=VALUE` pairs (for example `adds=5`).
/// Each exercise lists the keys it understands in [`Contract::expect_keys`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Expectations(pub(crate) BTreeMap<String, String>);

/// A mistake in what was asked of the contracts (an exercise or an expectation
/// named wrongly): the caller's to fix, and a usage error (exit code 2) to a
/// program that took it from its command line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// The name matches no exercise.
    #[error(
        "unknown exercise `{0}`: expected ex01 … ex08 (or 1 … 8, or a package name like ex04-locked-list)"
    )]
    UnknownExercise(String),
    /// The exercise exists but its contract has not been written yet.
    /// An expectation that is not `KEY=VALUE`.
    #[error("expectation `{0}` is not of the form KEY=VALUE")]
    NotAPair(String),
    /// A key this exercise's checker does not use.
    #[error("{exercise} does not understand the expectation `{key}`; it knows: {known}")]
    UnknownKey {
        /// The exercise asked, by its id.
        exercise: &'static str,
        /// The key given.
        key: String,
        /// The keys it knows, comma-separated.
        known: String,
    },
    /// A value that does not parse as the key requires.
    #[error("expectation `{key}={value}`: {wanted}")]
    BadValue {
        /// The key.
        key: String,
        /// The value given.
        value: String,
        /// What the value should be.
        wanted: &'static str,
    },
}

impl Expectations {
    /// No expectations: the checker checks only what every run must satisfy.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `key=value`, replacing an earlier value for `key`.
    pub fn with(mut self, key: impl Into<String>, value: impl ToString) -> Self {
        self.0.insert(key.into(), value.to_string());
        self
    }

    /// Whether no expectation was given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The pairs, sorted by key.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The expectations as `KEY=VALUE` words, in key order, as a command line gives them.
    pub fn words(&self) -> Vec<String> {
        self.pairs()
            .map(|(key, value)| format!("{key}={value}"))
            .collect()
    }

    /// Reads `KEY=VALUE`, as given on a command line.
    pub fn parse_pair(text: &str) -> Result<(String, String), RequestError> {
        match text.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => {
                Ok((key.trim().to_owned(), value.trim().to_owned()))
            }
            _ => Err(RequestError::NotAPair(text.to_owned())),
        }
    }

    /// The value of `key`, unless it is missing or `any`.
    fn given(&self, key: &str) -> Option<&String> {
        self.0
            .get(key)
            .filter(|value| !value.eq_ignore_ascii_case("any"))
    }

    /// The value of `key` as one of `choices`, unless missing or `any`.
    pub(crate) fn choice(
        &self,
        key: &str,
        choices: &'static [&'static str],
        wanted: &'static str,
    ) -> Result<Option<&'static str>, RequestError> {
        self.given(key)
            .map(|value| {
                choices
                    .iter()
                    .find(|choice| value.eq_ignore_ascii_case(choice))
                    .copied()
                    .ok_or_else(|| RequestError::BadValue {
                        key: key.to_owned(),
                        value: value.clone(),
                        wanted,
                    })
            })
            .transpose()
    }

    /// The value of `key` as a count, unless missing or `any`.
    pub(crate) fn count(&self, key: &str) -> Result<Option<u64>, RequestError> {
        self.given(key)
            .map(|value| {
                value.parse().map_err(|_| RequestError::BadValue {
                    key: key.to_owned(),
                    value: value.clone(),
                    wanted: "a whole number ≥ 0, or any",
                })
            })
            .transpose()
    }
}

impl Expectations {
    /// The value of `key` as a comma-separated list of counts (`2,4,8`), unless
    /// missing or `any`.
    pub(crate) fn counts(&self, key: &str) -> Result<Option<Vec<u64>>, RequestError> {
        self.given(key)
            .map(|value| {
                value
                    .split(',')
                    .map(|item| item.trim().parse())
                    .collect::<Result<Vec<u64>, _>>()
                    .map_err(|_| RequestError::BadValue {
                        key: key.to_owned(),
                        value: value.clone(),
                        wanted: "whole numbers ≥ 0, separated by commas, or any",
                    })
            })
            .transpose()
    }
}

impl FromIterator<(String, String)> for Expectations {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Self {
        Self(pairs.into_iter().collect())
    }
}
