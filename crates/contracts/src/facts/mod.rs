//! Reading facts, not lines: what every contract shares.
//!
//! A contract names the facts a correct answer must show (a number added, a
//! factorial, a pool size and its time) and each checker finds them in any
//! reasonable layout, from `tokens.rs`: labels in any words, any case, punctuation
//! and spacing around the numbers that matter. The rules here hold for every
//! exercise:
//!
//! - a line that carries no fact is *noise*: listed, never fatal, and never an
//!   excuse for a missing fact;
//! - a line that looks like a record but cannot be read is an error
//!   ([`rules::UNREADABLE_RECORD`]);
//! - two records glued on one line are two writers' output interleaved
//!   ([`rules::INTERLEAVED`]);
//! - with `--strict`, every line must be one of the contract's exact lines
//!   (`Strict`, [`rules::UNRECOGNISED_LINE`]).

pub(crate) mod tokens;

use crate::{Accepted, Checker, Line, Rejection, Transcript};
use tokens::{Kind, Token};

/// The rules every fact-reading contract shares, defined in [`crate::rules`].
pub mod rules {
    pub use crate::rules::{INTERLEAVED, UNREADABLE_RECORD, UNRECOGNISED_LINE};
}

/// Whether the line is a rule of symbols only (`-----`, `=====`, or nothing at all):
/// under a table's heading it keeps the table going.
pub(crate) fn is_rule(tokens: &[Token<'_>]) -> bool {
    tokens.iter().all(|token| token.kind == Kind::Sym)
}

/// Whether a list on the line is cut short: a `[` that nothing closes, other than
/// the start of a half-open interval such as `[1, 1000)`.
pub(crate) fn cut_list(tokens: &[Token<'_>]) -> bool {
    tokens.iter().enumerate().any(|(i, token)| {
        let interval = matches!(
            tokens.get(i + 1..i + 5),
            Some([a, comma, b, close])
                if a.is_number() && comma.is_sym(",") && b.is_number() && close.is_sym(")")
        );
        token.is_sym("[") && !interval
    })
}

/// The numbers a `[…]` token holds, as printed, when it is a list of numbers
/// (`[1, 2.5, -3]`, `[]`); `None` for anything else (`[Thread-1]`, `['a']`).
pub(crate) fn number_list<'t>(token: &Token<'t>) -> Option<Vec<&'t str>> {
    if token.kind != Kind::List {
        return None;
    }
    let inner: &'t str = &token.text[1..token.text.len() - 1];
    let items = tokens::tokenize(inner);
    let mut numbers = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let wanted = if i % 2 == 0 {
            item.is_number()
        } else {
            item.is_sym(",")
        };
        if !wanted {
            return None;
        }
        if item.is_number() {
            numbers.push(item.text);
        }
    }
    (items.is_empty() || items.len() % 2 == 1).then_some(numbers)
}

/// `tokens` with each bracketed tag (`[pool=2]`, `[Worker 3]`: brackets around
/// no list) and each list of strings (`['1! = 1', '2! = 2']`) opened, so that the
/// words and numbers inside are read like any.
pub(crate) fn open_tags<'t>(tokens: Vec<Token<'t>>) -> Vec<Token<'t>> {
    let mut opened = Vec::with_capacity(tokens.len());
    for token in tokens {
        let opens = token.kind == Kind::List
            && (token.text.contains(['\'', '"'])
                || !token.text[1..].contains(['[', ',']) && number_list(&token).is_none());
        let inner: &'t str = match opens {
            true => &token.text[1..token.text.len() - 1],
            _ => {
                opened.push(token);
                continue;
            }
        };
        let offset = token.start + 1;
        opened.extend(tokens::tokenize(inner).into_iter().map(|inside| Token {
            start: inside.start + offset,
            end: inside.end + offset,
            ..inside
        }));
    }
    opened
}

/// Every number inside a bracketed token, nested lists flattened in order
/// (`[[2, 3], [5]]` gives 2, 3, 5).
pub(crate) fn all_numbers<'t>(token: &Token<'t>) -> Vec<&'t str> {
    let inner: &'t str = &token.text[1..token.text.len() - 1];
    let mut numbers = Vec::new();
    for item in tokens::tokenize(inner) {
        match item.kind {
            Kind::Int | Kind::Decimal => numbers.push(item.text),
            Kind::List | Kind::Dict => numbers.extend(all_numbers(&item)),
            _ => {}
        }
    }
    numbers
}

/// The lines that carried no fact, by number, for the report.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Noise(Vec<usize>);

impl Noise {
    /// Notes `line` as noise.
    pub(crate) fn push(&mut self, line: &Line) {
        self.0.push(line.number);
    }

    /// The acceptance: `summary`, with the noise lines listed in order.
    pub(crate) fn accept(self, summary: String) -> Accepted {
        let mut ignored = self.0;
        ignored.sort_unstable();
        ignored.dedup();
        Accepted { summary, ignored }
    }
}

