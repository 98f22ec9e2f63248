//! Reading and checking ex08's squares in every shape a program prints them: a
//! list (`[1, 4, …]`, `[1.0, 4.0, …]`, NumPy's `[ 1  4 …]`), pairs or a dict of
//! each number and its square (`[(1, 1), (2, 4), …]`, `{1: 1, 2: 4}`), or one
//! square per line (`Square of 7 is 49`, `7^2 = 49`).
//!
//! A result that is present and wrong is wrong whatever shape it has: `None`
//! where a square should be, `Square of 10 is 99`, `(3, None)`.

use crate::facts::tokens::{Kind, Token};
use crate::pyvalue::{self, Value};
use crate::{Line, Rejection};

use super::rules;

/// Squares a line shows.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Squares<'t> {
    /// The results in order: they must be the squares of 1 to 10.
    List(Vec<Value<'t>>),
    /// Numbers with their squares: each must be right.
    Pairs(Vec<(Value<'t>, Value<'t>)>),
}

/// The squares a bracketed token holds, when it holds results: a list of numbers
/// (or `None`s), or pairs whose first items are whole numbers and whose second
/// are whole numbers or `None` (a fractional second makes them timings).
pub(super) fn in_token<'t>(token: &Token<'t>) -> Option<Squares<'t>> {
    if !matches!(token.kind, Kind::List | Kind::Dict) {
        return None;
    }
    let pairs = match pyvalue::parse(token.text)? {
        Value::Seq(items) if items.iter().all(Value::is_scalar) => {
            return Some(Squares::List(items));
        }
        Value::Seq(items) => items
            .iter()
            .map(|item| item.pair().map(|(a, b)| (a.clone(), b.clone())))
            .collect::<Option<Vec<_>>>()?,
        Value::Map(pairs) => pairs,
        _ => return None,
    };
    let results = !pairs.is_empty()
        && pairs.iter().all(|(n, square)| {
            whole(n).is_some() && (whole(square).is_some() || *square == Value::None)
        });
    results.then_some(Squares::Pairs(pairs))
}

/// Words a number is an identifier after (`Process 1234`, `pid=1234`), so it is no
/// operand of a square.
const ID_WORDS: &[&str] = &[
    "process", "pid", "worker", "thread", "id", "core", "cpu", "task",
];
/// What may stand between a number and its square on a line (`Square of 7 is
/// 49`, `7 squared = 49`, `7^2 -> 49`, `7 * 7 = 49`).
const BETWEEN: &[&str] = &[
    "is", "=", ":", "->", "=>", "→", "equals", "equal", "gives", "returns", "squared", "square",
    "was", "^", "*", "**", "x", "²", ",", "(", ")",
];

/// One square stated on its own line (`Square of 7 is 49`): the number and its
/// square, read from a line that names squares and holds those two numbers
/// (leaving out identifiers, the exponent, and the sizes and times `taken` read).
pub(super) fn on_line<'t>(tokens: &[Token<'t>], taken: &[&'t str]) -> Option<Squares<'t>> {
    // The `2` of `7^2` or `7**2`.
    let exponent = |i: usize| {
        tokens[i].text == "2"
            && i >= 1
            && (tokens[i - 1].is_sym("^")
                || tokens[i - 1].is_sym("*") && i >= 2 && tokens[i - 2].is_sym("*"))
    };
    let names_squares = tokens
        .iter()
        .any(|t| t.is_word(&["squar"]) || t.is_sym("²"));
    // `7 * 7` or `7 x 7`.
    let doubled = tokens.windows(3).any(|w| {
        w[0].kind == Kind::Int
            && (w[1].is_sym("*") || w[1].is_one_of(&["x"]))
            && w[2].text == w[0].text
    });
    if !names_squares && !doubled && !(0..tokens.len()).any(exponent) {
        return None;
    }
    let operands: Vec<usize> = (0..tokens.len())
        .filter(|&i| {
            let token = &tokens[i];
            let number = token.is_number() || token.is_one_of(&["none"]);
            let exponent = exponent(i);
            let identifier = tokens[..i]
                .iter()
                .rev()
                .take(3)
                .find(|t| t.kind == Kind::Word)
                .is_some_and(|t| t.is_one_of(ID_WORDS))
                && tokens[..i]
                    .iter()
                    .rev()
                    .take_while(|t| t.kind != Kind::Word)
                    .all(|t| t.kind == Kind::Sym);
            let is_taken = taken
                .iter()
                .any(|t| std::ptr::eq(t.as_ptr(), token.text.as_ptr()));
            number && !exponent && !identifier && !is_taken
        })
        .collect();
    // `7 * 7 = 49`: the number written twice.
    let operands = match operands[..] {
        [a, b, c] if tokens[a].text == tokens[b].text => vec![a, c],
        _ => operands,
    };
    let [n, square] = operands[..] else {
        return None;
    };
    let joined = tokens[n + 1..square].iter().all(|t| {
        t.is_one_of(BETWEEN)
            || BETWEEN.iter().any(|sym| t.is_sym(sym))
            || t.text == "2"
            || t.text == tokens[n].text
    });
    if tokens[n].kind != Kind::Int || !joined {
        return None;
    }
    let value = |token: &Token<'t>| match token.kind {
        Kind::Word => Value::None,
        _ => Value::Number(token.text),
    };
    Some(Squares::Pairs(vec![(
        value(&tokens[n]),
        value(&tokens[square]),
    )]))
}

