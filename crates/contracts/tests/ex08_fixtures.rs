//! The ex08 checker against its fixtures: both styles, any order of sizes, and the
//! breakdown are accepted; each rule has transcripts that break it.

mod common;

use common::fixture_tests;
use contracts::Exercise;
use contracts::ex08::rules;

fixture_tests!(Exercise::Ex08);

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
