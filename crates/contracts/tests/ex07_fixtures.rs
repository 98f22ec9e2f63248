//! The ex07 checker against its fixtures: any completion order in either style is
//! accepted; each rule has transcripts that break it, rejected at the right line.

mod common;

use common::{Accept, Reject, Suite, fixture_tests};
use contracts::Exercise;
use contracts::ex07::rules;

fixture_tests!(SUITE);

const SUITE: Suite = Suite {
    exercise: Exercise::Ex07,
    accept: ACCEPT,
    reject: REJECT,
};

const ACCEPT: &[Accept] = &[
    Accept {
        file: "accept/in-order.txt",
        expect: &[("upto", "10")],
        summary: "factorials of 1 to 10, in order; 10! has 7 digits",
        ignored: &[],
    },
    Accept {
        file: "accept/completion-order-colon-style.txt",
        expect: &[],
        summary: "factorials of 1 to 10, in completion order; 10! has 7 digits",
        ignored: &[],
    },
    Accept {
        file: "accept/past-34-mixed-styles.txt",
        expect: &[("upto", "40")],
        summary: "factorials of 1 to 40, in completion order; 40! has 48 digits",
        ignored: &[],
    },
    Accept {
        file: "accept/one-factorial.txt",
        expect: &[("upto", "1")],
        summary: "factorials of 1 to 1, in order; 1! has 1 digit",
        ignored: &[],
    },
    Accept {
        file: "accept/crlf-trailing-space-blank-lines.txt",
        expect: &[("upto", "any")],
        summary: "factorials of 1 to 3, in completion order; 3! has 1 digit",
        ignored: &[],
    },
    Accept {
        file: "accept/heading-is-noise.txt",
        expect: &[("upto", "3")],
        summary: "factorials of 1 to 3, in order; 3! has 1 digit",
        ignored: &[1],
    },
    Accept {
        file: "accept/real-world-wordings.txt",
        expect: &[],
        summary: "factorials of 1 to 10, in order; 10! has 7 digits",
        ignored: &[1, 2, 3, 14, 15],
    },
    Accept {
        file: "accept/all-on-one-line.txt",
        expect: &[],
        summary: "factorials of 1 to 10, in order; 10! has 7 digits",
        ignored: &[],
    },
    Accept {
        file: "accept/dict-of-results.txt",
        expect: &[],
        summary: "factorials of 1 to 10, in order; 10! has 7 digits",
        ignored: &[2],
    },
];

const REJECT: &[Reject] = &[
    Reject {
        file: "reject/unrecognised-line-strict-banner.txt",
        expect: &[("--strict", ""), ("upto", "2")],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(1),
    },
    Reject {
        file: "reject/unreadable-record-no-value.txt",
        expect: &[],
        rule: rules::UNREADABLE_RECORD,
        line: Some(8),
    },
    Reject {
        file: "reject/interleaved-lines.txt",
        expect: &[],
        rule: rules::INTERLEAVED,
        line: Some(2),
    },
    Reject {
        file: "reject/wrong-value-decimal.txt",
        expect: &[],
        rule: rules::WRONG_VALUE,
        line: Some(3),
    },
    Reject {
        file: "reject/n-out-of-range-zero.txt",
        expect: &[],
        rule: rules::N_OUT_OF_RANGE,
        line: Some(1),
    },
    Reject {
        file: "reject/n-out-of-range-past-upto.txt",
        expect: &[("upto", "10")],
        rule: rules::N_OUT_OF_RANGE,
        line: Some(11),
    },
    Reject {
        file: "reject/n-repeated.txt",
        expect: &[],
        rule: rules::N_REPEATED,
        line: Some(3),
    },
    Reject {
        file: "reject/wrong-value-off-by-one.txt",
        expect: &[],
        rule: rules::WRONG_VALUE,
        line: Some(6),
    },
    Reject {
        file: "reject/wrong-value-u64-overflow.txt",
        expect: &[("upto", "any")],
        rule: rules::WRONG_VALUE,
        line: Some(21),
    },
    Reject {
        file: "reject/wrong-value-float.txt",
        expect: &[("upto", "30")],
        rule: rules::WRONG_VALUE,
        line: Some(23),
    },
    Reject {
        file: "reject/wrong-value-truncated.txt",
        expect: &[("upto", "30")],
        rule: rules::WRONG_VALUE,
        line: Some(3),
    },
    Reject {
        file: "reject/wrong-value-leading-zero.txt",
        expect: &[],
        rule: rules::WRONG_VALUE,
        line: Some(2),
    },
    Reject {
        file: "reject/wrong-value-earliest-line.txt",
        expect: &[],
        rule: rules::WRONG_VALUE,
        line: Some(1),
    },
    Reject {
        file: "reject/n-missing.txt",
        expect: &[],
        rule: rules::N_MISSING,
        line: None,
    },
    Reject {
        file: "reject/n-missing-one-to-nine.txt",
        expect: &[],
        rule: rules::N_MISSING,
        line: None,
    },
    Reject {
        file: "reject/n-missing-empty-output.txt",
        expect: &[],
        rule: rules::N_MISSING,
        line: None,
    },
];

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
