//! Reading ex07's facts from a line: n and n!, in any wording, in lists, dicts and
//! tables.

use crate::facts::tokens::{Kind, Token};
use crate::facts::{all_numbers, glued_records};
use crate::{Line, Rejection};

use super::rules;

/// One factorial a line states: n, and the value as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Fact<'t> {
    pub(super) n: u64,
    pub(super) value: &'t str,
}

/// Words that say a list holds the factorials.
const LIST_WORDS: &[&str] = &["factorial", "result", "output", "answer", "value"];

/// Reads the facts a line states; an empty list means the line is noise.
pub(super) fn read_line<'t>(
    line: &'t Line,
    tokens: &[Token<'t>],
) -> Result<Vec<Fact<'t>>, Rejection> {
    let anchors: Vec<usize> = (0..tokens.len())
        .filter(|&i| {
            tokens[i].is_word(&["factorial"])
                || tokens[i].is_one_of(&["fact"])
                || is_bang(tokens, i)
        })
        .collect();
    // Before a glued anchor, a whole fact (`…is 6Factorial of 4…`) is two
    // writers' records interleaved; a progress line (`Calculating factorial of
    // 10Factorial of 3 is 6`) holds no value, and garbles no fact.
    glued_records(line, tokens, &anchors, |before| {
        before
            .windows(2)
            .any(|pair| is_marker(&pair[0]) && pair[1].is_number())
    })?;
    if anchors.is_empty() {
        return Ok(bare(tokens));
    }
    let mut facts = Vec::new();
    for (k, &anchor) in anchors.iter().enumerate() {
        let end = anchors.get(k + 1).copied().unwrap_or(tokens.len());
        // `Number: 3, Factorial: 6` names n before the word; so does `5!` in
        // `5! Factorial: 120`, the anchor before this one.
        let from = if k == 0 { 0 } else { anchors[k - 1] };
        let n_before = tokens[from..anchor].iter().rev().find_map(whole);
        facts.extend(record(line, &tokens[anchor..end], n_before)?);
    }
    Ok(facts)
}

/// `N!`: a whole number with `!` glued to it.
fn is_bang(tokens: &[Token<'_>], i: usize) -> bool {
    tokens[i].kind == Kind::Int && tokens.get(i + 1).is_some_and(|t| t.glued && t.is_sym("!"))
}

/// Whether a token says "the value follows".
fn is_marker(token: &Token<'_>) -> bool {
    [":", "=", "->", "=>", "→", "=="]
        .iter()
        .any(|sym| token.is_sym(sym))
        || token.is_one_of(&["is", "equals", "was", "are", "returned", "returns", "gives"])
}

/// The facts of one record, from its anchor (`factorial` or `N!`) to the next;
/// `n_before` is the whole number the line gave before the anchor, if any.
fn record<'t>(
    line: &Line,
    segment: &[Token<'t>],
    n_before: Option<u64>,
) -> Result<Vec<Fact<'t>>, Rejection> {
    if let (Some(n), Some(marker)) = (n_before, segment.get(1))
        && segment[0].kind == Kind::Word
        && is_marker(marker)
        && let Some(value) = segment[1..].iter().find(|t| !is_marker(t))
        && value.is_number()
    {
        // `Number: 3, Factorial: 6`.
        return Ok(vec![Fact {
            n,
            value: value.text,
        }]);
    }
    if let (Some(n), Some(value)) = (n_before, segment.get(1))
        && segment[0].kind == Kind::Word
        && value.is_number()
        && !segment.iter().any(is_marker)
        && segment[2..].iter().all(|t| t.kind == Kind::Sym)
    {
        // `Number 3 Factorial 6`: columns, the value last.
        return Ok(vec![Fact {
            n,
            value: value.text,
        }]);
    }
    let first = if segment[0].kind == Kind::Int { 0 } else { 1 };
    let Some(at) = segment[first..]
        .iter()
        .position(|t| matches!(t.kind, Kind::Int | Kind::Decimal | Kind::List | Kind::Dict))
        .map(|p| p + first)
    else {
        return Ok(Vec::new());
    };
    let n = &segment[at];
    if matches!(n.kind, Kind::List | Kind::Dict) {
        return Ok(listed(n));
    }
    let Some(n_value) = whole(n) else {
        return Ok(Vec::new());
    };
    let after = &segment[at + 1..];
    let Some(marker) = after.iter().position(is_marker) else {
        return Ok(Vec::new());
    };
    if after[..marker].iter().any(Token::is_number) {
        // `… of numbers 1 to 10:` is a heading, not n and its value.
        return Ok(Vec::new());
    }
    match after[marker..].iter().find(|t| !is_marker(t)) {
        Some(value) if value.is_number() => Ok(vec![Fact {
            n: n_value,
            value: value.text,
        }]),
        Some(value) if matches!(value.kind, Kind::List | Kind::Dict) => Ok(listed(value)),
        Some(_) => Ok(Vec::new()),
        None => Err(Rejection::at(
            line,
            rules::UNREADABLE_RECORD,
            format!("names the factorial of {n_value} but prints no value after it"),
        )),
    }
}

