//! Property tests of the ex07 checker on transcripts it has never seen.
//!
//! A generator plays a correct pool: the factorials of 1..=N in a random completion
//! order, each fact in a random one of several wordings (one of them after a
//! progress line). Every such transcript must be
//! accepted; then one targeted corruption (a value off by a little, a repeated n, a
//! dropped n) must be rejected for the rule it breaks, at the right line.

use contracts::ex07::rules;
use contracts::{Exercise, Expectations, Rejection, Transcript};
use num_bigint::BigUint;
use proptest::prelude::*;

/// A correct run: `(n, n! in decimal, wording)` in printing order.
fn runs() -> impl Strategy<Value = Vec<(u64, String, usize)>> {
    (1u64..=60)
        .prop_flat_map(|upto| {
            let order = Just((1..=upto).collect::<Vec<_>>()).prop_shuffle();
            (order, prop::collection::vec(0..WORDINGS, upto as usize))
        })
        .prop_map(|(order, styles)| {
            order
                .into_iter()
                .zip(styles)
                .map(|(n, wording)| {
                    let value = (1..=n).fold(BigUint::from(1u32), |f, k| f * k);
                    (n, value.to_string(), wording)
                })
                .collect()
        })
}

/// How many wordings [`render`] uses.
const WORDINGS: usize = 5;

fn render(run: &[(u64, String, usize)]) -> String {
    run.iter()
        .map(|(n, value, wording)| match wording {
            0 => format!("Factorial of {n} is {value}\n"),
            1 => format!("Factorial of {n}: {value}\n"),
            2 => format!("{n}! = {value}\n"),
            3 => format!("The factorial of {n} is {value}.\n"),
            _ => format!("Calculating factorial of {n}\nfactorial({n}) = {value}\n"),
        })
        .collect()
}

/// The line that states the fact at `at` (the last line of its wording).
fn line_of(run: &[(u64, String, usize)], at: usize) -> usize {
    run[..=at]
        .iter()
        .map(|(_, _, wording)| if *wording == WORDINGS - 1 { 2 } else { 1 })
        .sum()
}

fn check(text: &str, upto: Option<usize>) -> Result<(), Rejection> {
    let expect = match upto {
        Some(upto) => Expectations::new().with("upto", upto),
        None => Expectations::new().with("upto", "any"),
    };
    let checker = Exercise::Ex07.checker(&expect).expect("valid expectations");
    checker.check(&Transcript::parse(text)).map(drop)
}

proptest! {
    #[test]
    fn every_completion_order_is_accepted(run in runs()) {
        let text = render(&run);
        prop_assert!(check(&text, None).is_ok(), "{text}");
        prop_assert!(check(&text, Some(run.len())).is_ok(), "{text}");
    }

    #[test]
    fn a_value_changed_in_its_last_digit_is_rejected_at_its_line(
        mut run in runs(),
        pick in any::<prop::sample::Index>(),
        bump in 1u8..=9,
    ) {
        let at = pick.index(run.len());
        let value = &mut run[at].1;
        let last = value.pop().expect("a value has digits");
        let digit = (last as u8 - b'0' + bump) % 10;
        value.push(char::from(b'0' + digit));
        let rejection = check(&render(&run), None).expect_err("a wrong value");
        prop_assert_eq!((rejection.rule, rejection.line), (rules::WRONG_VALUE, Some(line_of(&run, at))));
    }

    #[test]
    fn a_repeated_or_dropped_n_is_rejected(run in runs(), pick in any::<prop::sample::Index>()) {
        prop_assume!(run.len() >= 2);
        let at = pick.index(run.len());
        let mut repeated = run.clone();
        repeated.push(run[at].clone());
        let rejection = check(&render(&repeated), Some(run.len())).expect_err("a repeat");
        prop_assert_eq!(
            (rejection.rule, rejection.line),
            (rules::N_REPEATED, Some(line_of(&repeated, run.len())))
        );
        let mut dropped = run.clone();
        dropped.remove(at);
        let rejection = check(&render(&dropped), Some(run.len())).expect_err("a gap");
        prop_assert_eq!((rejection.rule, rejection.line), (rules::N_MISSING, None));
    }
}
