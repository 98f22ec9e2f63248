//! The ex01 checker against its fixtures: runs of the program (with and without
//! the Python rows) are accepted; each rule has transcripts that break it.

mod common;

use common::{Accept, Reject, Suite, fixture_tests};
use contracts::Exercise;
use contracts::ex01::rules;

fixture_tests!(SUITE);

const SUITE: Suite = Suite {
    exercise: Exercise::Ex01,
    accept: ACCEPT,
    reject: REJECT,
};

const ACCEPT: &[Accept] = &[
    Accept {
        file: "accept/quick-run.txt",
        expect: &[("python", "no")],
        summary: "8 rows and the crash, each verdict following from its figures: threads win 6, processes win 1, even 1",
        ignored: &[],
    },
    Accept {
        file: "accept/quick-run-with-python.txt",
        expect: &[("python", "yes")],
        summary: "10 rows and the crash, each verdict following from its figures: threads win 8, processes win 0, even 2",
        ignored: &[],
    },
];

const REJECT: &[Reject] = &[
    Reject {
        file: "reject/row-missing.txt",
        expect: &[],
        rule: rules::ROW_MISSING,
        line: None,
    },
    Reject {
        file: "reject/row-repeated.txt",
        expect: &[],
        rule: rules::ROW_REPEATED,
        line: Some(3),
    },
    Reject {
        file: "reject/bad-figure.txt",
        expect: &[],
        rule: rules::BAD_FIGURE,
        line: Some(2),
    },
    Reject {
        file: "reject/bad-figure-units.txt",
        expect: &[],
        rule: rules::BAD_FIGURE,
        line: Some(2),
    },
    Reject {
        file: "reject/verdict-contradicts.txt",
        expect: &[],
        rule: rules::VERDICT_CONTRADICTS,
        line: Some(2),
    },
    Reject {
        file: "reject/verdict-contradicts-factor.txt",
        expect: &[],
        rule: rules::VERDICT_CONTRADICTS,
        line: Some(2),
    },
    Reject {
        file: "reject/verdict-contradicts-crash.txt",
        expect: &[],
        rule: rules::VERDICT_CONTRADICTS,
        line: Some(10),
    },
    Reject {
        file: "reject/implausible-spawn.txt",
        expect: &[],
        rule: rules::IMPLAUSIBLE,
        line: Some(2),
    },
    Reject {
        file: "reject/implausible-io.txt",
        expect: &[],
        rule: rules::IMPLAUSIBLE,
        line: Some(9),
    },
    Reject {
        file: "reject/implausible-crash.txt",
        expect: &[],
        rule: rules::IMPLAUSIBLE,
        line: Some(10),
    },
    Reject {
        file: "reject/summary-mismatch.txt",
        expect: &[],
        rule: rules::SUMMARY_MISMATCH,
        line: Some(12),
    },
    Reject {
        file: "reject/unrecognised-line.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(6),
    },
];

#[test]
fn the_python_rows_are_checked_against_what_was_asked() {
    let rejection = SUITE
        .check("accept/quick-run.txt", &[("python", "yes")])
        .expect_err("no Python rows");
    assert_eq!((rejection.rule, rejection.line), (rules::ROW_MISSING, None));
    let rejection = SUITE
        .check("accept/quick-run-with-python.txt", &[("python", "no")])
        .expect_err("Python rows not asked for");
    assert_eq!(rejection.rule, rules::ROW_REPEATED);
}
