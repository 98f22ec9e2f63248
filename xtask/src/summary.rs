//! What CI reads besides the log: a Markdown summary appended to the file named by
//! `GITHUB_STEP_SUMMARY`, and `::error` annotations when `GITHUB_ACTIONS` is set.

use std::io::Write as _;

/// Appends `markdown` to the job summary, when there is one. A summary that cannot
/// be written is said on stderr: it must not fail the run it summarises.
pub(crate) fn append(markdown: &str) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| file.write_all(markdown.as_bytes()));
    if let Err(error) = written {
        eprintln!(
            "warning: could not append to GITHUB_STEP_SUMMARY ({}): {error}",
            std::path::Path::new(&path).display()
        );
    }
}

/// The `::error` workflow command for `message` at `line` of `file`, when running
/// under GitHub Actions.
pub(crate) fn error_annotation(file: &str, line: Option<usize>, message: &str) -> Option<String> {
    std::env::var_os("GITHUB_ACTIONS")?;
    Some(annotation(file, line, message))
}

/// The `::error` workflow command itself.
fn annotation(file: &str, line: Option<usize>, message: &str) -> String {
    // Workflow commands end at a newline, and `%`, `\r`, `\n` must be escaped.
    let escape = |text: &str| {
        text.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let place = match line {
        Some(line) => format!("file={},line={line}", escape(file)),
        None => format!("file={}", escape(file)),
    };
    format!("::error {place}::{}", escape(message))
}

/// A Markdown table cell: pipes escaped, one line.
pub(crate) fn cell(text: &str) -> String {
    text.lines().next().unwrap_or("").replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_annotation_is_one_line_with_its_place() {
        assert_eq!(
            annotation(
                "target/run-all/ex04.txt",
                Some(3),
                "ex04: line 3: 100% wrong\nshown"
            ),
            "::error file=target/run-all/ex04.txt,line=3::ex04: line 3: 100%25 wrong%0Ashown"
        );
        assert_eq!(
            annotation("x.txt", None, "gone"),
            "::error file=x.txt::gone"
        );
    }

    #[test]
    fn a_cell_is_one_line_with_its_pipes_escaped() {
        assert_eq!(cell("a | b\nmore"), "a \\| b");
    }
}