/// Refuses a line where a complete record runs straight into the start of
/// another (`…is 6Factorial of 4…`, `…[997]Primes between…`): two writers'
/// text joined because neither wrote its line in one piece. `starts` are the
/// indices of the tokens that begin a record, and `complete` says whether the
/// tokens from one start to the next hold a whole record: a progress line glued
/// to a record (`Calculating factorial of 10Factorial of 3 is 6`) garbles no
/// record, and the record is read. A record glued after an opening bracket or
/// quote, or after a separator (`Pool size:2,Time taken:0.0123`), is one
/// writer's fields run together by its own punctuation: no writer's line ends
/// in a separator.
pub(crate) fn glued_records(
    line: &Line,
    tokens: &[Token<'_>],
    starts: &[usize],
    complete: impl Fn(&[Token<'_>]) -> bool,
) -> Result<(), Rejection> {
    let glued = starts.iter().enumerate().skip(1).find_map(|(k, &i)| {
        let joined = tokens[i].glued
            && !["(", "[", "'", "\"", ",", ";", "|"]
                .iter()
                .any(|sym| tokens[i - 1].is_sym(sym));
        let before = if k == 1 { 0 } else { starts[k - 1] };
        (joined && complete(&tokens[before.min(i)..i])).then_some(i)
    });
    let Some(at) = glued else {
        return Ok(());
    };
    let split = tokens[at].start;
    let first = line.text[..split].trim();
    let second = line.text[split..].trim();
    Err(Rejection::at(
        line,
        rules::INTERLEAVED,
        format!(
            "two records share this line, `{}` and `{}`: two writers' output interleaved; each line must be written whole",
            shorten(first),
            shorten(second)
        ),
    ))
}

/// `text`, cut to its first 40 characters with `…` when longer.
pub(crate) fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Exact-line checking, for `--strict`: every line must match one of the
/// contract's line templates before the facts are checked. In a template, `{}`
/// stands for one number or one bracketed list.
#[derive(Debug)]
pub(crate) struct Strict {
    /// The contract's lines.
    pub(crate) templates: &'static [&'static str],
    /// The checker of the facts.
    pub(crate) facts: Box<dyn Checker>,
}

impl Checker for Strict {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        // A contract without templates is already read line by line, exactly.
        let exact_lines = if self.templates.is_empty() {
            &[][..]
        } else {
            transcript.lines()
        };
        for line in exact_lines {
            if !self
                .templates
                .iter()
                .any(|t| matches_template(&line.text, t))
            {
                return Err(Rejection::at(
                    line,
                    rules::UNRECOGNISED_LINE,
                    format!(
                        "not one of the contract's lines ({})",
                        self.templates.join(", ").replace("{}", "…")
                    ),
                ));
            }
        }
        self.facts.check(transcript)
    }
}

/// Whether `text` is `template` with each `{}` replaced by a number or a list.
pub(crate) fn matches_template(text: &str, template: &str) -> bool {
    let mut pieces = template.split("{}");
    let Some(mut rest) = text.strip_prefix(pieces.next().unwrap_or_default()) else {
        return false;
    };
    for literal in pieces {
        let first = tokens::tokenize(rest).into_iter().next();
        match first {
            Some(token)
                if token.start == 0
                    && (token.is_number() || matches!(token.kind, Kind::List | Kind::Dict)) =>
            {
                rest = &rest[token.end..];
            }
            _ => return false,
        }
        match rest.strip_prefix(literal) {
            Some(after) => rest = after,
            None => return false,
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_numbers_and_lists_in_place() {
        assert!(matches_template(
            "Added 3 to the list.",
            "Added {} to the list."
        ));
        assert!(matches_template(
            "Removed 3 from the list. Current list: [4, 5]",
            "Removed {} from the list. Current list: {}"
        ));
        assert!(matches_template(
            "Time taken: 1e-05 seconds",
            "Time taken: {} seconds"
        ));
        assert!(!matches_template(
            "Added 3 to list.",
            "Added {} to the list."
        ));
        assert!(!matches_template(
            "Added x to the list.",
            "Added {} to the list."
        ));
        assert!(!matches_template(
            "Added 3 to the list. ",
            "Added {} to the list."
        ));
        assert!(!matches_template(
            "Added  3 to the list.",
            "Added {} to the list."
        ));
    }

    #[test]
    fn number_lists_are_lists_of_numbers_only() {
        fn list(text: &str) -> Option<Vec<&str>> {
            number_list(&tokens::tokenize(text)[0])
        }
        assert_eq!(list("[1, 2.5, -3]"), Some(vec!["1", "2.5", "-3"]));
        assert_eq!(list("[]"), Some(vec![]));
        for not in [
            "[Thread-1]",
            "['a']",
            "[1,, 2]",
            "[1, 2,]",
            "[1 2]",
            "[[1]]",
        ] {
            assert_eq!(list(not), None, "{not}");
        }
    }

    #[test]
    fn glued_records_are_named_and_separated_ones_pass() {
        let line = Line {
            number: 4,
            text: "Factorial of 3 is 6Factorial of 4 is 24".into(),
        };
        let tokens = tokens::tokenize(&line.text);
        let starts: Vec<usize> = (0..tokens.len())
            .filter(|&i| tokens[i].is_word(&["factorial"]))
            .collect();
        let rejection = glued_records(&line, &tokens, &starts, |_| true).unwrap_err();
        assert_eq!(rejection.rule, rules::INTERLEAVED);
        assert!(
            rejection
                .reason
                .contains("`Factorial of 3 is 6` and `Factorial of 4 is 24`"),
            "{}",
            rejection.reason
        );
        let spaced = Line {
            number: 1,
            text: "Factorial of 3 is 6, Factorial of 4 is 24".into(),
        };
        let tokens = tokens::tokenize(&spaced.text);
        assert!(glued_records(&spaced, &tokens, &[0, 6], |_| true).is_ok());
    }
}
