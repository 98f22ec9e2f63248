//! The ex04 checker against its fixtures: transcripts it must accept, and for every
//! rule at least one transcript it must reject, at the right line, for that rule.

mod common;

use common::{Accept, Reject, Suite, fixture_tests};
use contracts::Exercise;
use contracts::ex04::rules;

fixture_tests!(SUITE);

const SUITE: Suite = Suite {
    exercise: Exercise::Ex04,
    accept: ACCEPT,
    reject: REJECT,
};

/// Accepted transcripts, with the counts they were produced with (when they are
/// checked with counts) and the summary the checker gives.
const ACCEPT: &[Accept] = &[
    Accept {
        file: "accept/duplicates-leave-two-possible-lists.txt",
        expect: &[],
        summary: "3 adds, 1 removal, 0 empty; no final list printed",
        ignored: &[],
    },
    Accept {
        file: "accept/an-unnumbered-add-then-a-list.txt",
        expect: &[],
        summary: "2 adds, 1 removal, 0 empty; final list [7]",
        ignored: &[],
    },
    Accept {
        file: "accept/announced-removals.txt",
        expect: &[("adds", "2"), ("removes", "2")],
        summary: "2 adds, 2 removals, 0 empty; final list []",
        ignored: &[1, 3, 5, 7],
    },
    Accept {
        file: "accept/adds-without-numbers.txt",
        expect: &[],
        summary: "2 adds, 1 removal, 0 empty; final list [3]",
        ignored: &[],
    },
    Accept {
        file: "accept/ticks-tie-adder-first.txt",
        expect: &[("adds", "5"), ("removes", "5")],
        summary: "5 adds, 5 removals, 0 empty; final list []",
        ignored: &[],
    },
    Accept {
        file: "accept/leftover-item.txt",
        expect: &[("adds", "5"), ("removes", "4")],
        summary: "5 adds, 4 removals, 0 empty; final list [4]",
        ignored: &[],
    },
    Accept {
        file: "accept/remover-runs-dry.txt",
        expect: &[("adds", "3"), ("removes", "4")],
        summary: "3 adds, 2 removals, 2 empty; final list [2]",
        ignored: &[],
    },
    Accept {
        file: "accept/short-style.txt",
        expect: &[],
        summary: "4 adds, 4 removals, 0 empty; final list []",
        ignored: &[],
    },
    Accept {
        file: "accept/mixed-style.txt",
        expect: &[("adds", "2"), ("removes", "3")],
        summary: "2 adds, 2 removals, 1 empty; final list []",
        ignored: &[],
    },
    Accept {
        file: "accept/crlf-trailing-space-blank-lines.txt",
        expect: &[],
        summary: "1 add, 1 removal, 0 empty; final list []",
        ignored: &[],
    },
    Accept {
        file: "accept/nothing-asked.txt",
        expect: &[("adds", "0"), ("removes", "0")],
        summary: "only lists were printed (final list []): too little to check the threads for a race",
        ignored: &[],
    },
    Accept {
        file: "accept/loose-list-spacing.txt",
        expect: &[],
        summary: "2 adds, 0 removals, 0 empty; final list [0, 1]",
        ignored: &[],
    },
    Accept {
        file: "accept/numbers-from-one.txt",
        expect: &[],
        summary: "1 add, 0 removals, 0 empty; final list [1]",
        ignored: &[],
    },
    Accept {
        file: "accept/numbers-with-a-gap.txt",
        expect: &[("order", "fifo")],
        summary: "2 adds, 0 removals, 0 empty; final list [0, 2]",
        ignored: &[],
    },
    Accept {
        file: "accept/no-final-list.txt",
        expect: &[("order", "fifo")],
        summary: "1 add, 1 removal, 0 empty; no final list printed; the list ends as []",
        ignored: &[],
    },
    Accept {
        file: "accept/random-numbers-popped-newest.txt",
        expect: &[("order", "lifo")],
        summary: "4 adds, 4 removals, 1 empty; final list []",
        ignored: &[1, 11],
    },
    Accept {
        file: "accept/one-based-no-lists.txt",
        expect: &[("adds", "3"), ("removes", "4")],
        summary: "3 adds, 3 removals, 1 empty; no final list printed; the list ends as []",
        ignored: &[8],
    },
    Accept {
        file: "accept/only-a-final-list.txt",
        expect: &[],
        summary: "only lists were printed (final list [3, 4]): too little to check the threads for a race",
        ignored: &[1],
    },
    Accept {
        file: "accept/repeats-removed-from-the-middle.txt",
        expect: &[],
        summary: "3 adds, 3 removals, 0 empty; no final list printed; the list ends as []",
        ignored: &[],
    },
    Accept {
        file: "accept/announcement-is-noise.txt",
        expect: &[],
        summary: "1 add, 0 removals, 0 empty; final list [0]",
        ignored: &[2],
    },
];

