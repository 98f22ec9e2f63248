//! The ex02 checker against its fixtures: any worker count, blank lines and CRLF
//! are accepted; sections out of order, wrong results and events out of causal
//! order are rejected at the right line.

mod common;

use common::fixture_tests;
use contracts::Exercise;

fixture_tests!(Exercise::Ex02);

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
