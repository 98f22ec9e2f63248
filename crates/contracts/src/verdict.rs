//! What a checker concludes: `Accepted`, or the first broken rule as a `Rejection`.

use std::fmt;

use runner::outcome::{Ending, Outcome};

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
    /// The numbers of the lines that carried no fact (banners, progress lines):
    /// ignored, and listed so that nobody mistakes them for checked.
    pub ignored: Vec<usize>,
}

impl Accepted {
    /// An acceptance with no line ignored.
    pub fn new(summary: impl Into<String>) -> Self {
        Self {
            summary: summary.into(),
            ignored: Vec::new(),
        }
    }

    /// `ignored lines 1, 12`, or `None` when every line carried a fact. Long lists
    /// are cut after ten numbers.
    pub fn ignored_note(&self) -> Option<String> {
        let (shown, more) = match self.ignored.len() {
            0 => return None,
            n if n > 10 => (&self.ignored[..10], format!(", … ({n} lines)")),
            _ => (&self.ignored[..], String::new()),
        };
        let numbers: Vec<String> = shown.iter().map(ToString::to_string).collect();
        let plural = if self.ignored.len() == 1 { "" } else { "s" };
        Some(format!("ignored line{plural} {}{more}", numbers.join(", ")))
    }
}

/// One rule of a contract: a stable id and what a student can do about breaking it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rule {
    /// A stable, kebab-case id (for example `removed-not-held`), listed in the
    /// exercise's doc page; tests and reports match on it.
    pub id: &'static str,
    /// One sentence a student can act on.
    pub hint: &'static str,
}

impl fmt::Debug for Rule {
    /// The id alone: test failures and logs name a rule the way reports do.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rule({})", self.id)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

/// The first rule a transcript breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The rule broken.
    pub rule: Rule,
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
    pub fn at(line: &crate::Line, rule: Rule, reason: impl Into<String>) -> Self {
        Self {
            rule,
            line: Some(line.number),
            text: Some(line.text.clone()),
            reason: reason.into(),
        }
    }

    /// A rejection of the output as a whole, reported at its end.
    pub fn at_end(rule: Rule, reason: impl Into<String>) -> Self {
        Self {
            rule,
            line: None,
            text: None,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Rejection {
    /// `line 4: removed 2, but the list [1] does not hold it [removed-not-held]`, and on a
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
        write!(f, "\n hint: {}", self.rule.hint)
    }
}

/// The grader's verdicts. [`judge`] gives the first five, about one run;
/// `Flaky`, `BuildError` and `ModelCheckFailed` are about a whole grade, and
/// `Missing` about a class's student who handed nothing in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Exited with code 0 and its output keeps the contract.
    Pass,
    /// Exited with code 0 but its output breaks a rule.
    WrongOutput,
    /// Exited with a non-zero code, or was killed by a signal it did not get from us.
    Crash,
    /// Still running at the deadline.
    Timeout,
    /// Printed more than the output cap.
    OutputLimit,
    /// Of several runs, some passed and some did not.
    Flaky,
    /// The submission's source did not build, so nothing ran.
    BuildError,
    /// Its programs passed, but its loom models (graded with `--loom`) failed.
    ModelCheckFailed,
    /// In a class: the student's folder or file is not there, so nothing ran.
    Missing,
}

impl Verdict {
    /// Every verdict, passing first.
    pub const ALL: [Verdict; 9] = [
        Verdict::Pass,
        Verdict::WrongOutput,
        Verdict::Crash,
        Verdict::Timeout,
        Verdict::OutputLimit,
        Verdict::Flaky,
        Verdict::BuildError,
        Verdict::ModelCheckFailed,
        Verdict::Missing,
    ];