/// Words a line may have around a bare pair (`Result for 5: 120`, `n = 5 -> 120`).
const PAIR_WORDS: &[&str] = &[
    "result", "results", "for", "of", "n", "number", "input", "output", "value", "the", "is",
    "task",
];

/// A line with no `factorial` and no `N!`: `5 -> 120` (with at most a few words
/// such as `Result for`), or a list of results.
fn bare<'t>(tokens: &[Token<'t>]) -> Vec<Fact<'t>> {
    let numbers: Vec<usize> = (0..tokens.len())
        .filter(|&i| tokens[i].is_number())
        .collect();
    // Few words besides the pair, or a word saying the second number is a result
    // (`Future for 5 done: result = 120`).
    let plain = tokens
        .iter()
        .all(|t| t.kind != Kind::Word || t.is_one_of(PAIR_WORDS) || is_marker(t))
        || tokens.iter().any(|t| t.is_word(&["result"]));
    if let [n, value] = numbers[..]
        && plain
        && value > 0
        && is_marker(&tokens[value - 1])
        && let Some(n) = whole(&tokens[n])
    {
        return vec![Fact {
            n,
            value: tokens[value].text,
        }];
    }
    // `All results: 1: 1, 2: 2, 3: 6`: pairs side by side.
    let pairs: Vec<Fact<'t>> = tokens
        .windows(3)
        .filter(|w| is_marker(&w[1]) && w[2].is_number())
        .filter_map(|w| {
            Some(Fact {
                n: whole(&w[0])?,
                value: w[2].text,
            })
        })
        .collect();
    if pairs.len() >= 2 && plain {
        return pairs;
    }
    let lists: Vec<&Token<'t>> = tokens
        .iter()
        .filter(|t| matches!(t.kind, Kind::List | Kind::Dict))
        .collect();
    let words: Vec<&Token<'t>> = tokens.iter().filter(|t| t.kind == Kind::Word).collect();
    match lists[..] {
        [list] if words.is_empty() || words.iter().any(|w| w.is_word(LIST_WORDS)) => listed(list),
        _ => Vec::new(),
    }
}

/// The facts of `[v1, v2, …]` (the factorials of 1, 2, … in turn), of
/// `{n: v, …}`, or of `[(n, v), …]`.
fn listed<'t>(list: &Token<'t>) -> Vec<Fact<'t>> {
    let inner: &'t str = &list.text[1..list.text.len() - 1];
    // Nested pairs (`{"n": 1, "factorial": 1}`, `[1, 1]`) count as pairs too.
    let numbers = all_numbers(list);
    let paired = list.kind == Kind::Dict || inner.contains(['(', '[', '{']);
    if paired {
        numbers
            .chunks_exact(2)
            .filter_map(|pair| {
                Some(Fact {
                    n: pair[0].parse().ok()?,
                    value: pair[1],
                })
            })
            .collect()
    } else {
        (1..)
            .zip(numbers)
            .map(|(n, value)| Fact { n, value })
            .collect()
    }
}

/// A whole number ≥ 0 as n.
fn whole(token: &Token<'_>) -> Option<u64> {
    (token.kind == Kind::Int)
        .then(|| token.text.parse().ok())
        .flatten()
}

