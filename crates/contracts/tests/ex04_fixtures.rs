//! The ex04 checker against its fixtures: transcripts it must accept, and for every
//! rule at least one transcript it must reject, at the right line, for that rule.

mod common;

use common::fixture_tests;
use contracts::Exercise;
use contracts::ex04::rules;

fixture_tests!(Exercise::Ex04);

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
