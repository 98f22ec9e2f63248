//! A grade's report: what each run did, how a command's runs add up ([`case`]),
//! the verdict of the whole grade, and the formats it is printed in (text for
//! people in [`text`], JSON, JUnit XML in [`junit`], exercism's results.json v3
//! in [`exercism`]).

mod answer;
mod case;
mod exercism;
mod junit;
mod platforms;
mod text;
mod ungradable;

pub use answer::AnswerReport;
pub use case::{Case, Failing, Tally, aggregate};

use crate::conditions::RunCondition;
use contracts::Verdict;
use runner::{Containment, LimitReached, Tasks};
use runner::{Ending, Outcome};
use serde::{Deserialize, Serialize};

/// How many lines of a run's stdout and stderr each run's report keeps.
const TAIL_LINES: usize = 10;

/// The version of the JSON report's layout: raised whenever a field changes meaning
/// or goes away (new fields may appear without it).
pub const SCHEMA: u32 = 2;

/// The whole grade of one submission for one exercise.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// The report layout's version, [`SCHEMA`].
    pub schema: u32,
    /// The version of the grader (and of the contracts built into it).
    pub kit_version: String,
    /// `pass` only when every case passed (and the build and the loom models, when
    /// they ran).
    pub verdict: Verdict,
    /// The exercise's short id, `ex04`.
    pub exercise: String,
    /// The expectations applied: the contract's defaults with the `--expect` pairs
    /// over them (`any` where one was lifted). Each case states its own as well.
    pub expectations: contracts::Expectations,
    /// Whether every line also had to be one of the contract's exact lines.
    pub strict: bool,
    /// One line saying why: the deciding run's first line, with the pass count.
    pub summary: String,
    /// The build of a Rust submission (`--workspace`); absent for a plain command.
    pub build: Option<Step>,
    /// The runs, grouped by the command they ran (one case for a plain command).
    pub cases: Vec<Case>,
    /// The loom models of a Rust submission (`--loom`): a rubric item of its own,
    /// which does not change `verdict` but does change the exit code.
    pub loom: Option<Step>,
    /// The limits every run had.
    pub limits: LimitsReport,
    /// How the runs were contained: namespaces, caps, and what was not in force.
    pub containment: Option<Containment>,
    /// The environment every run had: the pinned variables, and those added.
    #[serde(default)]
    pub environment: Option<crate::environment::EnvironmentReport>,
    /// For a notebook: where its answer was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<AnswerReport>,
}

/// A build or a loom run: whether it succeeded, and its messages when it did not.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Step {
    /// Whether it succeeded.
    pub passed: bool,
    /// How long it took.
    pub seconds: f64,
    /// The compiler's or the test runner's last messages (on failure), or a summary.
    pub detail: String,
}

/// The limits of each run, as reported.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LimitsReport {
    /// Each run's deadline.
    pub timeout_seconds: f64,
    /// How long a program has after SIGTERM before SIGKILL.
    pub term_grace_seconds: f64,
    /// The most stdout a run may print.
    pub output_limit_bytes: usize,
    /// The memory limit: of the whole run where a memory cgroup holds it (see
    /// the report's `containment`), else of each process's private writable memory.
    pub memory_limit_bytes: Option<u64>,
    /// The most tasks a run may have alive at once, where a pids cgroup holds it.
    #[serde(default)]
    pub max_processes: u32,
    /// How many runs.
    pub repeat: usize,
}

/// One run of a command.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunReport {
    /// This run's verdict.
    pub verdict: Verdict,
    /// Why, in one or more lines.
    pub detail: String,
    /// Its wall time.
    pub seconds: f64,
    /// Its exit code, when it exited.
    pub exit_code: Option<i32>,
    /// `SIGSEGV (signal 11)`, or `signal 42`, for a program killed by a signal it
    /// did not get from the grader.
    pub signal: Option<String>,
    /// For `wrong-output`: the rule broken, and the line and its text.
    pub rule: Option<String>,
    /// For `wrong-output`: what the student can do about it, in one sentence.
    pub hint: Option<String>,
    /// For `pass`: the lines that carried no fact and were ignored.
    pub ignored_lines: Vec<usize>,
    /// The line (from 1) where the rule broke, if it broke at a line.
    pub line: Option<usize>,
    /// That line's text.
    pub text: Option<String>,
    /// Set when stdout was not UTF-8: where, and that it was read with U+FFFD.
    pub not_utf8: Option<String>,
    /// At the deadline, the program ignored SIGTERM and was killed.
    pub ignored_sigterm: bool,
    /// Processes still running, outside the program's group, when it ended.
    pub left_behind: usize,
    /// The tasks the run created, where the jail counted them.
    pub tasks: Option<Tasks>,
    /// The cap the run reached, which ended it.
    pub limit_reached: Option<LimitReached>,
    /// Its stdout's last lines.
    pub stdout_tail: String,
    /// Its stderr's last lines.
    pub stderr_tail: String,
    /// The condition it ran under.
    #[serde(default)]
    pub condition: Option<RunCondition>,
    /// Who ran the program's own functions, for a Python program: its threads
    /// and processes that did the work.
    #[serde(default)]
    pub work: Option<contracts::work::Work>,
    /// For a `preempt` run: its seed, and whether a Python process paused.
    #[serde(default)]
    pub preempt: Option<Preempt>,
}