    /// Its name in reports: `pass`, `wrong-output`, ….
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::WrongOutput => "wrong-output",
            Verdict::Crash => "crash",
            Verdict::Timeout => "timeout",
            Verdict::OutputLimit => "output-limit",
            Verdict::Flaky => "flaky",
            Verdict::BuildError => "build-error",
            Verdict::ModelCheckFailed => "model-check-failed",
            Verdict::Missing => "missing",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`, so that tables can align verdicts with `{:<13}`.
        f.pad(self.name())
    }
}

/// A verdict with what explains it: the accepted summary, the broken rule, the exit
/// code or signal and the end of stderr, or the last lines printed before a timeout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// The verdict.
    pub verdict: Verdict,
    /// One or more lines explaining it.
    pub detail: String,
    /// For `WrongOutput`, the rule broken, for reports that show it field by field.
    pub rejection: Option<Rejection>,
    /// For `Pass`, the lines that carried no fact and were ignored.
    pub ignored: Vec<usize>,
}

/// Said of a run the grader ended: what a program keeps in its own buffers when it
/// is killed never reaches the pipe.
pub const BUFFER_NOTE: &str = "output the program had buffered but not yet written when it was stopped is lost (Python buffers a pipe: print(..., flush=True) shows it)";

/// Judges one run: how it ended first, then (for a clean exit) its stdout.
pub fn judge(outcome: &Outcome, checker: &dyn Checker) -> Judgement {
    let judgement = |verdict, detail: String| Judgement {
        verdict,
        detail,
        rejection: None,
        ignored: Vec::new(),
    };
    if let Some(limit) = outcome.limit_reached {
        return judgement(
            Verdict::Crash,
            format!("{limit}: the run was ended\n{}", outcome.stderr_tail(5)),
        );
    }
    match outcome.ending {
        Ending::OutputLimit => judgement(
            Verdict::OutputLimit,
            format!("stdout passed the cap of {} bytes", outcome.stdout.len()),
        ),
        Ending::TimedOut => judgement(
            Verdict::Timeout,
            format!(
                "still running after {:.1} s{}; its last lines:\n{}\nnote: {BUFFER_NOTE}",
                outcome.elapsed.as_secs_f64(),
                match outcome.survived_sigterm {
                    true => " (it ignored SIGTERM and was killed)",
                    false => "",
                },
                outcome.stdout_tail(5)
            ),
        ),
        Ending::Signalled(signal) => judgement(
            Verdict::Crash,
            format!(
                "killed by {}\n{}",
                signal_name(signal),
                outcome.stderr_tail(5)
            ),
        ),
        Ending::Exited(code) if code != 0 => judgement(
            Verdict::Crash,
            format!("exited with code {code}\n{}", outcome.stderr_tail(5)),
        ),
        Ending::Exited(_) => match checker
            .check(&Transcript::from_bytes(&outcome.stdout).with_stderr(&outcome.stderr))
        {
            Ok(accepted) => Judgement {
                verdict: Verdict::Pass,
                detail: match accepted.ignored_note() {
                    Some(note) => format!("{}; {note}", accepted.summary),
                    None => accepted.summary,
                },
                rejection: None,
                ignored: accepted.ignored,
            },
            Err(rejection) => Judgement {
                verdict: Verdict::WrongOutput,
                detail: rejection.to_string(),
                rejection: Some(rejection),
                ignored: Vec::new(),
            },
        },
    }
}

/// `SIGSEGV (signal 11)`, or `signal 42` for a signal without a usual name: how
/// verdicts and reports name a signal.
pub fn signal_name(signal: i32) -> String {
    match sync_kit::process::signal_name(signal) {
        Some(name) => format!("{name} (signal {signal})"),
        None => format!("signal {signal}"),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use runner::outcome::LimitReached;

    use super::*;
    use crate::{Exercise, Expectations};

    /// A run that ended so, having printed `stdout` and `stderr`, judged with the
    /// ex04 checker.
    fn judged(ending: Ending, stdout: &str, stderr: &str) -> Judgement {
        judged_outcome(&Outcome {
            ending,
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.as_bytes().to_vec(),
            elapsed: Duration::from_millis(1500),
            ..clean_run()
        })
    }

    fn judged_outcome(outcome: &Outcome) -> Judgement {
        let checker = Exercise::Ex04.checker(&Expectations::new()).unwrap();
        judge(outcome, checker.as_ref())
    }

    #[test]
    fn a_clean_exit_with_a_kept_contract_passes() {
        let judgement = judged(Ending::Exited(0), "Start\nAdded: 0\nFinal list: [0]\n", "");
        assert_eq!(judgement.verdict, Verdict::Pass);
        assert_eq!(
            judgement.detail,
            "1 add, 0 removals, 0 empty; final list [0]; ignored line 1"
        );
        assert_eq!(judgement.ignored, [1]);
    }

    #[test]
    fn a_clean_exit_with_a_broken_rule_is_wrong_output() {
        let judgement = judged(Ending::Exited(0), "Added: 0\nFinal list: [1]\n", "");
        assert_eq!(judgement.verdict, Verdict::WrongOutput);
        assert!(
            judgement.detail.contains("[final-list-mismatch]"),
            "{}",
            judgement.detail
        );
    }

    #[test]
    fn a_thread_that_died_on_stderr_fails_a_clean_exit() {
        let stdout = "Added: 0\nFinal list: [0]\n";
        let died = "Exception in thread Thread-2 (remove):\nTraceback (most recent call last):\n";
        let judgement = judged(Ending::Exited(0), stdout, died);
        assert_eq!(judgement.verdict, Verdict::WrongOutput);
        assert!(
            judgement.detail.contains("[program-reported-failure]"),
            "{}",
            judgement.detail
        );
    }

    #[test]
    fn a_non_zero_exit_is_a_crash_even_with_right_output() {
        let judgement = judged(Ending::Exited(3), "Final list: []\n", "oops\n");
        assert_eq!(judgement.verdict, Verdict::Crash);
        assert_eq!(judgement.detail, "exited with code 3\noops");
    }

    #[test]
    fn a_fatal_signal_is_a_crash_named_by_its_signal() {
        let judgement = judged(Ending::Signalled(11), "", "");
        assert_eq!(judgement.verdict, Verdict::Crash);
        assert!(
            judgement
                .detail
                .starts_with("killed by SIGSEGV (signal 11)"),
            "{}",
            judgement.detail
        );
    }

    #[test]
    fn a_hang_is_a_timeout_that_shows_the_last_lines() {
        let judgement = judged(Ending::TimedOut, "Added: 0\n", "");
        assert_eq!(judgement.verdict, Verdict::Timeout);
        assert!(
            judgement.detail.starts_with("still running after 1.5 s;"),
            "{}",
            judgement.detail
        );
        assert!(
            judgement
                .detail
                .ends_with(&format!("its last lines:\nAdded: 0\nnote: {BUFFER_NOTE}")),
            "{}",
            judgement.detail
        );
    }

    #[test]
    fn a_flood_is_an_output_limit() {
        let judgement = judged(Ending::OutputLimit, &"Added: 0\n".repeat(128), "");
        assert_eq!(judgement.verdict, Verdict::OutputLimit);
        assert_eq!(judgement.detail, "stdout passed the cap of 1152 bytes");
    }

    #[test]
    fn a_reached_cap_is_a_crash_whatever_the_ending() {
        let judgement = judged_outcome(&Outcome {
            limit_reached: Some(LimitReached::Memory),
            ..clean_run()
        });
        assert_eq!(judgement.verdict, Verdict::Crash);
        assert!(
            judgement
                .detail
                .starts_with("memory limit reached: the run was ended"),
            "{}",
            judgement.detail
        );
    }

    /// A run that exited 0 having printed a kept contract.
    fn clean_run() -> Outcome {
        Outcome {
            ending: Ending::Exited(0),
            stdout: b"Final list: []\n".to_vec(),
            stderr: Vec::new(),
            elapsed: Duration::from_millis(10),
            survived_sigterm: false,
            left_behind: 0,
            output_held_open: false,
            tasks: None,
            limit_reached: None,
        }
    }
}
