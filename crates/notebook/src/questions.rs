//! Where each question starts: a label (`Q7`, `**Question 7**`, `Answer-7`,
//! `Ques 7`), a numbered line that reads as that question (`# 7. Create a program
//! that … factorial …`), or the question's text itself. The cells after a
//! question's start, up to the next question's, are its segment.

use crate::cells::{Cell, Kind};

/// A question's start: its number, its cell, and where in that cell's text it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    /// The question's number, 1 to 8.
    pub(crate) question: u8,
    /// The cell it is in.
    pub(crate) cell: usize,
    /// The byte where its line starts in the cell's source.
    pub(crate) at: usize,
    /// How it was recognised, for the report.
    pub(crate) how: &'static str,
}

/// The words each question's text holds: every group has one of its words (in
/// lower case). They confirm that a numbered line is the question and not an
/// item of a list, and find a question copied without its number.
const TEXT: &[&[&[&str]]] = &[
    &[
        &["multithreading"],
        &["multiprocessing"],
        &["scenario", "preferable"],
    ],
    &[
        &["process pool"],
        &["describe", "what", "manag", "efficient"],
    ],
    &[&["multiprocessing"], &["explain", "what is", "why"]],
    &[&["thread"], &["list"], &["add"], &["remov"]],
    &[&["shar"], &["data"], &["thread", "process"]],
    &[&["exception"], &["concurren", "thread", "process"]],
    &[&["factorial"], &["thread pool", "threadpool"]],
    &[&["square"], &["pool"]],
];

/// Words a question's statement starts with (after its number, if any).
const ASKING: &[&str] = &[
    "write",
    "create",
    "discuss",
    "describe",
    "explain",
    "implement",
];

/// Whether `text` (in lower case) holds question `n`'s words.
pub(crate) fn reads_as(n: u8, text: &str) -> bool {
    TEXT.get(usize::from(n).wrapping_sub(1))
        .is_some_and(|groups| {
            groups
                .iter()
                .all(|group| group.iter().any(|w| text.contains(w)))
        })
}

/// Every question start in `cells`, in order.
pub(crate) fn markers(cells: &[Cell]) -> Vec<Marker> {
    let mut found = Vec::new();
    for (index, cell) in cells.iter().enumerate() {
        let mut at = 0;
        let mut in_string = None;
        for line in cell.source.split_inclusive('\n') {
            let start = at;
            at += line.len();
            let was_in_string = in_string.is_some();
            in_string = crate::python::string_state(line, in_string);
            // In a code cell only comments and strings (prose kept in `'''…'''`)
            // may state a question.
            let text = match cell.kind {
                Kind::Code => match line.trim_start().strip_prefix('#') {
                    Some(comment) => comment,
                    None if was_in_string || in_string.is_some() => {
                        line.trim_start().trim_start_matches(['\'', '"'])
                    }
                    None => continue,
                },
                Kind::Markdown => line,
                Kind::Raw => continue,
            };
            // A question's text may wrap: its paragraph confirms it.
            let paragraph = cell.source[start..]
                .split("\n\n")
                .next()
                .unwrap_or("")
                .chars()
                .take(600)
                .collect::<String>()
                .to_lowercase();
            if let Some((question, how)) = marker(text, &paragraph, cell.kind == Kind::Markdown) {
                found.push(Marker {
                    question,
                    cell: index,
                    at: start,
                    how,
                });
            }
        }
    }
    found
}

/// The question a line starts, if it starts one.
fn marker(line: &str, paragraph: &str, markdown: bool) -> Option<(u8, &'static str)> {
    // Markdown's dressing: headings, emphasis, quotes, rules, list bullets.
    let bare = line
        .trim()
        .trim_start_matches(['#', '*', '_', '>', '-', ' ', '\t'])
        .trim_end_matches(['*', '_', ' ']);
    let lower = bare.to_lowercase();
    for label in ["question", "ques", "que", "answer", "ans", "q"] {
        let Some(rest) = lower.strip_prefix(label) else {
            continue;
        };
        let rest = rest
            .trim_start_matches([' ', '.', '-', ':', '#', '_'])
            .trim_start_matches("no")
            .trim_start_matches([' ', '.', '-', ':', '#']);
        if let Some(n) = leading_number(rest)
            && labelled_end(&rest[1..])
        {
            return Some((n, "its label"));
        }
    }
    if let Some(n) = leading_number(&lower)
        && lower[1..].starts_with(['.', ')', ':', '-', ' '])
        && reads_as(n, paragraph)
    {
        return Some((n, "its number and text"));
    }
    if markdown && ASKING.iter().any(|word| lower.starts_with(word)) {
        let n = (1..=8).rev().find(|&n| reads_as(n, paragraph))?;
        return Some((n, "its text"));
    }
    None
}

/// The question number a text starts with: one digit, 1 to 8, not followed by
/// another digit.
fn leading_number(text: &str) -> Option<u8> {
    let mut digits = text.bytes();
    let first = digits.next()?;
    let n = first.checked_sub(b'0').filter(|n| (1..=8).contains(n))?;
    match digits.next() {
        Some(b'0'..=b'9') => None,
        _ => Some(n),
    }
}

/// Whether what follows a label's number ends it (`Q7.`, `Q7)`, `Q7:`, `Q7 Write`,
/// or the end of the line), so that `q1uick` is no label.
fn labelled_end(rest: &str) -> bool {
    rest.chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric() || c == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markdown(text: &str) -> Vec<u8> {
        let cells = [Cell {
            kind: Kind::Markdown,
            source: text.to_owned(),
        }];
        markers(&cells).iter().map(|m| m.question).collect()
    }

    #[test]
    fn labels_numbers_and_texts_start_questions() {
        for (text, question) in [
            ("**Question 7**", 7),
            ("---\n\n**Question 4**\n", 4),
            ("# Q8. Create a Python program", 8),
            ("Q.7 Write it", 7),
            ("Answer-4", 4),
            ("Ans 7:", 7),
            ("Ques 8", 8),
            (
                "# 7. Create a program that uses a thread pool to calculate the factorial",
                7,
            ),
            (
                "4. Write a Python program using multithreading where one thread adds numbers to a list, and another removes them",
                4,
            ),
            (
                "4. Write a program where one thread adds numbers to a list, and another\nthread removes numbers from the list.",
                4,
            ),
            (
                "Create a program that uses a thread pool to calculate the factorial of 1 to 10",
                7,
            ),
        ] {
            assert_eq!(markdown(text), [question], "{text}");
        }
    }

    #[test]
    fn list_items_and_prose_start_none() {
        for text in [
            "1. **I/O-Bound Tasks**: reading files",
            "2. Processes do not share memory",
            "The factorial of 5 is 120, computed on a thread pool.",
            "Q10 is not one of the course's",
            "quick: look",
            "10. Write a program",
        ] {
            assert_eq!(markdown(text), Vec::<u8>::new(), "{text}");
        }
    }

    #[test]
    fn a_code_cell_is_labelled_by_a_comment_only() {
        let cells = [Cell {
            kind: Kind::Code,
            source: "# Q7\nprint('Q8')\n".to_owned(),
        }];
        let found: Vec<u8> = markers(&cells).iter().map(|m| m.question).collect();
        assert_eq!(found, [7]);
        let cells = [Cell {
            kind: Kind::Code,
            source: "'''\n3. Explain what multiprocessing is and why it is used.\n\nIt runs '''\nprint(1)\n".to_owned(),
        }];
        let found: Vec<u8> = markers(&cells).iter().map(|m| m.question).collect();
        assert_eq!(found, [3]);
    }
}
