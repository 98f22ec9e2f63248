//! Reading ex03's facts from a line: a range and its primes (or their count), in
//! sentences, dicts, and lists that name their ranges ahead.

use crate::facts::tokens::{Kind, Token, tokenize};
use crate::facts::{all_numbers, cut_list, glued_records, number_list};
use crate::{Line, Rejection};

use super::rules;

/// What a record says of its range's primes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Primes<'t> {
    /// The primes, as printed.
    Listed(Vec<&'t str>),
    /// Only how many there are.
    Counted(u64),
}

/// A range as a line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Range {
    pub(super) start: u64,
    pub(super) end: u64,
}

/// What one line says.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Said<'t> {
    pub(super) range: Option<Range>,
    pub(super) primes: Option<Primes<'t>>,
    /// The records of a dict of ranges and their lists.
    pub(super) dict: Vec<(Range, Vec<&'t str>)>,
    /// Ranges named ahead of their lists (`Ranges: [(1, 1000), …]`).
    pub(super) declared: Vec<Range>,
}

/// Words after which two whole numbers are a range.
const RANGE_WORDS: &[&str] = &["between", "range", "from", "in", "for", "ranges"];

/// Reads a line's range and primes, either of which may be missing.
pub(super) fn read_line<'t>(line: &Line, tokens: &[Token<'t>]) -> Result<Said<'t>, Rejection> {
    // A bracketed tag such as `[PID 4000]` is no list of primes, and a list of
    // pairs (`[(1, 1000), (1000, 2000)]`) names ranges.
    let lists: Vec<usize> = (0..tokens.len())
        .filter(|&i| {
            tokens[i].kind == Kind::List && !is_tag(&tokens[i]) && !tokens[i].text.contains('(')
        })
        .collect();
    let declared = tokens
        .iter()
        .filter(|t| t.kind == Kind::List && t.text.contains('('))
        .flat_map(declared_ranges)
        .collect();
    let starts: Vec<usize> = (0..tokens.len())
        .filter(|&i| tokens[i].is_word(&["prime", "range"]))
        .collect();
    glued_records(line, tokens, &starts, |_| true)?;
    if lists.len() > 1 {
        let second = &tokens[lists[1]];
        if second.glued || lists.len() > 2 {
            return Err(Rejection::at(
                line,
                crate::facts::rules::INTERLEAVED,
                "two lists share this line: two writers' output interleaved; each line must be written whole",
            ));
        }
    }
    if cut_list(tokens) {
        return Err(Rejection::at(
            line,
            rules::UNREADABLE_RECORD,
            "the list on this line is cut short (no closing `]`)",
        ));
    }
    // `Range [1, 999]:`: two numbers in brackets after a range word are the range.
    if let [at] = lists[..]
        && let Some([start, end]) = number_list(&tokens[at]).as_deref()
        && tokens[..at]
            .iter()
            .rev()
            .take(2)
            .any(|t| t.is_one_of(RANGE_WORDS))
        && let (Ok(start), Ok(end)) = (start.parse(), end.parse())
    {
        return Ok(Said {
            range: Some(Range { start, end }),
            ..Said::default()
        });
    }
    let before = lists.first().copied().unwrap_or(tokens.len());
    let ints: Vec<usize> = (0..before)
        .filter(|&i| tokens[i].kind == Kind::Int)
        .collect();
    // Unlabelled, the last two numbers before the list, in either order (`Primes
    // below 1000 (from 1)`).
    let range = ranged(tokens, &ints).or_else(|| match ints[..] {
        [.., a, b] if lists.len() == 1 => pair(tokens, a, b).map(|r| Range {
            start: r.start.min(r.end),
            end: r.start.max(r.end),
        }),
        _ => None,
    });
    let primes = match lists.first() {
        Some(&at) => match number_list(&tokens[at]) {
            Some(items) => Some(Primes::Listed(items)),
            // `[[2, 3, …], [1009, …], …]`: each range's list, in one list.
            None if tokens[at].text[1..].contains('[') => {
                Some(Primes::Listed(all_numbers(&tokens[at])))
            }
            None => {
                return Err(Rejection::at(
                    line,
                    rules::WRONG_PRIMES,
                    format!("`{}` is not a list of whole numbers", tokens[at].text),
                ));
            }
        },
        None => counted(tokens, &ints, range).map(Primes::Counted),
    };
    let dict = tokens
        .iter()
        .filter(|t| t.kind == Kind::Dict)
        .flat_map(dict_records)
        .collect();
    Ok(Said {
        range,
        primes,
        dict,
        declared,
    })
}

