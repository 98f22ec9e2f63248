//! Reading ex04's facts from a line: additions and removals with their numbers,
//! the empty message, and the lists shown, in any wording.

use crate::facts::tokens::{Kind, Token};
use crate::facts::{cut_list, glued_records, number_list};
use crate::{Line, Rejection};

use super::replay::Op;
use super::rules;

/// Verbs that add to the list, and that remove from it (as word stems).
const ADD_VERBS: &[&str] = &["add", "append", "produc", "insert", "push", "put", "enqueu"];
const REMOVE_VERBS: &[&str] = &[
    "remov", "pop", "consum", "delet", "dequeu", "extract", "retriev",
];
/// Words that label a number as something other than the item.
const SIZE_LABELS: &[&str] = &["len", "length", "size", "count", "total", "index", "items"];
/// Words that make a line an intention, not a deed (`Trying to remove…`).
const INTENT: &[&str] = &[
    "try",
    "trying",
    "tries",
    "will",
    "going",
    "attempt",
    "attempting",
    "wait",
    "waiting",
    "to",
];

/// Whether a word is a verb of `stems`, not the name of a role (`adder`,
/// `producer`, `remover`), a noun (`removal`, `addition`) or another word sharing
/// the stem (`address`).
fn is_verb(token: &Token<'_>, stems: &[&str]) -> bool {
    token.is_word(stems)
        && !["er", "ers", "ress", "tion", "tions", "al", "als"]
            .iter()
            .any(|end| token.lower.ends_with(end))
}

