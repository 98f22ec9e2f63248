//! The fixture harness every exercise's checker is tested with.
//!
//! An exercise's fixtures live in `fixtures/<id>/accept` and `fixtures/<id>/reject`,
//! and `fixtures/<id>/expected.toml` says what the checker must say of each: the
//! summary (and ignored lines) it accepts a file with, or the rule and line it
//! rejects it at. [`fixture_tests!`] gives an exercise the four tests every one
//! gets: each file as expected, every rule of the contract broken by some file, and
//! no file in the folders without its expectation (and so untested).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use contracts::{Accepted, Exercise, Expectations, Rejection, Transcript};
use serde::Deserialize;

/// `expected.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    #[serde(default)]
    accept: Vec<Accept>,
    #[serde(default)]
    reject: Vec<Reject>,
}

/// A transcript the checker must accept, the summary it must give, and the lines
/// it must ignore as noise.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Accept {
    file: String,
    /// The expectations it is checked with; the key `--strict` checks exact
    /// lines too.
    #[serde(default)]
    expect: BTreeMap<String, String>,
    summary: String,
    #[serde(default)]
    ignored: Vec<usize>,
}

/// A transcript the checker must reject for `rule` at `line` (none: at the end).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Reject {
    file: String,
    #[serde(default)]
    expect: BTreeMap<String, String>,
    rule: String,
    line: Option<usize>,
}

/// One exercise's fixtures and what its checker must say of each.
#[derive(Debug)]
pub(crate) struct Suite {
    exercise: Exercise,
    accept: Vec<Accept>,
    reject: Vec<Reject>,
}

/// The pairs of an `expect` table, as [`Suite::check`] takes them.
fn pairs(expect: &BTreeMap<String, String>) -> Vec<(&str, &str)> {
    expect
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

impl Suite {
    /// Reads `fixtures/<id>/expected.toml`.
    pub(crate) fn load(exercise: Exercise) -> Self {
        let path = folder(exercise).join("expected.toml");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let expected: Expected =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Self {
            exercise,
            accept: expected.accept,
            reject: expected.reject,
        }
    }

    /// Checks one fixture file (`accept/…` or `reject/…`) with the given
    /// expectations.
    pub(crate) fn check(&self, file: &str, expect: &[(&str, &str)]) -> Result<Accepted, Rejection> {
        let text = std::fs::read(folder(self.exercise).join(file))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let strict = expect.iter().any(|(k, _)| *k == "--strict");
        let expect = expect
            .iter()
            .filter(|(k, _)| *k != "--strict")
            .fold(Expectations::new(), |e, (k, v)| e.with(*k, v));
        let checker = self
            .exercise
            .checker_with(&expect, strict)
            .expect("valid expectations");
        checker.check(&Transcript::from_bytes(&text))
    }

    /// Every accept fixture is accepted with its summary and ignored lines.
    pub(crate) fn accepts_each(&self) {
        for a in &self.accept {
            let file = format!("accept/{}", a.file);
            match self.check(&file, &pairs(&a.expect)) {
                Ok(accepted) => assert_eq!(
                    (accepted.summary.as_str(), &accepted.ignored[..]),
                    (a.summary.as_str(), &a.ignored[..]),
                    "{file}"
                ),
                Err(rejection) => panic!("{file} was rejected:\n{rejection}"),
            }
        }
    }

    /// Every reject fixture is rejected for its rule at its line.
    pub(crate) fn rejects_each(&self) {
        for r in &self.reject {
            let file = format!("reject/{}", r.file);
            match self.check(&file, &pairs(&r.expect)) {
                Ok(accepted) => panic!("{file} was accepted: {}", accepted.summary),
                Err(rejection) => {
                    assert_eq!(
                        (rejection.rule.id, rejection.line),
                        (r.rule.as_str(), r.line),
                        "{file}:\n{rejection}"
                    );
                    assert!(!rejection.reason.is_empty());
                }
            }
        }
    }

    /// Every rule of the contract is broken by at least one reject fixture, and
    /// every rule a fixture names is one of the contract's.
    pub(crate) fn covers_every_rule(&self) {
        let covered: BTreeSet<&str> = self.reject.iter().map(|r| r.rule.as_str()).collect();
        let rules: BTreeSet<&str> = self.exercise.rules().iter().map(|r| r.id).collect();
        for rule in &rules {
            assert!(covered.contains(rule), "no fixture breaks {rule}");
        }
        for rule in &covered {
            assert!(
                rules.contains(rule),
                "{rule} is no rule of {}",
                self.exercise
            );
        }
    }

    /// Every file in the fixture folders has its expectation, so every one is
    /// checked.
    pub(crate) fn lists_every_file(&self) {
        let listed: BTreeSet<String> = self
            .accept
            .iter()
            .map(|a| format!("accept/{}", a.file))
            .chain(self.reject.iter().map(|r| format!("reject/{}", r.file)))
            .collect();
        for dir in ["accept", "reject"] {
            let entries =
                std::fs::read_dir(folder(self.exercise).join(dir)).expect("fixture folder");
            for entry in entries {
                let name = format!(
                    "{dir}/{}",
                    entry.expect("fixture entry").file_name().to_string_lossy()
                );
                assert!(
                    listed.contains(&name),
                    "{name} has no entry in expected.toml, so no test checks it"
                );
            }
        }
    }
}

/// `fixtures/<id>`.
fn folder(exercise: Exercise) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(exercise.id())
}

/// The four tests every exercise's fixtures get, and `SUITE`, its fixtures read
/// once for them and for the file's own tests.
macro_rules! fixture_tests {
    ($exercise:expr) => {
        static SUITE: std::sync::LazyLock<common::Suite> =
            std::sync::LazyLock::new(|| common::Suite::load($exercise));

        #[test]
        fn accepts_each_accept_fixture() {
            SUITE.accepts_each();
        }

        #[test]
        fn rejects_each_reject_fixture_for_its_rule_at_its_line() {
            SUITE.rejects_each();
        }

        #[test]
        fn every_rule_has_a_rejecting_fixture() {
            SUITE.covers_every_rule();
        }

        #[test]
        fn every_fixture_file_is_in_a_table() {
            SUITE.lists_every_file();
        }
    };
}
pub(crate) use fixture_tests;