/// The ranges of `[(1, 1000), (1000, 2000), …]`.
fn declared_ranges(token: &Token<'_>) -> Vec<Range> {
    all_numbers(token)
        .chunks_exact(2)
        .filter_map(|pair| {
            Some(Range {
                start: pair[0].parse().ok()?,
                end: pair[1].parse().ok()?,
            })
        })
        .collect()
}

/// `[PID 4000]`, `[INFO]`: brackets around something that is not a list.
fn is_tag(token: &Token<'_>) -> bool {
    number_list(token).is_none() && !token.text[1..].contains(['[', ','])
}

/// The ranges and lists of `{(1, 1000): [2, 3, …], (1000, 2000): […]}`.
fn dict_records<'t>(token: &Token<'t>) -> Vec<(Range, Vec<&'t str>)> {
    let inner: &'t str = &token.text[1..token.text.len() - 1];
    let items = tokenize(inner);
    let mut records = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let key = items.get(i.wrapping_sub(6)..i);
        if let (Some([open, a, comma, b, close, colon]), Some(list)) = (key, number_list(item))
            && open.is_sym("(")
            && comma.is_sym(",")
            && close.is_sym(")")
            && colon.is_sym(":")
            && let (Ok(start), Ok(end)) = (a.text.parse(), b.text.parse())
        {
            records.push((Range { start, end }, list));
        }
    }
    records
}

