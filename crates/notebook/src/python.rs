//! Python as a notebook holds it: IPython's magics and shell lines made plain
//! Python, prose typed among the code made comments, and the names a piece of
//! code binds and uses, by its top-level statements.

use std::collections::BTreeSet;

/// `code` as plain Python, and a note for each line changed. Line numbers are
/// kept: a changed line becomes another single line.
pub(crate) fn plain(code: &str) -> (String, Vec<String>) {
    let mut notes = Vec::new();
    let mut lines = Vec::new();
    let mut in_string: Option<&str> = None;
    let mut first = true;
    for line in code.lines() {
        let indent = &line[..line.len() - line.trim_start().len()];
        let body = line.trim_start();
        let starts_string = in_string.is_none();
        let changed = match starts_string {
            true if body.starts_with("%%") && first => {
                notes.push(format!("the cell magic `{}` dropped", word(body)));
                Some(String::new())
            }
            true if body.starts_with("%time ") || body.starts_with("%timeit ") => {
                let statement = timed_statement(body);
                notes.push(format!("`{}` run once as plain Python", word(body)));
                Some(format!("{indent}{statement}"))
            }
            true if body.starts_with('%') || body.starts_with('!') => {
                notes.push(format!("`{}` made a no-op", shorten(body)));
                Some(format!("{indent}pass"))
            }
            true if indent.is_empty() && is_prose(body) => {
                notes.push(format!("prose line `{}` made a comment", shorten(body)));
                Some(format!("# {body}"))
            }
            _ => None,
        };
        if !body.is_empty() {
            first = false;
        }
        in_string = string_state(line, in_string);
        lines.push(changed.unwrap_or_else(|| line.to_owned()));
    }
    let mut text = lines.join("\n");
    text.push('\n');
    (text, notes)
}

/// The statement of `%time STATEMENT` or `%timeit [-n N -r R …] STATEMENT`.
fn timed_statement(body: &str) -> &str {
    let mut rest = body
        .split_once(' ')
        .map_or("", |(_, rest)| rest)
        .trim_start();
    while let Some(option) = rest.strip_prefix('-') {
        let (flag, after) = option.split_once(' ').unwrap_or((option, ""));
        rest = after.trim_start();
        // Options with a value: -n N, -r R, -p P.
        if ["n", "r", "p"].contains(&flag) {
            rest = rest
                .split_once(' ')
                .map_or("", |(_, after)| after)
                .trim_start();
        }
    }
    if rest.is_empty() { "pass" } else { rest }
}

/// Whether a line is prose typed into code: four words or more, with no
/// operator, bracket or quote a statement would hold and no keyword first; or,
/// whatever else it holds, four plain words in a row, none a keyword (Python
/// puts a keyword or an operator between any two names).
pub(crate) fn is_prose(line: &str) -> bool {
    plain_prose(line) || words_in_a_row(line)
}

/// Python's keywords (and `print`): no prose line starts with one, and a run of
/// plain words with one among them may be a statement.
const KEYWORDS: &[&str] = &[
    "and", "or", "not", "in", "is", "if", "else", "elif", "for", "while", "with", "try", "except",
    "finally", "lambda", "import", "as", "from", "def", "class", "return", "yield", "await",
    "async", "del", "pass", "raise", "assert", "global", "nonlocal", "break", "continue", "match",
    "case", "None", "True", "False", "print",
];

/// Four words in a row, none of Python's keywords: no statement has them.
fn words_in_a_row(line: &str) -> bool {
    if line.trim_start().starts_with('#') {
        return false;
    }
    // Words inside quotes are a string's, which may say anything.
    let mut outside = String::with_capacity(line.len());
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                outside.push(' ');
            }
            // A comment may say anything too.
            None if c == '#' => break,
            None => outside.push(c),
        }
    }
    let mut run = 0;
    for word in outside.split_whitespace() {
        // `a, b, c, d` is a tuple or an import, not prose.
        let bare = word.trim_end_matches(['.', ';', ':', '?', '!']);
        let plain =
            !bare.is_empty() && bare.chars().all(char::is_alphabetic) && !KEYWORDS.contains(&bare);
        run = if plain { run + 1 } else { 0 };
        if run >= 4 {
            return true;
        }
    }
    false
}

/// Four words or more, and nothing a statement would hold.
fn plain_prose(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    let first = words.first().map(|w| w.trim_end_matches(':'));
    words.len() >= 4
        && !line.contains([
            '(', ')', '=', '[', ']', '{', '}', '"', '#', '%', '@', '\\', '`',
        ])
        && !line.trim_end().ends_with(',')
        && first.is_some_and(|w| !KEYWORDS.contains(&w))
        && words
            .iter()
            .filter(|w| w.len() >= 3 && !["and", "not"].contains(w))
            .count()
            >= 3
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphanumeric() || ".,;:!?'’-/&".contains(c))
        })
}

