//! A line cut into tokens: words, numbers, bracketed lists, and symbols.
//!
//! Checkers read facts from tokens rather than from fixed text, so that the same
//! fact is found whatever words, case, punctuation or spacing surround it. A token
//! remembers whether it touches the one before it (no space between), which is how
//! two records glued together by interleaved writes are told from two records a
//! program put on one line on purpose.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters, then letters, digits and `_` (`Thread-1` and `worker_3` are one word;
    /// a capital after a small letter starts a new one, so `listRemoved` is two).
    Word,
    /// A whole number, with an optional `-`: `42`, `-3`.
    Int,
    /// A number with a fraction or an exponent: `0.0123`, `1e-05`.
    Decimal,
    /// Everything from `[` to its matching `]`.
    List,
    /// Everything from `{` to its matching `}`.
    Dict,
    /// Any other character (`->` and `=>` are one symbol).
    Sym,
}

/// One token of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token<'t> {
    /// What it is.
    pub(crate) kind: Kind,
    /// Its text, as printed.
    pub(crate) text: &'t str,
    /// A word's text in lower case, for matching (empty for other tokens).
    pub(crate) lower: String,
    /// Where it starts in the line, in bytes.
    pub(crate) start: usize,
    /// Where it ends in the line, in bytes.
    pub(crate) end: usize,
    /// Whether it touches the token before it.
    pub(crate) glued: bool,
}

impl Token<'_> {
    /// Whether it is a word starting with one of `stems` (`"remov"` matches
    /// `Removed`, `removing` and `REMOVE`). A snake_case name is read by its last
    /// part, so `items_removed` matches too.
    pub(crate) fn is_word(&self, stems: &[&str]) -> bool {
        self.kind == Kind::Word && stems.iter().any(|stem| self.last_part().starts_with(stem))
    }

    /// Whether it is exactly one of `words`, in any case; a snake_case name by its
    /// last part (`pool_size` is `size`, `time_taken` is `taken`).
    pub(crate) fn is_one_of(&self, words: &[&str]) -> bool {
        self.kind == Kind::Word
            && (words.contains(&self.lower.as_str()) || words.contains(&self.last_part()))
    }

    /// A word's last `_`-separated part, in lower case.
    fn last_part(&self) -> &str {
        self.lower
            .rsplit('_')
            .find(|part| !part.is_empty())
            .unwrap_or(&self.lower)
    }

    /// Whether it is the symbol `sym`.
    pub(crate) fn is_sym(&self, sym: &str) -> bool {
        self.kind == Kind::Sym && self.text == sym
    }

    /// Whether it is a number, whole or not.
    pub(crate) fn is_number(&self) -> bool {
        matches!(self.kind, Kind::Int | Kind::Decimal)
    }
}

/// Cuts `line` into tokens; whitespace separates tokens and is dropped.
///
/// ```text
/// "Added: 3, List: [1, 3]"  →  Added · : · 3 · , · List · : · [1, 3]
/// ```
pub(crate) fn tokenize(line: &str) -> Vec<Token<'_>> {
    let mut tokens: Vec<Token<'_>> = Vec::new();
    let mut at = 0;
    let mut spaced = true;
    while let Some(c) = line[at..].chars().next() {
        if c.is_whitespace() || c == '\u{feff}' {
            at += c.len_utf8();
            spaced = true;
            continue;
        }
        let sign_allowed = spaced
            || tokens
                .last()
                .is_some_and(|t| t.kind == Kind::Sym && "([{:=,".contains(t.text));
        let (kind, end) = match c {
            '[' | '{' => bracketed(line, at),
            '0'..='9' => number(line, at),
            '-' if sign_allowed && next_is_digit(line, at + 1) => number(line, at),
            c if c.is_alphabetic() || c == '_' => (Kind::Word, word(line, at)),
            '-' | '=' if line[at + 1..].starts_with('>') => (Kind::Sym, at + 2),
            c => (Kind::Sym, at + c.len_utf8()),
        };
        tokens.push(Token {
            kind,
            text: &line[at..end],
            lower: match kind {
                Kind::Word => line[at..end].to_lowercase(),
                _ => String::new(),
            },
            start: at,
            end,
            glued: !spaced && !tokens.is_empty(),
        });
        at = end;
        spaced = false;
    }
    tokens
}

fn next_is_digit(line: &str, at: usize) -> bool {
    line.as_bytes().get(at).is_some_and(u8::is_ascii_digit)
}

