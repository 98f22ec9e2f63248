//! Factorials printed without their n (`120`, `Factorial: 120`): each value
//! settles its own n, because n! is one-to-one for n ≥ 1, so a program that
//! prints bare values, in any order, is read as fully as one that labels them.
//!
//! They are read only from a transcript that states no labelled factorial, so a
//! stray number beside labelled facts stays noise.

use std::collections::{BTreeMap, BTreeSet};

use num_bigint::BigUint;

use crate::facts::tokens::{Kind, Token};
use crate::{Line, Rejection};

use super::read::Fact;
use super::{DigitEstimate, rules};

/// Words that may label a value without giving its n.
const LABELS: &[&str] = &["factorial", "result", "value", "output", "answer", "fact"];

/// The value a line gives with no n: one whole number, alone or after a label
/// (`120`, `Factorial: 120`, `Result = 120`, `-> 120`).
pub(super) fn value<'t>(tokens: &[Token<'t>]) -> Option<&'t str> {
    let (last, rest) = tokens.split_last()?;
    let labelled = rest
        .iter()
        .all(|t| t.kind == Kind::Sym || t.is_word(LABELS) || t.is_one_of(&["is", "the"]));
    (last.kind == Kind::Int && !last.text.starts_with('-') && labelled).then_some(last.text)
}

/// Each value with its n: the one of 1..=`upto` whose factorial it is. A value
/// that is the factorial of none of them is wrong, and named.
pub(super) fn settle<'t>(
    values: &[(&'t Line, &'t str)],
    upto: u64,
) -> Result<Vec<(&'t Line, Fact<'t>)>, Rejection> {
    // A value's n is among those whose factorial has about its number of digits;
    // the digit count settles it before any big arithmetic.
    let mut estimate = DigitEstimate::default();
    let candidates: Vec<Vec<u64>> = values
        .iter()
        .map(|(_, value)| {
            let digits = value.len() as f64;
            (1..=upto)
                .map(|n| (n, estimate.digits(n)))
                .take_while(|&(_, estimated)| estimated <= digits + 1.0)
                .filter(|&(_, estimated)| (estimated - digits).abs() <= 1.0)
                .map(|(n, _)| n)
                .collect()
        })
        .collect();
    let largest = candidates.iter().flatten().copied().max().unwrap_or(0);
    let wanted: BTreeSet<u64> = candidates.iter().flatten().copied().collect();
    // n -> n!, as text, for the candidates only.
    let mut truths = BTreeMap::new();
    let mut product = BigUint::from(1u32);
    for n in 1..=largest {
        product *= n;
        if wanted.contains(&n) {
            truths.insert(n, product.to_string());
        }
    }
    values
        .iter()
        .zip(&candidates)
        .map(|(&(line, value), candidates)| {
            let n = candidates
                .iter()
                .copied()
                .find(|n| truths.get(n).is_some_and(|truth| truth == value));
            match n {
                Some(n) => Ok((line, Fact { n, value })),
                None => Err(Rejection::at(
                    line,
                    rules::WRONG_VALUE,
                    format!(
                        "{} is printed with no n, and is not the factorial of any n from 1 to {upto}",
                        crate::facts::shorten(value)
                    ),
                )),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::tokens::tokenize;

    #[test]
    fn a_lone_or_labelled_number_is_a_value_and_more_is_not() {
        for (text, value) in [
            ("120", Some("120")),
            ("Factorial: 120", Some("120")),
            ("Result = 120", Some("120")),
            ("The factorial is 120", Some("120")),
            ("-> 120", Some("120")),
            ("Factorial of 5: 120", None),
            ("Took 120 ms", None),
            ("0.5", None),
            ("-6", None),
            ("Thread 3 done", None),
        ] {
            assert_eq!(self::value(&tokenize(text)), value, "{text}");
        }
    }

    #[test]
    fn each_value_settles_its_n_and_a_non_factorial_is_wrong() {
        let line = |number| Line {
            number,
            text: String::new(),
        };
        let (one, two, three) = (line(1), line(2), line(3));
        let settled = settle(&[(&one, "720"), (&two, "1"), (&three, "2")], 10).unwrap();
        let ns: Vec<u64> = settled.iter().map(|(_, fact)| fact.n).collect();
        assert_eq!(ns, [6, 1, 2]);
        let wrong = settle(&[(&one, "1"), (&two, "121")], 10).unwrap_err();
        assert_eq!(wrong.rule, rules::WRONG_VALUE);
        assert_eq!(wrong.line, Some(2));
        // 11! exists, but not among the factorials asked for.
        assert!(settle(&[(&one, "39916800")], 10).is_err());
    }
}
