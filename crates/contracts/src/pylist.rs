//! Reading what programs print: lists of integers the way Python prints them
//! (`[]`, `[1, 2]`), and numbers inside a line's fixed text.

/// Parses a Python-style list of integers. Spaces around items are accepted
/// (`[1,2]` and `[ 1 , 2 ]` are the same list); anything else is `None`.
pub(crate) fn parse_int_list(text: &str) -> Option<Vec<i64>> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
    if inner.is_empty() {
        return Some(Vec::new());
    }
    inner
        .split(',')
        .map(|item| parse_int(item.trim()))
        .collect()
}

/// Parses an integer as Python prints one: optional `-`, then digits.
pub(crate) fn parse_int(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Matches `text` against `template`, where each of its `N` `{}` stands for a
/// whole number; returns the numbers.
pub(crate) fn numbers<const N: usize>(text: &str, template: &str) -> Option<[u64; N]> {
    let found: Vec<u64> = fields(text, template)?
        .into_iter()
        .map(|field| {
            // Digits only: `parse` alone would take `+5`.
            field
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| field.parse().ok())?
        })
        .collect::<Option<_>>()?;
    found.try_into().ok()
}

/// Matches `text` against `template`, where each `{}` stands for any text that
/// is not empty (up to the first place the template's next literal matches; the
/// last runs to the end); returns those texts.
pub(crate) fn fields<'a>(text: &'a str, template: &str) -> Option<Vec<&'a str>> {
    let mut pieces = template.split("{}");
    let mut rest = text.strip_prefix(pieces.next().unwrap_or_default())?;
    let literals: Vec<&str> = pieces.collect();
    let mut found = Vec::new();
    for (at, literal) in literals.iter().enumerate() {
        let last = at + 1 == literals.len();
        let end = match (last, literal.is_empty()) {
            (true, true) => rest.len(),
            (true, false) => rest
                .len()
                .checked_sub(literal.len())
                .filter(|&end| rest[end..] == **literal)?,
            (false, _) => rest.get(1..)?.find(literal)? + 1,
        };
        if end == 0 {
            return None;
        }
        found.push(&rest[..end]);
        rest = &rest[end + literal.len()..];
    }
    rest.is_empty().then_some(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use sync_kit::fmt::PyList;

    #[test]
    fn fields_take_text_between_the_literals() {
        assert_eq!(fields("a 1 b xy", "a {} b {}"), Some(vec!["1", "xy"]));
        assert_eq!(
            fields("worker 2 crashed: exit code 3", "worker {} crashed: {}"),
            Some(vec!["2", "exit code 3"])
        );
        assert_eq!(
            fields("say \"a: b\": done", "say {}: done"),
            Some(vec!["\"a: b\""])
        );
        assert_eq!(fields("a  b", "a {} b"), None);
        assert_eq!(fields("a b", "a {} b"), None);
        assert_eq!(fields("x 1", "a {}"), None);
        assert_eq!(fields("a 1 tail", "a {} end"), None);
    }

    #[test]
    fn reads_python_lists() {
        assert_eq!(parse_int_list("[]"), Some(vec![]));
        assert_eq!(parse_int_list("[ ]"), Some(vec![]));
        assert_eq!(parse_int_list("[4]"), Some(vec![4]));
        assert_eq!(parse_int_list("[1, 2,3 ]"), Some(vec![1, 2, 3]));
        assert_eq!(parse_int_list("[-1, 0]"), Some(vec![-1, 0]));
    }

    #[test]
    fn refuses_what_is_not_a_list_of_integers() {
        for text in [
            "",
            "[",
            "1, 2",
            "[1,]",
            "[,]",
            "[a]",
            "[1 2]",
            "[+1]",
            "[1.0]",
            "(1, 2)",
            "[99999999999999999999]",
        ] {
            assert_eq!(parse_int_list(text), None, "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn reads_back_what_pylist_prints(items in prop::collection::vec(any::<i64>(), 0..20)) {
            prop_assert_eq!(parse_int_list(&PyList(&items).to_string()), Some(items));
        }
    }
}