/// A table's heading (`n    n!`, `Number | Factorial`): no number, a word for n
/// and one for its factorial.
pub(super) fn table_heading(tokens: &[Token<'_>]) -> bool {
    !tokens.iter().any(Token::is_number)
        && tokens
            .iter()
            .any(|t| t.is_one_of(&["n", "number", "num", "x"]))
        && tokens
            .iter()
            .any(|t| t.is_sym("!") || t.is_word(&["fact", "result", "value"]))
}

/// A row under such a heading: two whole numbers and nothing but symbols.
pub(super) fn table_row<'t>(tokens: &[Token<'t>]) -> Option<Fact<'t>> {
    let numbers: Vec<&Token<'t>> = tokens.iter().filter(|t| t.kind != Kind::Sym).collect();
    match numbers[..] {
        [n, value] if n.kind == Kind::Int && value.is_number() => Some(Fact {
            n: whole(n)?,
            value: value.text,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::tokens::tokenize;

    fn facts(text: &str) -> Result<Vec<(u64, String)>, &'static str> {
        let line = Line {
            number: 1,
            text: text.to_owned(),
        };
        read_line(&line, &tokenize(&line.text))
            .map(|facts| {
                facts
                    .into_iter()
                    .map(|f| (f.n, f.value.to_owned()))
                    .collect()
            })
            .map_err(|r| r.rule.id)
    }

    fn one(n: u64, value: &str) -> Result<Vec<(u64, String)>, &'static str> {
        Ok(vec![(n, value.to_owned())])
    }

    #[test]
    fn reads_a_factorial_in_any_wording() {
        for text in [
            "Factorial of 3 is 6",
            "Factorial of 3: 6",
            "The factorial of 3 is 6.",
            "factorial(3) = 6",
            "3! = 6",
            "3 -> 6",
            "Thread ThreadPoolExecutor-0_1: factorial of 3 is 6",
            "FACTORIAL OF 3 IS 6",
            "Factorial 3 equals 6 (computed in a pool)",
            "Number: 3, Factorial: 6",
            "Result for 3: 6",
            "Input: 3, Output: 6",
            "fact(3) = 6",
            "Task 3 returned 6",
            "3 factorial is 6",
            "Number\t3\tFactorial\t6",
            "Number 3, Factorial 6.",
            "3! Factorial: 6",
        ] {
            assert_eq!(facts(text), one(3, "6"), "{text}");
        }
        assert_eq!(facts("Factorial of 3 is 6.0"), one(3, "6.0"));
        assert_eq!(facts("Factorial of 3 is -6"), one(3, "-6"));
    }

    #[test]
    fn reads_several_on_one_line_and_lists() {
        assert_eq!(
            facts("1! = 1, 2! = 2, 3! = 6"),
            Ok(vec![(1, "1".into()), (2, "2".into()), (3, "6".into())])
        );
        assert_eq!(
            facts("Factorials: [1, 2, 6]"),
            Ok(vec![(1, "1".into()), (2, "2".into()), (3, "6".into())])
        );
        assert_eq!(
            facts("Results: {1: 1, 3: 6}"),
            Ok(vec![(1, "1".into()), (3, "6".into())])
        );
        assert_eq!(
            facts("[(2, 2), (3, 6)]"),
            Ok(vec![(2, "2".into()), (3, "6".into())])
        );
        assert_eq!(
            facts("Factorials of the first 3 numbers: [1, 2, 6]"),
            Ok(vec![(1, "1".into()), (2, "2".into()), (3, "6".into())])
        );
    }

    #[test]
    fn lines_without_a_value_are_noise_or_unreadable() {
        for noise in [
            "Calculating factorial of 3",
            "Factorials of numbers 1 to 10:",
            "Factorial of 3 is being computed",
            "Time taken: 0.0012 seconds",
            "Numbers: [1, 2, 3]",
            "Factorials:",
            "All threads done.",
            "Thread 3: 6",
            "Task 3 took 6 ms",
            "Factorial of 3 is a big number",
        ] {
            assert_eq!(facts(noise), Ok(vec![]), "{noise}");
        }
        assert_eq!(facts("Factorial of 3 is"), Err("unreadable-record"));
        assert_eq!(
            facts("Factorial of 3 is 6Factorial of 4 is 24"),
            Err("interleaved-lines")
        );
    }
}