/// The range after a range word: `between 1 and 1000`, `range(1, 1000)`, `1-1000`.
fn ranged(tokens: &[Token<'_>], ints: &[usize]) -> Option<Range> {
    ints.windows(2).find_map(|w| {
        let (a, b) = (w[0], w[1]);
        let labelled = tokens[..a]
            .iter()
            .rev()
            .take(2)
            .any(|t| t.is_one_of(RANGE_WORDS));
        let joined = tokens[a + 1..b]
            .iter()
            .all(|t| t.is_one_of(&["and", "to", "through"]) || t.kind == Kind::Sym);
        (labelled && joined && b - a <= 3)
            .then(|| pair(tokens, a, b))
            .flatten()
    })
}

fn pair(tokens: &[Token<'_>], a: usize, b: usize) -> Option<Range> {
    Some(Range {
        start: tokens[a].text.parse().ok()?,
        end: tokens[b].text.parse().ok()?,
    })
}

/// A count of primes: a whole number just before `primes`, or after `found`,
/// `count` or `total` (`Found 168 primes`, `count: 168`), or else the one whole
/// number besides the range on a line about primes (`Number of primes between 1
/// and 1000: 168`).
fn counted(tokens: &[Token<'_>], ints: &[usize], range: Option<Range>) -> Option<u64> {
    let labelled = ints.iter().find_map(|&i| {
        let before_primes = tokens.get(i + 1).is_some_and(|t| t.is_word(&["prime"]));
        let after_count = i > 0 && {
            let label = tokens[..i].iter().rev().find(|t| t.kind == Kind::Word);
            label.is_some_and(|t| t.is_word(&["found", "count", "total", "number"]))
                && tokens[i - 1].kind != Kind::Int
        };
        (before_primes || after_count)
            .then(|| tokens[i].text.parse().ok())
            .flatten()
    });
    let Some(range) = range else {
        return labelled;
    };
    let others: Vec<u64> = ints
        .iter()
        .filter_map(|&i| tokens[i].text.parse::<u64>().ok())
        .filter(|&n| n != range.start && n != range.end)
        .collect();
    let about_primes = tokens
        .iter()
        .any(|t| t.is_word(&["prime", "count", "found", "total"]));
    labelled.or(match others[..] {
        [count] if about_primes => Some(count),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::tokens::tokenize;

    /// A line's range and its primes (shown with `Debug`), or the rule it breaks.
    type Reading = Result<(Option<(u64, u64)>, Option<String>), &'static str>;

    fn said(text: &str) -> Reading {
        let line = Line {
            number: 1,
            text: text.to_owned(),
        };
        let tokens = tokenize(&line.text);
        read_line(&line, &tokens)
            .map(|said| {
                (
                    said.range.map(|r| (r.start, r.end)),
                    said.primes.map(|p| format!("{p:?}")),
                )
            })
            .map_err(|r| r.rule.id)
    }

    #[test]
    fn reads_a_range_and_its_primes_in_any_wording() {
        let listed = Some(r#"Listed(["2", "3", "5", "7"])"#.to_owned());
        for text in [
            "Primes between 1 and 10: [2, 3, 5, 7]",
            "Primes in range(1, 10): [2, 3, 5, 7]",
            "Range 1-10: [2, 3, 5, 7]",
            "Process 3: primes from 1 to 10 are [2, 3, 5, 7]",
            "(1, 10): [2,3,5,7]",
            "PRIMES BETWEEN 1 AND 10 -> [2, 3, 5, 7]",
        ] {
            assert_eq!(said(text), Ok((Some((1, 10)), listed.clone())), "{text}");
        }
        assert_eq!(
            said("Found 4 primes between 1 and 10"),
            Ok((Some((1, 10)), Some("Counted(4)".into())))
        );
        assert_eq!(said("Primes between 1 and 10:"), Ok((Some((1, 10)), None)));
        assert_eq!(said("[2, 3, 5, 7]"), Ok((None, listed)));
        assert_eq!(said("Starting 4 processes"), Ok((None, None)));
        // Two numbers with no list and no range word are no range.
        assert_eq!(said("Worker 3 finished after 12 ms"), Ok((None, None)));
        // A range word, then the numbers joined by a comma and `to`.
        assert_eq!(
            said("Range 1, to 10: 4 primes"),
            Ok((Some((1, 10)), Some("Counted(4)".into())))
        );
        for counted in [
            "Primes between 1 and 10, count: 4",
            "Primes between 1 and 10, total 4",
            "Number of primes between 1 and 10 = 4",
        ] {
            assert_eq!(
                said(counted),
                Ok((Some((1, 10)), Some("Counted(4)".into()))),
                "{counted}"
            );
        }
        assert_eq!(said("count: 4"), Ok((None, Some("Counted(4)".into()))));
    }

    #[test]
    fn declared_ranges_are_read_ahead_of_their_lists() {
        let line = Line {
            number: 1,
            text: "Ranges: [(1, 1000), (1000, 2000)]".to_owned(),
        };
        let tokens = tokenize(&line.text);
        let declared: Vec<(u64, u64)> = read_line(&line, &tokens)
            .unwrap()
            .declared
            .iter()
            .map(|r| (r.start, r.end))
            .collect();
        assert_eq!(declared, [(1, 1000), (1000, 2000)]);
    }

    #[test]
    fn glued_and_broken_records_are_refused() {
        assert_eq!(
            said("Primes between 1 and 10: [2, 3, 5, 7]Primes between 10 and 20: [11]"),
            Err("interleaved-lines")
        );
        assert_eq!(
            said("Primes between 1 and 10: [2, 3, 5"),
            Err("unreadable-record")
        );
        assert_eq!(
            said("Primes between 1 and 10: [2, 'x']"),
            Err("wrong-primes")
        );
        // Two lists apart on one line are not two writers; three are.
        assert_eq!(
            said("Primes between 1 and 10: [2, 3, 5, 7] of [1, 2, 3]"),
            Ok((
                Some((1, 10)),
                Some(r#"Listed(["2", "3", "5", "7"])"#.into())
            ))
        );
        assert_eq!(
            said("Primes between 1 and 10: [2, 3, 5, 7] [11] [13]"),
            Err("interleaved-lines")
        );
    }
}