/// After `line`, whether a triple-quoted string is open (and with which quotes).
pub(crate) fn string_state<'q>(line: &str, mut open: Option<&'q str>) -> Option<&'q str> {
    let mut rest = line;
    loop {
        match open {
            Some(quotes) => match rest.find(quotes) {
                Some(at) => {
                    rest = &rest[at + 3..];
                    open = None;
                }
                None => return open,
            },
            None => {
                let next = ["\"\"\"", "'''"]
                    .into_iter()
                    .filter_map(|quotes| rest.find(quotes).map(|at| (at, quotes)))
                    .min();
                let comment = rest.find('#');
                match next {
                    Some((at, quotes)) if comment.is_none_or(|c| c > at) => {
                        rest = &rest[at + 3..];
                        open = Some(quotes);
                    }
                    _ => return None,
                }
            }
        }
    }
}

fn word(body: &str) -> &str {
    body.split_whitespace().next().unwrap_or(body)
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// One top-level statement, with its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Statement {
    /// Its text, lines joined, ending with a newline.
    pub(crate) text: String,
    /// The names it binds at the top level: an import's, a def's or a class's, an
    /// assignment's.
    pub(crate) binds: Vec<String>,
    /// Whether it is an import, a definition or a plain assignment: what another
    /// cell may need from it.
    pub(crate) definition: bool,
}

/// `code`'s top-level statements: each starts at a line with no indent (outside
/// brackets and strings), with its decorators.
pub(crate) fn statements(code: &str) -> Vec<Statement> {
    let mut statements: Vec<Statement> = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    let mut in_string = None;
    let mut decorated = false;
    for line in code.lines() {
        let opens = depth == 0
            && in_string.is_none()
            && !line.starts_with([' ', '\t'])
            && !line.trim().is_empty()
            && !line.starts_with('#')
            && !decorated
            && !line.starts_with(')');
        if opens && !current.is_empty() {
            statements.push(statement(&current));
            current.clear();
        }
        if depth == 0 && in_string.is_none() && !line.starts_with([' ', '\t']) {
            decorated = line.starts_with('@');
        }
        current.push_str(line);
        current.push('\n');
        if in_string.is_none() {
            depth += brackets(line);
        }
        in_string = string_state(line, in_string);
    }
    if !current.trim().is_empty() {
        statements.push(statement(&current));
    }
    statements
}

/// The change in bracket depth over `line`, outside comments and short strings.
fn brackets(line: &str) -> i32 {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '#') => break,
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            _ => {}
        }
    }
    depth
}

fn statement(text: &str) -> Statement {
    let head = text
        .lines()
        .find(|line| !line.starts_with('@') && !line.starts_with('#') && !line.trim().is_empty())
        .unwrap_or("");
    let mut binds = Vec::new();
    let mut definition = true;
    if let Some(rest) = head.strip_prefix("import ") {
        for item in rest.split(',') {
            let item = item.trim();
            let name = match item.split_once(" as ") {
                Some((_, alias)) => alias.trim(),
                None => item.split('.').next().unwrap_or(item),
            };
            binds.push(name.to_owned());
        }
    } else if head.starts_with("from ") {
        let names = text.split_once(" import ").map_or("", |(_, names)| names);
        for item in names.split(',') {
            let item = item.trim().trim_matches(['(', ')', '\n', ' ', '\\']);
            let name = item
                .split_once(" as ")
                .map_or(item, |(_, alias)| alias)
                .trim();
            if !name.is_empty() && name != "*" && is_name(name) {
                binds.push(name.to_owned());
            }
        }
    } else if let Some(rest) = head
        .strip_prefix("def ")
        .or_else(|| head.strip_prefix("async def "))
        .or_else(|| head.strip_prefix("class "))
    {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        binds.push(name);
    } else if let Some((target, _)) = head.split_once('=')
        && !target.ends_with(['!', '<', '>', '='])
        && !head[target.len() + 1..].starts_with('=')
    {
        for name in target.split(',') {
            let name = name.split(':').next().unwrap_or(name).trim();
            if is_name(name) {
                binds.push(name.to_owned());
            }
        }
    } else {
        definition = false;
    }
    Statement {
        text: text.to_owned(),
        binds,
        definition,
    }
}

