//! Reading a bracketed value as Python (or NumPy, or another language) prints it:
//! lists and tuples of numbers, `None`, strings, nested pairs and dicts.
//!
//! Checkers use it to read a printed result in whatever shape the program gave
//! it (`[1, 4, 9]`, `[1.0, 4.0]`, `[(1, 1), (2, 4)]`, `{1: 1, 2: 4}`, NumPy's
//! `[ 1  4  9]`), so that a result which is present and wrong is seen as wrong
//! instead of being taken for noise.

/// A printed value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value<'t> {
    /// A number, as printed (`4`, `4.0`, `-1e-05`; `np.int64(4)` gives `4`).
    Number(&'t str),
    /// `None` (or `null`).
    None,
    /// A quoted string, its text without the quotes.
    Text(&'t str),
    /// A list or a tuple.
    Seq(Vec<Value<'t>>),
    /// A dict's pairs, in order.
    Map(Vec<(Value<'t>, Value<'t>)>),
    /// Anything else: a bare word (`True`, `nan`, `Ellipsis`), as printed.
    Word(&'t str),
}

impl<'t> Value<'t> {
    /// The number it holds, when it is a number.
    pub(crate) fn number(&self) -> Option<f64> {
        match self {
            Value::Number(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// Whether it is a number or `None`: a single result.
    pub(crate) fn is_scalar(&self) -> bool {
        matches!(self, Value::Number(_) | Value::None)
    }

    /// The two items of a pair (a 2-tuple or a 2-list).
    pub(crate) fn pair(&self) -> Option<(&Value<'t>, &Value<'t>)> {
        match self {
            Value::Seq(items) if items.len() == 2 => Some((&items[0], &items[1])),
            _ => None,
        }
    }

    /// How it reads in a message: as printed, for a scalar.
    pub(crate) fn shown(&self) -> String {
        match self {
            Value::Number(text) | Value::Word(text) => (*text).to_owned(),
            Value::None => "None".to_owned(),
            Value::Text(text) => format!("'{text}'"),
            Value::Seq(_) | Value::Map(_) => "a collection".to_owned(),
        }
    }
}

/// Parses `text` whole as one value; `None` when it is not one.
pub(crate) fn parse(text: &str) -> Option<Value<'_>> {
    let mut parser = Parser { text, at: 0 };
    let value = parser.value()?;
    parser.space();
    (parser.at == text.len()).then_some(value)
}

struct Parser<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Parser<'t> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.space();
        let found = self.peek() == Some(byte);
        self.at += usize::from(found);
        found
    }

    fn value(&mut self) -> Option<Value<'t>> {
        self.space();
        match self.peek()? {
            b'[' => self.seq(b']'),
            b'(' => self.seq(b')'),
            b'{' => self.map(),
            b'\'' | b'"' => self.string(),
            b'-' | b'+' | b'.' | b'0'..=b'9' => self.number(),
            b if b.is_ascii_alphabetic() || b == b'_' => self.word(),
            _ => None,
        }
    }

    /// Items up to `close`, separated by commas, or by spaces alone (NumPy).
    fn seq(&mut self, close: u8) -> Option<Value<'t>> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            if self.eat(close) {
                return Some(Value::Seq(items));
            }
            items.push(self.value()?);
            let before = self.at;
            if self.eat(b',') || self.peek() == Some(close) {
                continue;
            }
            // NumPy's `[ 1  4  9]`: items apart by spaces only.
            if self.at == before {
                return None;
            }
        }
    }

    fn map(&mut self) -> Option<Value<'t>> {
        self.at += 1;
        let mut pairs = Vec::new();
        loop {
            if self.eat(b'}') {
                return Some(Value::Map(pairs));
            }
            let key = self.value()?;
            if !self.eat(b':') {
                return None;
            }
            pairs.push((key, self.value()?));
            if !self.eat(b',') && self.peek() != Some(b'}') {
                return None;
            }
        }
    }

    fn string(&mut self) -> Option<Value<'t>> {
        let quote = self.peek()?;
        let start = self.at + 1;
        let end = start + self.text[start..].bytes().position(|b| b == quote)?;
        self.at = end + 1;
        Some(Value::Text(&self.text[start..end]))
    }

    fn number(&mut self) -> Option<Value<'t>> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let mut end = start;
        while bytes.get(end).is_some_and(|&b| {
            b.is_ascii_digit()
                || matches!(b, b'.' | b'e' | b'E')
                || (matches!(b, b'-' | b'+')
                    && (end == start || matches!(bytes[end - 1], b'e' | b'E')))
        }) {
            end += 1;
        }
        let text = &self.text[start..end];
        text.parse::<f64>().ok()?;
        self.at = end;
        Some(Value::Number(text))
    }

    /// A bare word, or a call around one number (`np.int64(4)`, `Decimal(4)`).
    fn word(&mut self) -> Option<Value<'t>> {
        let start = self.at;
        let bytes = self.text.as_bytes();
        let mut end = start;
        while bytes
            .get(end)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        {
            end += 1;
        }
        self.at = end;
        let word = &self.text[start..end];
        if self.peek() == Some(b'(') {
            self.at += 1;
            let inner = self.value()?;
            if !self.eat(b')') {
                return None;
            }
            return matches!(inner, Value::Number(_)).then_some(inner);
        }
        Some(match word {
            "None" | "null" => Value::None,
            _ => Value::Word(word),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(text: &str) -> Vec<f64> {
        match parse(text) {
            Some(Value::Seq(items)) => items.iter().filter_map(Value::number).collect(),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn reads_lists_in_every_printed_style() {
        let squares = vec![1.0, 4.0, 9.0];
        for text in [
            "[1, 4, 9]",
            "[1,4,9]",
            "[1.0, 4.0, 9.0]",
            "[ 1  4  9]",
            "(1, 4, 9)",
            "[np.int64(1), np.int64(4), np.int64(9)]",
            "[1, 4, 9, ]",
        ] {
            assert_eq!(numbers(text), squares, "{text}");
        }
        assert_eq!(parse("[]"), Some(Value::Seq(Vec::new())));
    }

    #[test]
    fn reads_pairs_dicts_none_and_strings() {
        let pairs = parse("[(1, 1), (3, None)]").unwrap();
        let Value::Seq(items) = pairs else {
            panic!("not a list")
        };
        assert_eq!(items[1].pair(), Some((&Value::Number("3"), &Value::None)));
        assert_eq!(
            parse("{1: 1, 2: 4.0}"),
            Some(Value::Map(vec![
                (Value::Number("1"), Value::Number("1")),
                (Value::Number("2"), Value::Number("4.0")),
            ]))
        );
        assert_eq!(
            parse("['a', \"b\"]"),
            Some(Value::Seq(vec![Value::Text("a"), Value::Text("b")]))
        );
        assert_eq!(parse("[True]"), Some(Value::Seq(vec![Value::Word("True")])));
    }

    #[test]
    fn refuses_what_is_not_one_value() {
        for text in [
            "[1, 2",
            "[1 2]]",
            "{1 2}",
            "[Thread-1]",
            "[pool=2]",
            "[-]",
            "[1, 2] x",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
