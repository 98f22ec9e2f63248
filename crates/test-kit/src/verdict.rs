//! What a checker concludes: `Accepted`, or the first broken rule as a `Rejection`.

use std::fmt;

use crate::Transcript;

/// Checks transcripts against one exercise's contract, configured with whatever the
/// caller knows about the run (for example the counts a program was asked for).
pub trait Checker: fmt::Debug + Send + Sync {
    /// Accepts `transcript`, or reports the first rule it breaks.
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection>;
}

/// A transcript that keeps every rule, with a one-line summary of what it showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// For example `5 adds, 4 removals, 1 empty; final list [4]`.
    pub summary: String,
}

/// The first rule a transcript breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// A stable, kebab-case rule id (for example `removed-not-head`), listed in the
    /// exercise's doc page; tests and reports match on it.
    pub rule: &'static str,
    /// The line it breaks at, or `None` when the rule is about the output as a whole
    /// (a missing final line).
    pub line: Option<usize>,
    /// That line's text, when there is one.
    pub text: Option<String>,
    /// Why, in one line.
    pub reason: String,
}

impl Rejection {
    /// A rejection at `line` (its number and text).
    pub fn at(line: &crate::Line, rule: &'static str, reason: impl Into<String>) -> Self {
        Self {
            rule,
            line: Some(line.number),
            text: Some(line.text.clone()),
            reason: reason.into(),
        }
    }

    /// A rejection of the output as a whole, reported at its end.
    pub fn at_end(rule: &'static str, reason: impl Into<String>) -> Self {
        Self {
            rule,
            line: None,
            text: None,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Rejection {
    /// `line 4: removed 2, but the head of the list is 1 [removed-not-head]`, and on a
    /// second line the offending text, as a compiler shows a source line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(n) => write!(f, "line {n}: ")?,
            None => write!(f, "at end of output: ")?,
        }
        write!(f, "{} [{}]", self.reason, self.rule)?;
        if let (Some(n), Some(text)) = (self.line, &self.text) {
            write!(f, "\n{n:>5} | {text}")?;
        }
        Ok(())
    }
}