/// Rejected transcripts: the counts they are checked with, the rule they break, and
/// the line they break it at (`None`: at the end of the output).
const REJECT: &[Reject] = &[
    Reject {
        file: "reject/unrecognised-line-strict-banner.txt",
        expect: &[("--strict", "")],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(1),
    },
    Reject {
        file: "reject/unreadable-record-broken-list.txt",
        expect: &[],
        rule: rules::UNREADABLE_RECORD,
        line: Some(2),
    },
    Reject {
        file: "reject/interleaved-lines.txt",
        expect: &[],
        rule: rules::INTERLEAVED,
        line: Some(2),
    },
    Reject {
        file: "reject/removed-from-empty.txt",
        expect: &[],
        rule: rules::REMOVED_FROM_EMPTY,
        line: Some(1),
    },
    Reject {
        file: "reject/removed-not-held.txt",
        expect: &[],
        rule: rules::REMOVED_NOT_HELD,
        line: Some(2),
    },
    Reject {
        file: "reject/removed-not-held-twice.txt",
        expect: &[],
        rule: rules::REMOVED_NOT_HELD,
        line: Some(4),
    },
    Reject {
        file: "reject/removed-wrong-end-fifo.txt",
        expect: &[("order", "fifo")],
        rule: rules::REMOVED_WRONG_END,
        line: Some(3),
    },
    Reject {
        file: "reject/removed-wrong-end-lifo.txt",
        expect: &[("order", "lifo")],
        rule: rules::REMOVED_WRONG_END,
        line: Some(3),
    },
    Reject {
        file: "reject/shown-list-mismatch-add-without-number.txt",
        expect: &[],
        rule: rules::SHOWN_LIST_MISMATCH,
        line: Some(2),
    },
    Reject {
        file: "reject/shown-list-mismatch-after-add.txt",
        expect: &[],
        rule: rules::SHOWN_LIST_MISMATCH,
        line: Some(2),
    },
    Reject {
        file: "reject/shown-list-mismatch-stale-after-remove.txt",
        expect: &[],
        rule: rules::SHOWN_LIST_MISMATCH,
        line: Some(3),
    },
    Reject {
        file: "reject/shown-list-mismatch-printed-outside-lock.txt",
        expect: &[],
        rule: rules::SHOWN_LIST_MISMATCH,
        line: Some(2),
    },
    Reject {
        file: "reject/empty-message-not-empty.txt",
        expect: &[],
        rule: rules::EMPTY_MESSAGE_NOT_EMPTY,
        line: Some(3),
    },
    Reject {
        file: "reject/final-list-mismatch.txt",
        expect: &[],
        rule: rules::FINAL_LIST_MISMATCH,
        line: Some(4),
    },
    Reject {
        file: "reject/line-after-final.txt",
        expect: &[],
        rule: rules::LINE_AFTER_FINAL,
        line: Some(3),
    },
    Reject {
        file: "reject/line-after-final-twice.txt",
        expect: &[],
        rule: rules::LINE_AFTER_FINAL,
        line: Some(4),
    },
    Reject {
        file: "reject/nothing-shown-empty-output.txt",
        expect: &[],
        rule: rules::NOTHING_SHOWN,
        line: None,
    },
    Reject {
        file: "reject/add-count.txt",
        expect: &[("adds", "5"), ("removes", "1")],
        rule: rules::ADD_COUNT,
        line: Some(4),
    },
    Reject {
        file: "reject/remove-count.txt",
        expect: &[("adds", "1"), ("removes", "1")],
        rule: rules::REMOVE_COUNT,
        line: Some(2),
    },
];

#[test]
fn without_an_order_any_held_item_may_be_removed() {
    // The question names no order: taking the newest is as right as the oldest.
    assert!(
        SUITE
            .check("reject/removed-wrong-end-fifo.txt", &[])
            .is_ok()
    );
    assert!(
        SUITE
            .check("reject/removed-wrong-end-lifo.txt", &[])
            .is_ok()
    );
    let rejection = SUITE
        .check(
            "accept/random-numbers-popped-newest.txt",
            &[("order", "fifo")],
        )
        .expect_err("pinned to fifo");
    assert_eq!(
        (rejection.rule, rejection.line),
        (rules::REMOVED_WRONG_END, Some(4))
    );
}

#[test]
fn the_strict_check_takes_the_course_lines() {
    assert!(
        SUITE
            .check("accept/ticks-tie-adder-first.txt", &[("--strict", "")])
            .is_ok()
    );
    let rejection = SUITE
        .check("accept/one-based-no-lists.txt", &[("--strict", "")])
        .expect_err("strict wants exact lines");
    assert_eq!(
        (rejection.rule, rejection.line),
        (rules::UNRECOGNISED_LINE, Some(1))
    );
}

#[test]
fn without_counts_a_short_run_is_accepted() {
    // The count rules apply only when the counts are known.
    assert!(SUITE.check("reject/add-count.txt", &[]).is_ok());
    assert!(SUITE.check("reject/remove-count.txt", &[]).is_ok());
}

#[test]
fn a_rejection_reads_like_a_diagnostic() {
    let rejection = SUITE
        .check("reject/removed-wrong-end-fifo.txt", &[("order", "fifo")])
        .expect_err("must be rejected");
    assert_eq!(
        rejection.to_string(),
        format!(
            "line 3: removed 1, but the oldest item (its head) of [0, 1] is 0 [removed-wrong-end]\n    3 | Removed 1 from the list. Current list: [0]\n hint: {}",
            rules::REMOVED_WRONG_END.hint
        )
    );
}
