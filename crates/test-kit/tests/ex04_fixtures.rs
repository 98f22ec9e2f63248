//! The ex04 checker against its fixtures: transcripts it must accept, and for every
//! rule at least one transcript it must reject, at the right line, for that rule.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use test_kit::ex04::rules;
use test_kit::{Exercise, Expectations, Transcript};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ex04")
}

fn check(file: &str, expect: &[(&str, u64)]) -> Result<test_kit::Accepted, test_kit::Rejection> {
    let text = std::fs::read(fixtures().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let expect = expect
        .iter()
        .fold(Expectations::new(), |e, (k, v)| e.with(*k, v));
    let checker = Exercise::Ex04.checker(&expect).expect("valid expectations");
    checker.check(&Transcript::from_bytes(&text))
}

/// The counts a fixture is checked with (`adds`, `removes`); empty when unknown.
type Counts = &'static [(&'static str, u64)];

/// Accepted transcripts, with the counts they were produced with (when they are
/// checked with counts) and the summary the checker gives.
const ACCEPT: &[(&str, Counts, &str)] = &[
    (
        "accept/ticks-tie-adder-first.txt",
        &[("adds", 5), ("removes", 5)],
        "5 adds, 5 removals, 0 empty; final list []",
    ),
    (
        "accept/leftover-item.txt",
        &[("adds", 5), ("removes", 4)],
        "5 adds, 4 removals, 0 empty; final list [4]",
    ),
    (
        "accept/remover-runs-dry.txt",
        &[("adds", 3), ("removes", 4)],
        "3 adds, 2 removals, 2 empty; final list [2]",
    ),
    (
        "accept/short-style.txt",
        &[],
        "4 adds, 4 removals, 0 empty; final list []",
    ),
    (
        "accept/mixed-style.txt",
        &[("adds", 2), ("removes", 3)],
        "2 adds, 2 removals, 1 empty; final list []",
    ),
    (
        "accept/crlf-trailing-space-blank-lines.txt",
        &[],
        "1 add, 1 removal, 0 empty; final list []",
    ),
    (
        "accept/nothing-asked.txt",
        &[("adds", 0), ("removes", 0)],
        "0 adds, 0 removals, 0 empty; final list []",
    ),
    (
        "accept/loose-list-spacing.txt",
        &[],
        "2 adds, 0 removals, 0 empty; final list [0, 1]",
    ),
];

/// Rejected transcripts: the counts they are checked with, the rule they break, and
/// the line they break it at (`None`: at the end of the output).
const REJECT: &[(&str, Counts, &str, Option<usize>)] = &[
    (
        "reject/unrecognised-line.txt",
        &[],
        rules::UNRECOGNISED_LINE,
        Some(2),
    ),
    (
        "reject/unrecognised-line-broken-list.txt",
        &[],
        rules::UNRECOGNISED_LINE,
        Some(2),
    ),
    (
        "reject/added-out-of-order.txt",
        &[],
        rules::ADDED_OUT_OF_ORDER,
        Some(2),
    ),
    (
        "reject/added-out-of-order-not-from-zero.txt",
        &[],
        rules::ADDED_OUT_OF_ORDER,
        Some(1),
    ),
    (
        "reject/removed-from-empty.txt",
        &[],
        rules::REMOVED_FROM_EMPTY,
        Some(1),
    ),
    (
        "reject/removed-not-head.txt",
        &[],
        rules::REMOVED_NOT_HEAD,
        Some(3),
    ),
    (
        "reject/removed-not-head-short-style.txt",
        &[],
        rules::REMOVED_NOT_HEAD,
        Some(4),
    ),
    (
        "reject/shown-list-mismatch-after-add.txt",
        &[],
        rules::SHOWN_LIST_MISMATCH,
        Some(2),
    ),
    (
        "reject/shown-list-mismatch-stale-after-remove.txt",
        &[],
        rules::SHOWN_LIST_MISMATCH,
        Some(3),
    ),
    (
        "reject/shown-list-mismatch-printed-outside-lock.txt",
        &[],
        rules::SHOWN_LIST_MISMATCH,
        Some(2),
    ),
    (
        "reject/empty-message-not-empty.txt",
        &[],
        rules::EMPTY_MESSAGE_NOT_EMPTY,
        Some(3),
    ),
    (
        "reject/final-list-mismatch.txt",
        &[],
        rules::FINAL_LIST_MISMATCH,
        Some(4),
    ),
    (
        "reject/line-after-final.txt",
        &[],
        rules::LINE_AFTER_FINAL,
        Some(3),
    ),
    (
        "reject/line-after-final-twice.txt",
        &[],
        rules::LINE_AFTER_FINAL,
        Some(4),
    ),
    (
        "reject/final-list-missing.txt",
        &[],
        rules::FINAL_LIST_MISSING,
        None,
    ),
    (
        "reject/final-list-missing-empty-output.txt",
        &[],
        rules::FINAL_LIST_MISSING,
        None,
    ),
    (
        "reject/add-count.txt",
        &[("adds", 5), ("removes", 1)],
        rules::ADD_COUNT,
        Some(4),
    ),
    (
        "reject/remove-count.txt",
        &[("adds", 1), ("removes", 1)],
        rules::REMOVE_COUNT,
        Some(2),
    ),
];

#[test]
fn accepts_every_valid_interleaving_and_style() {
    for &(file, expect, summary) in ACCEPT {
        match check(file, expect) {
            Ok(accepted) => assert_eq!(accepted.summary, summary, "{file}"),
            Err(rejection) => panic!("{file} was rejected:\n{rejection}"),
        }
    }
}

#[test]
fn rejects_each_broken_rule_at_its_line() {
    for &(file, expect, rule, line) in REJECT {
        match check(file, expect) {
            Ok(accepted) => panic!("{file} was accepted: {}", accepted.summary),
            Err(rejection) => {
                assert_eq!(
                    (rejection.rule, rejection.line),
                    (rule, line),
                    "{file}:\n{rejection}"
                );
                assert!(!rejection.reason.is_empty());
            }
        }
    }
}

#[test]
fn without_counts_a_short_run_is_accepted() {
    // The count rules apply only when the counts are known.
    assert!(check("reject/add-count.txt", &[]).is_ok());
    assert!(check("reject/remove-count.txt", &[]).is_ok());
}

#[test]
fn every_rule_has_a_rejecting_fixture() {
    let covered: BTreeSet<&str> = REJECT.iter().map(|r| r.2).collect();
    for rule in rules::ALL {
        assert!(covered.contains(rule), "no fixture breaks {rule}");
    }
}

#[test]
fn every_fixture_file_is_in_a_table() {
    let listed: BTreeSet<&str> = ACCEPT
        .iter()
        .map(|a| a.0)
        .chain(REJECT.iter().map(|r| r.0))
        .collect();
    for dir in ["accept", "reject"] {
        for entry in std::fs::read_dir(fixtures().join(dir)).expect("fixture folder") {
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

#[test]
fn a_rejection_reads_like_a_diagnostic() {
    let rejection = check("reject/removed-not-head.txt", &[]).expect_err("must be rejected");
    assert_eq!(
        rejection.to_string(),
        "line 3: removed 1, but the head of the list [0, 1] is 0 [removed-not-head]\n    3 | Removed 1 from the list. Current list: [0]"
    );
}