/// Checks squares: a list is exactly the squares of 1 to 10, in order; each pair
/// is a number and its square.
pub(super) fn check(line: &Line, squares: &Squares<'_>) -> Result<(), Rejection> {
    let wrong = |why: String| Err(Rejection::at(line, rules::WRONG_SQUARES, why));
    match squares {
        Squares::List(values) => {
            for (at, value) in values.iter().enumerate().take(10) {
                let n = at as i64 + 1;
                if whole(value) != Some(n * n) {
                    return wrong(format!(
                        "item {n} is {}, but {n}² is {}",
                        value.shown(),
                        n * n
                    ));
                }
            }
            if values.len() != 10 {
                return wrong(format!("{} squares, not the 10 of 1 to 10", values.len()));
            }
            Ok(())
        }
        Squares::Pairs(pairs) => {
            for (n, square) in pairs {
                let Some(number) = whole(n) else {
                    return wrong(format!("{} is not one of the numbers 1 to 10", n.shown()));
                };
                if whole(square) != number.checked_mul(number) {
                    return wrong(format!(
                        "the square of {number} is given as {}, but {number}² is {}",
                        square.shown(),
                        number.saturating_mul(number)
                    ));
                }
            }
            Ok(())
        }
    }
}

/// A value that is a whole number (`4`, `4.0`, `4e0`).
fn whole(value: &Value<'_>) -> Option<i64> {
    let number = value.number()?;
    (number.fract() == 0.0 && number.abs() < 1e15).then_some(number as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::tokens::tokenize;

    fn line(text: &str) -> Line {
        Line {
            number: 1,
            text: text.to_owned(),
        }
    }

    /// The verdict on a line's squares: `None` when none are read, else whether right.
    fn judged(text: &str) -> Option<bool> {
        let tokens = tokenize(text);
        let squares = tokens
            .iter()
            .find_map(in_token)
            .or_else(|| on_line(&tokens, &[]))?;
        Some(check(&line(text), &squares).is_ok())
    }

    #[test]
    fn right_squares_in_every_shape_pass() {
        for text in [
            "[1, 4, 9, 16, 25, 36, 49, 64, 81, 100]",
            "[1.0, 4.0, 9.0, 16.0, 25.0, 36.0, 49.0, 64.0, 81.0, 100.0]",
            "[  1   4   9  16  25  36  49  64  81 100]",
            "[(1, 1), (2, 4), (3, 9)]",
            "{1: 1, 2: 4, 3: 9}",
            "Square of 7 is 49",
            "The square of 7 is 49.0",
            "7 squared = 49",
            "7^2 = 49",
            "7 ** 2 -> 49",
            "7 * 7 = 49",
            "Process 12345: square of 7 is 49",
            "Worker pid=4242 squared 7 -> 49",
        ] {
            assert_eq!(judged(text), Some(true), "{text}");
        }
    }

    #[test]
    fn a_wrong_square_in_any_shape_fails() {
        for text in [
            "[1, 4, 9, 16, 25, 36, 49, 64, 81, 99]",
            "[1, 4, None, 16, 25, 36, 49, 64, 81, 100]",
            "[1.5, 4.0]",
            "[(1, 1), (2, 4), (3, None)]",
            "{1: 1, 2: 5}",
            "Square of 10 is 99",
            "Square of 3 is None",
            "[1, 4, 9]",
        ] {
            assert_eq!(judged(text), Some(false), "{text}");
        }
    }

    #[test]
    fn lines_that_state_no_square_are_not_read_as_one() {
        for text in [
            "Squares of 1 to 10",
            "Squares of 1 - 10",
            "Squaring 7",
            "Process 12345 squaring 7",
            "Computing squares with 4 workers in 0.5 s",
            "[(2, 0.031), (4, 0.042)]",
            "{2: 0.031}",
        ] {
            assert_eq!(judged(text), None, "{text}");
        }
    }
}
