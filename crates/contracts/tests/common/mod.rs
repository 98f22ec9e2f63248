//! The fixture harness every exercise's checker is tested with.
//!
//! An exercise's fixtures live in `fixtures/<id>/accept` and `fixtures/<id>/reject`.
//! Its test file lists each one in a [`Suite`]: what a transcript must be accepted
//! with (its summary), or the rule and line it must be rejected at. The suite then
//! checks every listed file, that every rule of the contract has a rejecting fixture,
//! and that no fixture file sits in the folder unlisted (and so untested).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use contracts::{Accepted, Exercise, Expectations, Rejection, Rule, Transcript};

/// The expectations a fixture is checked with (`KEY`, value); empty when unknown.
/// The pseudo-key `--strict` checks it with exact lines as well.
pub(crate) type Expect = &'static [(&'static str, &'static str)];

/// A transcript the checker must accept, the summary it must give, and the lines
/// it must ignore as noise.
pub(crate) struct Accept {
    pub(crate) file: &'static str,
    pub(crate) expect: Expect,
    pub(crate) summary: &'static str,
    pub(crate) ignored: &'static [usize],
}

/// A transcript the checker must reject for `rule` at `line` (`None`: at the end).
pub(crate) struct Reject {
    pub(crate) file: &'static str,
    pub(crate) expect: Expect,
    pub(crate) rule: Rule,
    pub(crate) line: Option<usize>,
}

/// One exercise's fixtures.
pub(crate) struct Suite {
    pub(crate) exercise: Exercise,
    pub(crate) accept: &'static [Accept],
    pub(crate) reject: &'static [Reject],
}

impl Suite {
    fn folder(&self) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(self.exercise.id())
    }

    /// Checks one fixture file with the given expectations.
    pub(crate) fn check(&self, file: &str, expect: Expect) -> Result<Accepted, Rejection> {
        let text =
            std::fs::read(self.folder().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
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

    /// Every accept fixture is accepted with its summary.
    pub(crate) fn accepts_each(&self) {
        for a in self.accept {
            match self.check(a.file, a.expect) {
                Ok(accepted) => assert_eq!(
                    (accepted.summary.as_str(), &accepted.ignored[..]),
                    (a.summary, a.ignored),
                    "{}",
                    a.file
                ),
                Err(rejection) => panic!("{} was rejected:\n{rejection}", a.file),
            }
        }
    }

    /// Every reject fixture is rejected for its rule at its line.
    pub(crate) fn rejects_each(&self) {
        for r in self.reject {
            match self.check(r.file, r.expect) {
                Ok(accepted) => panic!("{} was accepted: {}", r.file, accepted.summary),
                Err(rejection) => {
                    assert_eq!(
                        (rejection.rule, rejection.line),
                        (r.rule, r.line),
                        "{}:\n{rejection}",
                        r.file
                    );
                    assert!(!rejection.reason.is_empty());
                }
            }
        }
    }

    /// Every rule of the contract is broken by at least one reject fixture.
    pub(crate) fn covers_every_rule(&self) {
        let covered: BTreeSet<&str> = self.reject.iter().map(|r| r.rule.id).collect();
        for rule in self.exercise.rules() {
            assert!(covered.contains(rule.id), "no fixture breaks {rule}");
        }
    }

    /// Every file in the fixture folders is listed, so every one is checked.
    pub(crate) fn lists_every_file(&self) {
        let listed: BTreeSet<&str> = self
            .accept
            .iter()
            .map(|a| a.file)
            .chain(self.reject.iter().map(|r| r.file))
            .collect();
        for dir in ["accept", "reject"] {
            for entry in std::fs::read_dir(self.folder().join(dir)).expect("fixture folder") {
                let name = format!(
                    "{dir}/{}",
                    entry.expect("fixture entry").file_name().to_string_lossy()
                );
                assert!(
                    listed.contains(name.as_str()),
                    "{name} is not checked by any test"
                );
            }
        }
    }
}

/// The four tests every exercise's fixtures get, for the `Suite` named `$suite`.
macro_rules! fixture_tests {
    ($suite:ident) => {
        #[test]
        fn accepts_each_accept_fixture() {
            $suite.accepts_each();
        }

        #[test]
        fn rejects_each_reject_fixture_for_its_rule_at_its_line() {
            $suite.rejects_each();
        }

        #[test]
        fn every_rule_has_a_rejecting_fixture() {
            $suite.covers_every_rule();
        }

        #[test]
        fn every_fixture_file_is_in_a_table() {
            $suite.lists_every_file();
        }
    };
}
pub(crate) use fixture_tests;