/// What a `preempt` run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preempt {
    /// The seed its pauses were drawn from (`--seed` replays it).
    pub seed: u64,
    /// Whether a Python process of it paused at random: not for a program in
    /// another language, nor a Python started with `-I`, `-E` or `-S`.
    pub active: bool,
}

impl RunReport {
    /// The report of a run from its outcome and its judgement.
    pub fn new(outcome: &Outcome, judgement: &contracts::Judgement) -> Self {
        let rejection = judgement.rejection.as_ref();
        let (exit_code, signal) = match outcome.ending {
            Ending::Exited(code) => (Some(code), None),
            Ending::Signalled(signal) => (None, Some(contracts::signal_name(signal))),
            Ending::TimedOut | Ending::OutputLimit => (None, None),
        };
        Self {
            verdict: judgement.verdict,
            detail: judgement.detail.clone(),
            seconds: outcome.elapsed.as_secs_f64(),
            exit_code,
            signal,
            rule: rejection.map(|r| r.rule.id.to_owned()),
            hint: rejection.map(|r| r.rule.hint.to_owned()),
            ignored_lines: judgement.ignored.clone(),
            line: rejection.and_then(|r| r.line),
            text: rejection.and_then(|r| r.text.clone()),
            not_utf8: not_utf8(&outcome.stdout),
            ignored_sigterm: outcome.survived_sigterm,
            left_behind: outcome.left_behind,
            tasks: outcome.tasks.clone(),
            limit_reached: outcome.limit_reached,
            stdout_tail: outcome.stdout_tail(TAIL_LINES),
            stderr_tail: outcome.stderr_tail(TAIL_LINES),
            condition: None,
            work: None,
            preempt: None,
        }
    }

    /// This run, saying it ran under `condition`.
    pub fn under(self, condition: RunCondition) -> Self {
        Self {
            condition: Some(condition),
            ..self
        }
    }

    /// The report of a command that could not be started at all.
    pub fn not_started(error: &std::io::Error) -> Self {
        Self {
            verdict: Verdict::Crash,
            detail: format!("could not be started: {error}"),
            seconds: 0.0,
            exit_code: None,
            signal: None,
            rule: None,
            hint: None,
            ignored_lines: Vec::new(),
            line: None,
            text: None,
            not_utf8: None,
            ignored_sigterm: false,
            left_behind: 0,
            tasks: None,
            limit_reached: None,
            stdout_tail: String::new(),
            stderr_tail: String::new(),
            condition: None,
            work: None,
            preempt: None,
        }
    }
}