fn is_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Every name `code` binds anywhere (imports, definitions, assignments, loop and
/// `with` targets, parameters): what it need not find elsewhere.
pub(crate) fn bound(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for statement in statements(code) {
        names.extend(statement.binds);
    }
    for line in code.lines() {
        let line = line.trim();
        let indented = statements(line);
        for statement in indented {
            names.extend(statement.binds);
        }
        for keyword in ["for ", "with ", "except "] {
            if let Some(rest) = line.strip_prefix(keyword) {
                let target = match keyword {
                    "for " => rest.split(" in ").next(),
                    _ => rest
                        .rsplit_once(" as ")
                        .map(|(_, name)| name.trim_end_matches(':')),
                };
                names.extend(
                    target
                        .unwrap_or("")
                        .split([',', '(', ')', ' '])
                        .filter(|n| is_name(n))
                        .map(str::to_owned),
                );
            }
        }
        if let Some(rest) = line
            .strip_prefix("def ")
            .or_else(|| line.strip_prefix("async def "))
        {
            let parameters = rest.split_once('(').map_or("", |(_, p)| p);
            for parameter in parameters.split([',', ')']) {
                let name = parameter.trim().trim_start_matches('*');
                let name = name.split([':', '=']).next().unwrap_or("").trim();
                if is_name(name) {
                    names.insert(name.to_owned());
                }
            }
        }
    }
    names
}

/// Every name `code` uses: identifiers not after a `.`, outside strings and
/// comments.
pub(crate) fn used(code: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for line in code.lines() {
        let mut chars = line.char_indices().peekable();
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        while let Some((at, c)) = chars.next() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '#' => break,
                None if c == '\'' || c == '"' => quote = Some(c),
                None if (c.is_alphabetic() || c == '_') && !previous.is_alphanumeric() => {
                    let mut end = at + c.len_utf8();
                    while let Some(&(next, d)) = chars.peek() {
                        if !(d.is_alphanumeric() || d == '_') {
                            break;
                        }
                        end = next + d.len_utf8();
                        chars.next();
                    }
                    if previous != '.' {
                        names.insert(line[at..end].to_owned());
                    }
                    previous = 'a';
                    continue;
                }
                None => {}
            }
            previous = c;
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magics_become_python_and_prose_a_comment_and_strings_are_left() {
        let cell = "%%time\nimport time\n%time total = sum(range(10))\n!pip install numpy\n%timeit -n 1 -r 1 f()\nThis program adds the numbers up\ntext = \"\"\"\nThis prose is in a string and stays\n\"\"\"\n";
        let (code, notes) = plain(cell);
        assert_eq!(
            code,
            "\nimport time\ntotal = sum(range(10))\npass\nf()\n# This program adds the numbers up\ntext = \"\"\"\nThis prose is in a string and stays\n\"\"\"\n"
        );
        assert_eq!(notes.len(), 5, "{notes:?}");
    }

    #[test]
    fn code_is_never_prose() {
        for line in [
            "import threading, time, math, os",
            "for i in range(10):",
            "x and y or z",
            "print(f'the result is {x}')",
            "return a if b else c",
            "with Pool(2) as pool:",
        ] {
            assert!(!is_prose(line), "{line}");
        }
        assert!(is_prose("Two prose lines at the end of a cell."));
        assert!(is_prose(
            "The time.time() function measures the time taken (2, 4, and 8 processes)."
        ));
        for line in [
            "result = compute(a, b) if ready else wait(c, d)",
            "print(f'Pool size {size} took {elapsed} seconds to finish')",
            "total = first + second + third + fourth",
            "# a comment with many words in a row",
            "print(\"Starting the pool of workers now:\", size)",
            "a, b, c, d = values",
            "time.sleep(10)  # Let the threads run for a while",
        ] {
            assert!(!is_prose(line), "{line}");
        }
    }

    #[test]
    fn statements_say_what_they_bind() {
        let code = "import threading, numpy as np\nfrom math import (factorial,\n    sqrt)\n\n@decorator\ndef work(n):\n    return n\nclass Box:\n    pass\nlock = threading.Lock()\nif __name__ == '__main__':\n    work(1)\n";
        let found: Vec<(Vec<String>, bool)> = statements(code)
            .into_iter()
            .map(|s| (s.binds, s.definition))
            .collect();
        let names = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            found,
            [
                (names(&["threading", "np"]), true),
                (names(&["factorial", "sqrt"]), true),
                (names(&["work"]), true),
                (names(&["Box"]), true),
                (names(&["lock"]), true),
                (names(&[]), false),
            ]
        );
    }

    #[test]
    fn names_bound_and_used() {
        let code = "def square(x):\n    for i in range(x):\n        total = i\n    return x * x\nwith Pool(2) as pool:\n    print(pool.map(square, numbers))  # a comment names nothing\n";
        let bound = bound(code);
        for name in ["square", "x", "i", "total", "pool"] {
            assert!(bound.contains(name), "{name}");
        }
        let used = used(code);
        for name in ["Pool", "numbers", "print", "range"] {
            assert!(used.contains(name), "{name}");
        }
        assert!(!used.contains("map"));
        assert!(!used.contains("comment"));
    }
}
