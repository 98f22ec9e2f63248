//! The ex07 checker against its fixtures: any completion order in either style is
//! accepted; each rule has transcripts that break it, rejected at the right line.

mod common;

use common::fixture_tests;
use contracts::Exercise;
use contracts::ex07::rules;

fixture_tests!(Exercise::Ex07);

#[test]
fn one_to_nine_misses_ten_unless_any_is_allowed() {
    // With no expectation, the course's 1 to 10 are due.
    let rejection = SUITE
        .check("reject/n-missing-one-to-nine.txt", &[])
        .expect_err("must be rejected");
    assert_eq!(
        rejection.reason,
        "10! was never printed (1 of 1 to 10 missing)"
    );
    // With `upto=any`, nine facts can only be 1 to 9; the `10` cannot belong.
    let rejection = SUITE
        .check("reject/n-missing.txt", &[("upto", "any")])
        .expect_err("must be rejected");
    assert_eq!(
        (rejection.rule, rejection.line),
        (rules::N_OUT_OF_RANGE, Some(9))
    );
}

#[test]
fn the_strict_check_takes_the_course_lines() {
    assert!(
        SUITE
            .check("accept/in-order.txt", &[("--strict", "")])
            .is_ok()
    );
    let rejection = SUITE
        .check("accept/real-world-wordings.txt", &[("--strict", "")])
        .expect_err("strict wants exact lines");
    assert_eq!(
        (rejection.rule, rejection.line),
        (rules::UNRECOGNISED_LINE, Some(1))
    );
}

#[test]
fn a_wrong_value_is_shown_against_the_truth() {
    let rejection = SUITE
        .check("reject/wrong-value-u64-overflow.txt", &[("upto", "any")])
        .expect_err("must be rejected");
    assert_eq!(
        rejection.reason,
        "21! is 51090942171709440000, not 14197454024290336768"
    );
}

#[test]
fn an_upto_out_of_bounds_is_a_usage_error() {
    use contracts::{Expectations, RequestError};
    for upto in ["0", "100001"] {
        let result = Exercise::Ex07.checker(&Expectations::new().with("upto", upto));
        assert!(
            matches!(result, Err(RequestError::BadValue { .. })),
            "upto={upto}"
        );
    }
    assert!(
        Exercise::Ex07
            .checker(&Expectations::new().with("upto", "100000"))
            .is_ok()
    );
}

#[test]
fn a_value_of_the_wrong_length_is_refused_before_any_arithmetic() {
    use contracts::{Expectations, Transcript};
    // Computing 100000! would take the checker seconds; its length is known at once.
    let checker = Exercise::Ex07
        .checker(&Expectations::new().with("upto", "100000"))
        .expect("a checker");
    let rejection = checker
        .check(&Transcript::parse("Factorial of 100000 is 1\n"))
        .expect_err("1 is not 100000!");
    assert_eq!(rejection.rule, rules::WRONG_VALUE);
    assert_eq!(
        rejection.reason,
        "100000! has 456574 digits, but this value has 1"
    );
}

#[test]
fn the_missing_count_counts_every_missing_n() {
    use contracts::{Expectations, Transcript};
    let checker = Exercise::Ex07
        .checker(&Expectations::new().with("upto", "5"))
        .expect("a checker");
    let rejection = checker
        .check(&Transcript::parse(
            "Factorial of 2 is 2\nFactorial of 4 is 24\n",
        ))
        .expect_err("1, 3 and 5 are missing");
    assert_eq!(
        rejection.reason,
        "1! was never printed (3 of 1 to 5 missing)"
    );
}