/// Where `output` stops being UTF-8, said for a person, or `None` when it is UTF-8.
fn not_utf8(output: &[u8]) -> Option<String> {
    let error = std::str::from_utf8(output).err()?;
    let at = error.valid_up_to();
    let line = output[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    Some(format!(
        "stdout is not UTF-8: byte 0x{:02x} at offset {at} (line {line}); such bytes were read as U+FFFD",
        output[at]
    ))
}

impl Report {
    /// The report of `cases` (after a successful build, if any), checked with
    /// `checked`: the expectations applied and whether lines were strict.
    pub fn new(
        exercise: contracts::Exercise,
        checked: (contracts::Expectations, bool),
        build: Option<Step>,
        cases: Vec<Case>,
        loom: Option<Step>,
        limits: LimitsReport,
    ) -> Self {
        let failed = cases.iter().find(|case| case.verdict != Verdict::Pass);
        let first_line = |step: &Step| step.detail.lines().next().unwrap_or("").to_owned();
        let (verdict, summary) = match (&build, failed, &loom) {
            (Some(build), _, _) if !build.passed => (Verdict::BuildError, first_line(build)),
            (_, Some(case), _) => (case.verdict, with_case_name(&cases, case)),
            (_, None, Some(loom)) if !loom.passed => (Verdict::ModelCheckFailed, first_line(loom)),
            (_, None, _) => match cases.first() {
                Some(case) if cases.len() == 1 => (Verdict::Pass, case.summary()),
                _ => (Verdict::Pass, format!("all {} cases passed", cases.len())),
            },
        };
        let (expectations, strict) = checked;
        Self {
            schema: SCHEMA,
            kit_version: env!("CARGO_PKG_VERSION").to_owned(),
            verdict,
            exercise: exercise.id().to_owned(),
            expectations,
            strict,
            summary,
            build,
            cases,
            loom,
            limits,
            containment: None,
            environment: None,
            answer: None,
        }
    }

    /// Whether the grade exits 0: a pass (which needs the loom models to pass too,
    /// when they ran).
    pub fn passed(&self) -> bool {
        self.verdict == Verdict::Pass
    }
}

/// A case's summary, prefixed with its name when there are several cases.
fn with_case_name(cases: &[Case], case: &Case) -> String {
    match cases.len() {
        1 => case.summary(),
        _ => format!("{}: {}", case.name, case.summary()),
    }
}

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people: the verdict, the broken rule and line, the failing output.
    Text,
    /// One JSON object with a top-level "verdict" and every run's details.
    Json,
    /// JUnit XML: one test case per run (and per build and loom step).
    Junit,
    /// exercism's results.json, version 3.
    Exercism,
    /// Gradescope's autograder results.json.
    Gradescope,
    /// PrairieLearn's external grading results.json.
    Prairielearn,
    /// GitHub Classroom's runner result (base64-encode it into the step's
    /// `result` output for autograding-grading-reporter).
    GithubClassroom,
}

impl Format {
    /// The file it is written to with `--out`.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Text => "report.txt",
            Format::Json => "report.json",
            Format::Junit => "junit.xml",
            Format::Exercism => "exercism.json",
            Format::Gradescope => "gradescope.json",
            Format::Prairielearn => "prairielearn.json",
            Format::GithubClassroom => "github-classroom.json",
        }
    }

    /// Whether it is a result file a platform's runner reads (exercism,
    /// Gradescope, PrairieLearn, GitHub Classroom): the verdict is in the file,
    /// and the grader exits 0 once it is written, as those runners expect.
    pub fn is_result_file(self) -> bool {
        matches!(
            self,
            Format::Exercism | Format::Gradescope | Format::Prairielearn | Format::GithubClassroom
        )
    }
}

impl Report {
    /// The report printed as `format`. Only JSON can fail, on a report that
    /// serde cannot write (it has none today, but a report is never half-printed).
    pub fn render(&self, format: Format) -> Result<String, serde_json::Error> {
        Ok(match format {
            Format::Text => text::render(self),
            Format::Json => serde_json::to_string_pretty(self)? + "\n",
            Format::Junit => junit::render(self),
            Format::Exercism => exercism::render(self)?,
            Format::Gradescope => {
                serde_json::to_string_pretty(&platforms::gradescope(self))? + "\n"
            }
            Format::Prairielearn => {
                serde_json::to_string_pretty(&platforms::prairielearn(self))? + "\n"
            }
            Format::GithubClassroom => {
                serde_json::to_string_pretty(&platforms::github_classroom(self))? + "\n"
            }
        })
    }
}

/// A command as one could type it: words with spaces or quotes are single-quoted.
pub fn shell_words(command: &[String]) -> String {
    let word = |w: &String| {
        let plain = !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
        if plain {
            w.clone()
        } else {
            format!("'{}'", w.replace('\'', r"'\''"))
        }
    };
    command.iter().map(word).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_utf8_output_is_located() {
        assert_eq!(not_utf8(b"ok\n"), None);
        assert_eq!(
            not_utf8(b"a\nb\xffc\n").as_deref(),
            Some(
                "stdout is not UTF-8: byte 0xff at offset 3 (line 2); such bytes were read as U+FFFD"
            )
        );
    }

    #[test]
    fn commands_are_shown_as_typed() {
        let command = ["python3", "my file.py", "--n=3", "it's"].map(String::from);
        assert_eq!(
            shell_words(&command),
            r"python3 'my file.py' --n=3 'it'\''s'"
        );
    }
}
