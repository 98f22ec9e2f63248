//! Failures a program reports itself: a line of its output that says that
//! something failed (`Failed to square 3`,
//! `ZeroDivisionError: division by zero`, a traceback, a Java stack trace) fails
//! the run, even though every fact it did print was right. An ex08 whose every
//! `pool.map` raised, printing `Failed …` and its times, is no answer. So is a
//! run whose stderr shows a thread or a process that died of an exception (the
//! program went on without its work, and exited 0).
//!
//! Every line is looked at, a fact's too (`Failed with pool size 2: …` names a
//! size), but for the failures a contract expects: ex04's remover may say
//! `Error: the list is empty`, which is its fact. A contract whose program
//! reports failures on purpose (ex06) does without.

use crate::facts::shorten;
use crate::{Accepted, Checker, Rejection, Rule, Transcript};

/// The program said that something failed.
pub const REPORTED_FAILURE: Rule = Rule {
    id: "program-reported-failure",
    hint: "The program's own output says something failed: find what raised (the line names it), fix it, and print results only for work that succeeded.",
};

/// A checker that also refuses a line reporting a failure.
#[derive(Debug)]
pub(crate) struct Reported {
    /// The checker of the facts.
    pub(crate) facts: Box<dyn Checker>,
    /// A word that marks a failure the contract expects (ex04's `empty`).
    pub(crate) expected: Option<&'static str>,
}

impl Checker for Reported {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        let accepted = self.facts.check(transcript)?;
        let expected = |text: &str| {
            self.expected
                .is_some_and(|word| text.to_lowercase().contains(word))
        };
        let reported = transcript.lines().iter().find(|line| {
            match failure(&line.text) {
                None => false,
                // `Error: the list is empty` may be ex04's fact; an exception's
                // name never is.
                Some(Marker::Word) => !expected(&line.text),
                Some(Marker::Raised) => true,
            }
        });
        if let Some(line) = reported {
            return Err(Rejection::at(
                line,
                REPORTED_FAILURE,
                format!(
                    "the program reports a failure: `{}`",
                    shorten(line.text.trim())
                ),
            ));
        }
        // A thread or a process that died of an exception says so on stderr
        // (Python's `Exception in thread …` and traceback, Java's `Exception in
        // thread "…"`), and the program goes on and exits 0 without its work.
        if let Some(died) = transcript
            .stderr()
            .iter()
            .find(|line| died_of_an_exception(line))
        {
            return Err(Rejection::at_end(
                REPORTED_FAILURE,
                format!(
                    "a thread or process died of an exception, on stderr: `{}`",
                    shorten(died.trim())
                ),
            ));
        }
        Ok(accepted)
    }
}

/// Whether a line of stderr says a thread or a process died of an exception.
fn died_of_an_exception(line: &str) -> bool {
    line.contains("Exception in thread") || line.contains("Traceback (most recent call last)")
}

/// How a line says something failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    /// It raised: a traceback, a thread's unhandled exception, an exception's
    /// name with its message, a Java stack frame.
    Raised,
    /// It begins with `Error`, `Failed`, `Failure` or `Exception` as a word.
    Word,
}

/// Whether `text` says something failed.
#[cfg(test)]
fn reports_failure(text: &str) -> bool {
    failure(text).is_some()
}

/// How `text` says something failed, if it does: a traceback or a thread's
/// unhandled exception; an exception's name followed by its message
/// (`ValueError: …`, `java.lang.IllegalStateException: …`); a Java stack frame
/// (`at Ex07.main(Ex07.java:12)`); or a line that begins with `Error`,
/// `Failed`, `Failure` or `Exception` as a word (`Errors: 0` does not).
fn failure(text: &str) -> Option<Marker> {
    let text = text.trim();
    let traceback =
        text.contains("Traceback (most recent call last)") || text.contains("Exception in thread");
    let frame = text.starts_with("at ") && text.contains(".java:");
    if traceback || frame || names_an_exception(text) {
        return Some(Marker::Raised);
    }
    let leading = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    let first_word: &str = leading
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    [
        "Error",
        "ERROR",
        "Failed",
        "FAILED",
        "Failure",
        "FAILURE",
        "Exception",
    ]
    .contains(&first_word)
    .then_some(Marker::Word)
}

/// Whether `text` holds `SomethingError: …` or `pkg.SomethingException: …`.
fn names_an_exception(text: &str) -> bool {
    text.split_whitespace().any(|word| {
        word.strip_suffix(':').is_some_and(|name| {
            let last = name.rsplit('.').next().unwrap_or(name);
            let named = |suffix: &str| {
                last.len() > suffix.len()
                    && last.ends_with(suffix)
                    && last.starts_with(|c: char| c.is_ascii_uppercase())
            };
            named("Error") || named("Exception")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_known_in_the_forms_programs_report_them() {
        for says in [
            "Traceback (most recent call last):",
            "Exception in thread \"main\" java.lang.RuntimeException: boom",
            "ZeroDivisionError: division by zero",
            "Pool size 4: multiprocessing.pool.RemoteError: worker died",
            "java.lang.IllegalStateException: pool closed",
            "\tat Ex07.main(Ex07.java:12)",
            "Error: could not start the pool",
            "Failed to compute the squares with 8 processes",
            "FAILED: pool of 2",
            "[Failure] size 4",
            "Exception occurred in worker 3",
        ] {
            assert!(reports_failure(says), "{says}");
        }
    }

    #[test]
    fn lines_that_only_mention_errors_are_not_failures() {
        for says in [
            "Errors: 0",
            "Completed without errors",
            "No exceptions were raised",
            "Using pool size of 2 processes:",
            "ErrorCount: 0",
            "at 3 s the pool was done",
            "Time taken: 0.01 s (error margin 5 %)",
        ] {
            assert!(!reports_failure(says), "{says}");
        }
    }

    #[test]
    fn a_thread_that_died_on_stderr_fails_a_run_whose_stdout_passes() {
        let checker = crate::Exercise::Ex07
            .checker(&[("upto".to_owned(), "3".to_owned())].into_iter().collect())
            .unwrap();
        let stdout = "Factorial of 1 is 1\nFactorial of 2 is 2\nFactorial of 3 is 6\n";
        let judged =
            |stderr: &str| checker.check(&Transcript::parse(stdout).with_stderr(stderr.as_bytes()));
        assert!(judged("").is_ok());
        assert!(judged("DeprecationWarning: the loop is old\n").is_ok());
        for died in [
            "Exception in thread \"Thread-1\" java.lang.IndexOutOfBoundsException: Index 0 out of bounds for length 0",
            "Exception in thread Thread-2 (remove):\nTraceback (most recent call last):\nIndexError: pop from empty list",
            "Process Process-1:\nTraceback (most recent call last):\nValueError: bad",
        ] {
            let rejection = judged(died).unwrap_err();
            assert_eq!(rejection.rule, REPORTED_FAILURE, "{died}");
            assert_eq!(rejection.line, None, "{died}");
        }
    }
}
