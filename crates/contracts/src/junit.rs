//! JUnit XML, the report CI systems read: the grader's `--format junit` and
//! run-all's are both written by [`render`].

use std::fmt::Write as _;

/// One test case of a suite.
#[derive(Debug, Clone, Default)]
pub struct TestCase {
    /// Its name within the suite.
    pub name: String,
    /// How long it took.
    pub seconds: f64,
    /// How it failed, if it did.
    pub failure: Option<Failure>,
    /// Output to attach (`<system-out>`), if any.
    pub stdout: String,
    /// Error output to attach (`<system-err>`), if any.
    pub stderr: String,
}

/// How a test case failed.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The failure's kind, e.g. a verdict's name.
    pub kind: String,
    /// The whole explanation; its first line becomes the `message`.
    pub detail: String,
    /// An `<error>` (the test could not run, e.g. the build failed) rather than a
    /// `<failure>` (it ran and was wrong).
    pub error: bool,
}

/// One `<testsuites>` document named `name`, holding one suite named `suite` whose
/// test cases' class name is `suite` too.
pub fn render(name: &str, suite: &str, cases: &[TestCase]) -> String {
    let count = |error: bool| {
        cases
            .iter()
            .filter(|case| case.failure.as_ref().is_some_and(|f| f.error == error))
            .count()
    };
    let (failures, errors) = (count(false), count(true));
    let total = cases.len();
    let seconds: f64 = cases.iter().map(|case| case.seconds).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{total}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{seconds:.3}\">",
        escape(name)
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{total}\" failures=\"{failures}\" errors=\"{errors}\" time=\"{seconds:.3}\">",
        escape(suite)
    );
    for case in cases {
        let _ = writeln!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\">",
            escape(suite),
            escape(&case.name),
            case.seconds
        );
        if let Some(failure) = &case.failure {
            let element = if failure.error { "error" } else { "failure" };
            let message = failure.detail.lines().next().unwrap_or("");
            let _ = writeln!(
                out,
                "      <{element} type=\"{}\" message=\"{}\">{}</{element}>",
                escape(&failure.kind),
                escape(message),
                escape(&failure.detail)
            );
        }
        if !case.stdout.is_empty() {
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                escape(&case.stdout)
            );
        }
        if !case.stderr.is_empty() {
            let _ = writeln!(
                out,
                "      <system-err>{}</system-err>",
                escape(&case.stderr)
            );
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// `text` escaped for XML 1.0, with the characters XML cannot hold at all (most
/// control characters) shown as U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_replaces_what_xml_cannot_hold() {
        assert_eq!(
            escape("a<b & \"c\"\x07\n"),
            "a&lt;b &amp; &quot;c&quot;\u{fffd}\n"
        );
    }

    #[test]
    fn counts_failures_and_errors_apart() {
        let failed = |error| TestCase {
            name: "x".into(),
            failure: Some(Failure {
                kind: "k".into(),
                detail: "first\nsecond".into(),
                error,
            }),
            ..TestCase::default()
        };
        let xml = render(
            "all",
            "ex04",
            &[failed(false), failed(true), TestCase::default()],
        );
        assert!(
            xml.contains("tests=\"3\" failures=\"1\" errors=\"1\""),
            "{xml}"
        );
        assert!(xml.contains("<error type=\"k\" message=\"first\">first\nsecond</error>"));
        assert!(xml.contains("<failure type=\"k\" message=\"first\">"));
    }
}
