//! The ex08 checker against its fixtures: both styles, any order of sizes, and the
//! breakdown are accepted; each rule has transcripts that break it.

mod common;

use common::{Accept, Reject, Suite, fixture_tests};
use contracts::Exercise;
use contracts::ex08::rules;

fixture_tests!(SUITE);

const SUITE: Suite = Suite {
    exercise: Exercise::Ex08,
    accept: ACCEPT,
    reject: REJECT,
};

const SIZES: (&str, &str) = ("sizes", "2,4,8");

const ACCEPT: &[Accept] = &[
    Accept {
        file: "accept/size-named-again-with-its-time.txt",
        expect: &[SIZES],
        summary: "3 pools (sizes 2, 4, 8), squares not printed, times well-formed",
        ignored: &[],
    },
    Accept {
        file: "accept/table-time-first.txt",
        expect: &[SIZES],
        summary: "3 pools (sizes 2, 4, 8), squares not printed, times well-formed",
        ignored: &[1],
    },
    Accept {
        file: "accept/table-size-first-whole-times.txt",
        expect: &[SIZES],
        summary: "3 pools (sizes 2, 4, 8), squares not printed, times well-formed",
        ignored: &[1],
    },
    Accept {
        file: "accept/table-more-columns.txt",
        expect: &[SIZES],
        summary: "3 pools (sizes 2, 4, 8), squares not printed, times well-formed",
        ignored: &[1],
    },
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
        expect: &[("sizes", "2,4")],
        summary: "2 pools (sizes 2, 4), squares exact, times well-formed, with a breakdown",
        ignored: &[],
    },
    Accept {
        file: "accept/extra-size.txt",
        expect: &[("sizes", "2")],
        summary: "2 pools (sizes 2, 3), squares exact, times well-formed",
        ignored: &[],
    },
    Accept {
        file: "accept/size-and-time-then-results.txt",
        expect: &[],
        summary: "3 pools (sizes 2, 4, 8), squares exact, times well-formed",
        ignored: &[],
    },
    Accept {
        file: "accept/results-then-time-and-a-total.txt",
        expect: &[],
        summary: "3 pools (sizes 2, 4, 8), squares exact, times well-formed",
        ignored: &[1, 15],
    },
    Accept {
        file: "accept/time-with-size-squares-once.txt",
        expect: &[],
        summary: "4 pools (sizes 2, 4, 6, 8), squares exact, times well-formed",
        ignored: &[],
    },
    Accept {
        file: "accept/banners-and-worker-prints.txt",
        expect: &[],
        summary: "3 pools (sizes 2, 4, 8), squares exact, times well-formed",
        ignored: &[2, 3],
    },
    Accept {
        file: "accept/a-table.txt",
        expect: &[],
        summary: "3 pools (sizes 2, 4, 8), squares exact, times well-formed",
        ignored: &[3, 4],
    },
];

const REJECT: &[Reject] = &[
    Reject {
        file: "reject/unrecognised-line-strict-banner.txt",
        expect: &[("--strict", ""), ("sizes", "2")],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(1),
    },
    Reject {
        file: "reject/unreadable-record-sizes-and-times.txt",
        expect: &[],
        rule: rules::UNREADABLE_RECORD,
        line: Some(1),
    },
    Reject {
        file: "reject/interleaved-lines.txt",
        expect: &[],
        rule: rules::INTERLEAVED,
        line: Some(2),
    },
    Reject {
        file: "reject/block-incomplete-results-without-time.txt",
        expect: &[],
        rule: rules::BLOCK_INCOMPLETE,
        line: Some(4),
    },
    Reject {
        file: "reject/block-incomplete-no-time.txt",
        expect: &[],
        rule: rules::BLOCK_INCOMPLETE,
        line: Some(1),
    },
    Reject {
        file: "reject/block-incomplete-at-end.txt",
        expect: &[],
        rule: rules::BLOCK_INCOMPLETE,
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
        file: "reject/bad-breakdown-heading-first.txt",
        expect: &[],
        rule: rules::BAD_BREAKDOWN,
        line: Some(1),
    },
    Reject {
        file: "reject/bad-breakdown-heading-twice.txt",
        expect: &[("sizes", "2")],
        rule: rules::BAD_BREAKDOWN,
        line: Some(6),
    },
    Reject {
        file: "reject/bad-breakdown-before-blocks.txt",
        expect: &[],
        rule: rules::BAD_BREAKDOWN,
        line: Some(1),
    },
    Reject {
        file: "reject/size-missing.txt",
        expect: &[],
        rule: rules::SIZE_MISSING,
        line: None,
    },
    Reject {
        file: "reject/size-missing-empty.txt",
        expect: &[("sizes", "any")],
        rule: rules::SIZE_MISSING,
        line: None,
    },
];

#[test]
fn one_pool_timed_is_not_the_question_answered() {
    // The question's pools of 2, 4 and 8 are due unless lifted.
    let rejection = SUITE
        .check("reject/wrong-squares-short.txt", &[("sizes", "any")])
        .expect_err("wrong squares whatever the sizes");
    assert_eq!(rejection.rule, rules::WRONG_SQUARES);
    let rejection = SUITE
        .check("reject/size-missing.txt", &[])
        .expect_err("no pool of 8");
    assert_eq!(rejection.reason, "the pool of 8 was never timed");
    assert!(
        SUITE
            .check("reject/size-missing.txt", &[("sizes", "any")])
            .is_ok()
    );
}

#[test]
fn the_first_wrong_square_is_named() {
    let rejection = SUITE
        .check("reject/wrong-squares-unordered.txt", &[])
        .expect_err("must be rejected");
    assert_eq!(rejection.reason, "item 9 is 100, but 9² is 81");
}
