//! Code a student wrote in a markdown cell: fenced blocks (```` ```python ````,
//! `~~~`), or, with no fence, the longest run of lines that read as Python, with
//! markdown's escapes (`\_`, `\*`) undone.

use crate::python::is_prose;

/// The code in `text`, if any; whether it was fenced.
pub(crate) fn code(text: &str) -> Option<(String, bool)> {
    let fenced = fenced(text);
    if !fenced.trim().is_empty() {
        return Some((fenced, true));
    }
    let unfenced = unfenced(text);
    (!unfenced.trim().is_empty()).then_some((unfenced, false))
}

/// The fenced blocks' lines, joined.
fn fenced(text: &str) -> String {
    let mut code = String::new();
    let mut fence: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        match fence {
            Some(mark) if trimmed.starts_with(mark) => fence = None,
            Some(_) => {
                code.push_str(line);
                code.push('\n');
            }
            None => {
                for mark in ["```", "~~~"] {
                    if let Some(language) = trimmed.strip_prefix(mark) {
                        let language = language.trim().to_lowercase();
                        // A block in another language is no Python.
                        if ["", "python", "py", "python3", "ipython", "ipython3"]
                            .contains(&language.as_str())
                        {
                            fence = Some(mark);
                        }
                    }
                }
            }
        }
    }
    code
}

/// The longest run of lines that read as code, unescaped.
fn unfenced(text: &str) -> String {
    let lines: Vec<String> = text.lines().map(unescape).collect();
    let mut best = (0, 0);
    let mut start = None;
    for (at, line) in lines.iter().enumerate() {
        let code = match start {
            None => starts_code(line),
            Some(_) => continues_code(line),
        };
        match (code, start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                if at - from > best.1 - best.0 {
                    best = (from, at);
                }
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start
        && lines.len() - from > best.1 - best.0
    {
        best = (from, lines.len());
    }
    let mut code = lines[best.0..best.1].join("\n");
    code.push('\n');
    code
}

/// Markdown's escapes undone, and a hard line break's trailing spaces dropped.
fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&next) = chars.peek()
            && "_*#[]()`<>!.-+".contains(next)
        {
            out.push(next);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out.replace("<br>", "").trim_end().to_owned()
}

/// Whether a line begins Python: an import, a definition, the main guard, a
/// decorator.
fn starts_code(line: &str) -> bool {
    [
        "import ",
        "from ",
        "def ",
        "class ",
        "if __name__",
        "@",
        "async def ",
    ]
    .iter()
    .any(|start| line.starts_with(start))
}

/// Whether a line goes on with code: blank, indented, a comment, a keyword's
/// statement, or a name followed by what a statement puts after one.
fn continues_code(line: &str) -> bool {
    if line.trim().is_empty() || line.starts_with([' ', '\t', '#', ')', ']', '}']) {
        return true;
    }
    if is_prose(line) {
        return false;
    }
    if starts_code(line) {
        return true;
    }
    let keyword = [
        "for ", "while ", "with ", "try:", "except", "finally:", "else:", "elif ", "if ", "return",
        "print(", "raise ", "assert ", "del ", "pass", "global ",
    ];
    if keyword.iter().any(|k| line.starts_with(k)) {
        return true;
    }
    let name_end = line
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(line.len());
    name_end > 0
        && line[name_end..]
            .trim_start()
            .starts_with(['=', '(', '[', '+', '-', '*', '/', ','])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fenced_block_is_taken_whole() {
        let text = "Here is my answer:\n```python\nimport math\nprint(math.factorial(5))\n```\nIt prints 120.\n```text\n120\n```\n";
        assert_eq!(
            code(text),
            Some(("import math\nprint(math.factorial(5))\n".to_owned(), true))
        );
    }

    #[test]
    fn unfenced_code_is_the_longest_run_of_code_lines() {
        let text = "Q7. Create a program\n\nAns-\nimport concurrent.futures\nimport math\n\ndef fact(n):\n    return math.factorial(n)\n\nif \\_\\_name\\_\\_ == \"\\_\\_main\\_\\_\":\n    with concurrent.futures.ThreadPoolExecutor() as ex:\n        results = list(ex.map(fact, range(1, 11)))\n    print(results)\nThis program computes the factorials concurrently.\n";
        let (found, fenced) = code(text).unwrap();
        assert!(!fenced);
        assert!(found.starts_with("import concurrent.futures\n"), "{found}");
        assert!(found.contains("if __name__ == \"__main__\":"), "{found}");
        assert!(found.trim_end().ends_with("print(results)"), "{found}");
    }

    #[test]
    fn prose_alone_holds_no_code() {
        assert_eq!(
            code("Multiprocessing runs work in several processes at once.\n"),
            None
        );
    }
}