/// Reads the facts a line states, in order; none means the line is noise.
pub(super) fn read_line(line: &Line, tokens: &[Token<'_>]) -> Result<Vec<Op>, Rejection> {
    if cut_list(tokens) {
        return Err(Rejection::at(
            line,
            rules::UNREADABLE_RECORD,
            "a list on this line is cut short (no closing `]`)",
        ));
    }
    let verbs: Vec<usize> = (0..tokens.len())
        .filter(|&i| is_verb(&tokens[i], ADD_VERBS) || is_verb(&tokens[i], REMOVE_VERBS))
        .collect();
    glued_records(line, tokens, &verbs, |_| true)?;
    let says = |words: &[&str]| tokens.iter().any(|t| t.is_word(words));
    let empty = says(&["empty", "nothing"]) && !tokens.iter().any(|t| t.is_one_of(&["not"]));
    let intent = verbs
        .first()
        .is_some_and(|&v| v > 0 && tokens[v - 1].is_one_of(INTENT))
        || tokens
            .iter()
            .any(|t| t.is_one_of(&["will", "going", "trying"]));
    let mut ops = Vec::new();
    if !intent {
        for (k, &verb) in verbs.iter().enumerate() {
            let end = verbs.get(k + 1).copied().unwrap_or(tokens.len());
            let start = if k == 0 { 0 } else { verb };
            if let Some(op) = operation(line, &tokens[start..end], verb - start, empty)? {
                ops.push(op);
            }
        }
    }
    if !ops.is_empty() {
        return Ok(ops);
    }
    if let Some(op) = role_deed(line, tokens)? {
        return Ok(vec![op]);
    }
    let list = shown_list(line, tokens)?;
    Ok(match list {
        Some(list) if says(&["final", "end", "ending", "remaining", "left"]) => {
            vec![Op::Final(list)]
        }
        Some(list) if says(&["initial", "initially", "start", "starting"]) => {
            vec![Op::Initial(list)]
        }
        Some(list) => vec![Op::Shown(list)],
        None if empty && says(&["final", "end"]) => vec![Op::Final(Vec::new())],
        None if empty => vec![Op::Empty],
        None => Vec::new(),
    })
}

/// Roles whose line `Role: N` reports their deed: `Producer: 1` added 1.
const ADDING_ROLES: &[&str] = &["producer", "adder"];
const REMOVING_ROLES: &[&str] = &["consumer", "remover"];

/// The deed of a line `Producer: 1` or `Consumer: 1` (a role, a colon, then its
/// item first), as a C or Java answer with no verb reports it.
fn role_deed(line: &Line, tokens: &[Token<'_>]) -> Result<Option<Op>, Rejection> {
    let [role, colon, item, rest @ ..] = tokens else {
        return Ok(None);
    };
    let adds = role.is_one_of(ADDING_ROLES);
    if !(adds || role.is_one_of(REMOVING_ROLES)) || !colon.is_sym(":") || !item.is_number() {
        return Ok(None);
    }
    let value = Some(item.text.to_owned());
    let shown = shown_list(line, rest)?;
    Ok(Some(match adds {
        true => Op::Add { value, shown },
        false => Op::Remove { value, shown },
    }))
}

/// Whether the line's verbs are all in `-ing` (`Adding 5 to the list`): an
/// announcement, when the program also reports the deed.
pub(super) fn progressive(tokens: &[Token<'_>]) -> bool {
    let mut verbs = tokens
        .iter()
        .filter(|t| is_verb(t, ADD_VERBS) || is_verb(t, REMOVE_VERBS))
        .peekable();
    verbs.peek().is_some() && verbs.all(|t| t.lower.ends_with("ing"))
}

/// One operation, from its segment of the line (`verb` is the verb's index in it).
fn operation(
    line: &Line,
    segment: &[Token<'_>],
    verb: usize,
    says_empty: bool,
) -> Result<Option<Op>, Rejection> {
    let adds = is_verb(&segment[verb], ADD_VERBS);
    let after = &segment[verb + 1..];
    // A number labelled as a size or an index (`len=1`, `size 2`) is not the item.
    let labelled = |at: usize| {
        after[..at]
            .iter()
            .rev()
            .find(|t| t.kind != Kind::Sym)
            .is_some_and(|t| t.is_one_of(SIZE_LABELS))
    };
    let item = after
        .iter()
        .enumerate()
        .find(|&(at, t)| (t.is_number() && !labelled(at)) || t.kind == Kind::List)
        .map(|(_, t)| t);
    let value = match item {
        Some(number) if number.is_number() => Some(number.text),
        // `5 added`: the number right before the verb.
        _ => verb
            .checked_sub(1)
            .map(|before| &segment[before])
            .filter(|t| t.is_number())
            .map(|t| t.text),
    };
    let mut shown = shown_list(line, after)?;
    if value.is_none() && shown.is_none() && says_empty && !adds {
        // `Cannot remove: the list is empty` is the empty message.
        return Ok(None);
    }
    if shown.is_none() && says_empty && value.is_some() {
        // `Removed 3, the list is now empty`.
        shown = Some(Vec::new());
    }
    let value = value.map(str::to_owned);
    Ok(Some(if adds {
        Op::Add { value, shown }
    } else {
        Op::Remove { value, shown }
    }))
}

/// The list a segment shows, if it shows one: its last list of numbers.
fn shown_list(line: &Line, tokens: &[Token<'_>]) -> Result<Option<Vec<String>>, Rejection> {
    let mut shown = None;
    for token in tokens.iter().filter(|t| t.kind == Kind::List) {
        match number_list(token) {
            Some(items) => shown = Some(items.into_iter().map(str::to_owned).collect()),
            None if token.text.starts_with("[[") || token.text.contains(',') => {
                return Err(Rejection::at(
                    line,
                    rules::UNREADABLE_RECORD,
                    format!("`{}` is not a list of numbers", token.text),
                ));
            }
            // `[Thread-1]`, `[INFO]`: a tag, not a list.
            None => {}
        }
    }
    Ok(shown)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::tokens::tokenize;

    fn read(text: &str) -> Result<Vec<Op>, &'static str> {
        let line = Line {
            number: 1,
            text: text.to_owned(),
        };
        read_line(&line, &tokenize(&line.text)).map_err(|r| r.rule.id)
    }

    fn add(value: &str, shown: Option<&[&str]>) -> Op {
        Op::Add {
            value: Some(value.to_owned()),
            shown: shown.map(|s| s.iter().map(|x| x.to_string()).collect()),
        }
    }

    fn remove(value: &str, shown: Option<&[&str]>) -> Op {
        Op::Remove {
            value: Some(value.to_owned()),
            shown: shown.map(|s| s.iter().map(|x| x.to_string()).collect()),
        }
    }

    #[test]
    fn reads_additions_in_any_wording() {
        for (text, op) in [
            (
                "Added 0 to the list. Current list: [0]",
                add("0", Some(&["0"])),
            ),
            ("Added: 1", add("1", None)),
            ("Added 1 to the list", add("1", None)),
            ("Added: 1, List: [1]", add("1", Some(&["1"]))),
            ("Produced: 59, Current List: [59]", add("59", Some(&["59"]))),
            ("Producer appended 7", add("7", None)),
            ("[Thread-1] Adding 3", add("3", None)),
            ("5 added", add("5", None)),
            ("ADDED 2.5 -> [2.5]", add("2.5", Some(&["2.5"]))),
            ("Producer: 1", add("1", None)),
            ("Adder: 4 [3, 4]", add("4", Some(&["3", "4"]))),
        ] {
            assert_eq!(read(text), Ok(vec![op]), "{text}");
        }
    }

    #[test]
    fn reads_removals_the_empty_message_and_lists() {
        for (text, op) in [
            (
                "Removed 0 from the list. Current list: []",
                remove("0", Some(&[])),
            ),
            ("Removed: 0", remove("0", None)),
            ("Consumer popped 4", remove("4", None)),
            ("Removed 3, the list is now empty", remove("3", Some(&[]))),
            ("Consumer: 1", remove("1", None)),
        ] {
            assert_eq!(read(text), Ok(vec![op]), "{text}");
        }
        for text in [
            "List is empty, nothing to remove.",
            "List is empty, cannot remove.",
            "Nothing to remove",
            "The list is empty. Waiting...",
            "Cannot remove, list is empty (len=0)",
        ] {
            assert_eq!(read(text), Ok(vec![Op::Empty]), "{text}");
        }
        assert_eq!(
            read("Final state of the list: []"),
            Ok(vec![Op::Final(vec![])])
        );
        assert_eq!(read("Final list is empty"), Ok(vec![Op::Final(vec![])]));
        assert_eq!(
            read("Current list: [1, 2]"),
            Ok(vec![Op::Shown(vec!["1".into(), "2".into()])])
        );
        assert_eq!(
            read("Initial list: [9]"),
            Ok(vec![Op::Initial(vec!["9".into()])])
        );
    }

    #[test]
    fn banners_and_intentions_are_noise() {
        for text in [
            "Both threads have finished.",
            "Starting threads...",
            "Trying to remove an item",
            "Adder thread started",
            "Removal done",
            "Producer will add 5 numbers",
            "Attempt to add 5",
            "About to remove 3",
            "Time taken: 2.01 seconds",
            "===================",
        ] {
            assert_eq!(read(text), Ok(vec![]), "{text}");
        }
    }

    #[test]
    fn broken_and_glued_records_are_refused() {
        assert_eq!(
            read("Added 1 to the list. Current list: [0, 1"),
            Err("unreadable-record")
        );
        assert_eq!(
            read("Added 1 to the listRemoved 1"),
            Err("interleaved-lines")
        );
        assert_eq!(read("Added 1, list: [0, 'x']"), Err("unreadable-record"));
    }
}
