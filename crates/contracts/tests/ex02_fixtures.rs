//! The ex02 checker against its fixtures: any worker count, blank lines and CRLF
//! are accepted; sections out of order, wrong results and events out of causal
//! order are rejected at the right line.

mod common;

use common::{Accept, Reject, Suite, fixture_tests};
use contracts::Exercise;
use contracts::ex02::rules;

fixture_tests!(SUITE);

const SUITE: Suite = Suite {
    exercise: Exercise::Ex02,
    accept: ACCEPT,
    reject: REJECT,
};

const SUMMARY: &str = "all 7 sections in order, every result exact; the killed worker was replaced and its queue completed";

const ACCEPT: &[Accept] = &[
    Accept {
        file: "accept/two-workers.txt",
        expect: &[],
        summary: SUMMARY,
        ignored: &[],
    },
    Accept {
        file: "accept/four-workers-crlf-blank-line.txt",
        expect: &[],
        summary: SUMMARY,
        ignored: &[],
    },
];

const REJECT: &[Reject] = &[
    Reject {
        file: "reject/unrecognised-line.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(3),
    },
    Reject {
        file: "reject/section-order.txt",
        expect: &[],
        rule: rules::SECTION_ORDER,
        line: Some(7),
    },
    Reject {
        file: "reject/section-order-no-heading.txt",
        expect: &[],
        rule: rules::SECTION_ORDER,
        line: Some(1),
    },
    Reject {
        file: "reject/wrong-result-cube.txt",
        expect: &[],
        rule: rules::WRONG_RESULT,
        line: Some(6),
    },
    Reject {
        file: "reject/wrong-result-map-order.txt",
        expect: &[],
        rule: rules::WRONG_RESULT,
        line: Some(2),
    },
    Reject {
        file: "reject/causal-order-callback-first.txt",
        expect: &[],
        rule: rules::CAUSAL_ORDER,
        line: Some(4),
    },
    Reject {
        file: "reject/causal-order-completed-before-replaced.txt",
        expect: &[],
        rule: rules::CAUSAL_ORDER,
        line: Some(22),
    },
    Reject {
        file: "reject/section-incomplete.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(11),
    },
    Reject {
        file: "reject/section-incomplete-at-end.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: None,
    },
    Reject {
        file: "reject/section-missing.txt",
        expect: &[],
        rule: rules::SECTION_MISSING,
        line: None,
    },
    Reject {
        file: "reject/section-missing-empty.txt",
        expect: &[],
        rule: rules::SECTION_MISSING,
        line: None,
    },
];

#[test]
fn a_callback_before_its_submission_is_named() {
    let rejection = SUITE
        .check("reject/causal-order-callback-first.txt", &[])
        .expect_err("must be rejected");
    assert_eq!(
        rejection.reason,
        "`callback` cannot come before `submitted: cube(7)`"
    );
}
