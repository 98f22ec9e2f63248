//! The ex08 checker against its fixtures: both styles, any order of sizes, and the
//! breakdown are accepted; each rule has transcripts that break it.

mod common;

use common::{Accept, Reject, Suite, fixture_tests};
use test_kit::Exercise;
use test_kit::ex08::rules;

fixture_tests!(SUITE);

const SUITE: Suite = Suite {
    exercise: Exercise::Ex08,
    accept: ACCEPT,
    reject: REJECT,
};

const SIZES: (&str, &str) = ("sizes", "2,4,8");

const ACCEPT: &[Accept] = &[
    Accept {
        file: "accept/course-style.txt",
        expect: &[SIZES],
        summary: "3 pools (sizes 2, 4, 8), squares exact, times well-formed",
        ignored: &[],
    },
    Accept {
        file: "accept/one-line-style-any-order.txt",
        expect: &[("sizes", "4, 8,2")],
        summary: "3 pools (sizes 2, 4, 8), squares exact, times well-formed",
        ignored: &[],
    },
    Accept {
        file: "accept/with-breakdown.txt",
        expect: &[],
        summary: "2 pools (sizes 2, 4), squares exact, times well-formed, with a breakdown",
        ignored: &[],
    },
];

const REJECT: &[Reject] = &[
    Reject {
        file: "reject/unrecognised-line.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(4),
    },
    Reject {
        file: "reject/block-incomplete-no-time.txt",
        expect: &[],
        rule: rules::BLOCK_INCOMPLETE,
        line: Some(3),
    },
    Reject {
        file: "reject/block-incomplete-at-end.txt",
        expect: &[],
        rule: rules::BLOCK_INCOMPLETE,
        line: None,
    },
    Reject {
        file: "reject/size-unexpected.txt",
        expect: &[SIZES],
        rule: rules::SIZE_UNEXPECTED,
        line: Some(4),
    },
    Reject {
        file: "reject/size-unexpected-zero.txt",
        expect: &[],
        rule: rules::SIZE_UNEXPECTED,
        line: Some(1),
    },
    Reject {
        file: "reject/size-repeated.txt",
        expect: &[],
        rule: rules::SIZE_REPEATED,
        line: Some(2),
    },
    Reject {
        file: "reject/wrong-squares-unordered.txt",
        expect: &[],
        rule: rules::WRONG_SQUARES,
        line: Some(2),
    },
    Reject {
        file: "reject/wrong-squares-short.txt",
        expect: &[],
        rule: rules::WRONG_SQUARES,
        line: Some(1),
    },
    Reject {
        file: "reject/bad-time-negative.txt",
        expect: &[],
        rule: rules::BAD_TIME,
        line: Some(3),
    },
    Reject {
        file: "reject/bad-time-nan.txt",
        expect: &[],
        rule: rules::BAD_TIME,
        line: Some(1),
    },
    Reject {
        file: "reject/bad-breakdown-missing-size.txt",
        expect: &[],
        rule: rules::BAD_BREAKDOWN,
        line: None,
    },
    Reject {
        file: "reject/bad-breakdown-unknown-size.txt",
        expect: &[],
        rule: rules::BAD_BREAKDOWN,
        line: Some(4),
    },
    Reject {
        file: "reject/bad-breakdown-before-blocks.txt",
        expect: &[],
        rule: rules::BAD_BREAKDOWN,
        line: Some(1),
    },
    Reject {
        file: "reject/size-missing.txt",
        expect: &[SIZES],
        rule: rules::SIZE_MISSING,
        line: None,
    },
    Reject {
        file: "reject/size-missing-empty.txt",
        expect: &[],
        rule: rules::SIZE_MISSING,
        line: None,
    },
];

#[test]
fn the_first_wrong_square_is_named() {
    let rejection = SUITE
        .check("reject/wrong-squares-unordered.txt", &[])
        .expect_err("must be rejected");
    assert_eq!(rejection.reason, "item 9 is 100, but 9² is 81");
}