/// A number from `at`: `-`? digits, then `.digits` and `e±digits` when present.
fn number(line: &str, at: usize) -> (Kind, usize) {
    let bytes = line.as_bytes();
    let digits_from = |mut i: usize| {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let mut end = digits_from(at + usize::from(bytes[at] == b'-'));
    let mut kind = Kind::Int;
    if bytes.get(end) == Some(&b'.') && next_is_digit(line, end + 1) {
        end = digits_from(end + 1);
        kind = Kind::Decimal;
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(end + 1), Some(b'-' | b'+')));
        if next_is_digit(line, end + 1 + sign) {
            end = digits_from(end + 1 + sign);
            kind = Kind::Decimal;
        }
    }
    (kind, end)
}

/// A word from `at`: stops at a character that is not a letter, digit or `_`
/// (a `-` followed by a digit is kept, as in `Thread-1`), and before a capital
/// that follows a small letter.
fn word(line: &str, at: usize) -> usize {
    let mut end = at;
    let mut previous: Option<char> = None;
    let mut chars = line[at..].char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        let next_is_digit = chars.peek().is_some_and(|(_, n)| n.is_ascii_digit());
        let continues = c.is_alphanumeric() || c == '_' || (c == '-' && next_is_digit);
        let new_word = c.is_uppercase() && previous.is_some_and(char::is_lowercase);
        if !continues || new_word {
            break;
        }
        end = at + offset + c.len_utf8();
        previous = Some(c);
    }
    end
}

/// `[…]` or `{…}` from `at`, to the bracket that closes it; an unclosed bracket is
/// a symbol on its own (a list cut short reads as no list).
fn bracketed(line: &str, at: usize) -> (Kind, usize) {
    let (open, close, kind) = match line.as_bytes()[at] {
        b'[' => (b'[', b']', Kind::List),
        _ => (b'{', b'}', Kind::Dict),
    };
    let mut depth = 0usize;
    for (i, &b) in line.as_bytes()[at..].iter().enumerate() {
        if b == open {
            depth += 1;
        } else if b == close {
            depth -= 1;
            if depth == 0 {
                return (kind, at + i + 1);
            }
        }
    }
    (Kind::Sym, at + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(line: &str) -> Vec<(Kind, &str, bool)> {
        tokenize(line)
            .into_iter()
            .map(|t| (t.kind, t.text, t.glued))
            .collect()
    }

    #[test]
    fn cuts_words_numbers_lists_and_symbols() {
        use Kind::*;
        assert_eq!(
            kinds("Added: 3, List: [1, 3]"),
            [
                (Word, "Added", false),
                (Sym, ":", true),
                (Int, "3", false),
                (Sym, ",", true),
                (Word, "List", false),
                (Sym, ":", true),
                (List, "[1, 3]", false),
            ]
        );
        assert_eq!(
            kinds("Time: 1.5e-05s -> 12.0"),
            [
                (Word, "Time", false),
                (Sym, ":", true),
                (Decimal, "1.5e-05", false),
                (Word, "s", true),
                (Sym, "->", false),
                (Decimal, "12.0", false),
            ]
        );
    }

    #[test]
    fn names_with_numbers_are_words_and_glued_records_split() {
        use Kind::*;
        assert_eq!(
            kinds("Thread-1 worker_3 6Factorial listRemoved 10!"),
            [
                (Word, "Thread-1", false),
                (Word, "worker_3", false),
                (Int, "6", false),
                (Word, "Factorial", true),
                (Word, "list", false),
                (Word, "Removed", true),
                (Int, "10", false),
                (Sym, "!", true),
            ]
        );
    }

    #[test]
    fn a_minus_is_a_sign_only_where_a_number_may_start() {
        use Kind::*;
        assert_eq!(
            kinds("1-1000 is -3, [-2]"),
            [
                (Int, "1", false),
                (Sym, "-", true),
                (Int, "1000", true),
                (Word, "is", false),
                (Int, "-3", false),
                (Sym, ",", true),
                (List, "[-2]", false),
            ]
        );
    }

    #[test]
    fn an_unclosed_bracket_is_a_symbol_and_a_bom_is_space() {
        use Kind::*;
        assert_eq!(
            kinds("\u{feff}[0, 1"),
            [
                (Sym, "[", false),
                (Int, "0", true),
                (Sym, ",", true),
                (Int, "1", false)
            ]
        );
    }
}
