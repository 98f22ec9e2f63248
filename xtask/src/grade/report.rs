//! A grade's report: what each run did, the verdict they add up to, and the four
//! ways of printing it (text for people, JSON, JUnit XML, exercism's results.json v3).

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::json;
use test_kit::Verdict;
use test_kit::run::{Ending, Outcome};

/// How many lines of a run's stdout and stderr each run's report keeps.
const TAIL_LINES: usize = 10;

/// The whole grade of one submission for one exercise.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Report {
    /// `pass` only when every case passed (and the build, when there was one).
    pub(crate) verdict: Verdict,
    /// The exercise's short id, `ex04`.
    pub(crate) exercise: String,
    /// One line saying why: the deciding run's first line, with the pass count.
    pub(crate) summary: String,
    /// The build of a Rust submission (`--workspace`); absent for a plain command.
    pub(crate) build: Option<Step>,
    /// The runs, grouped by the command they ran (one case for a plain command).
    pub(crate) cases: Vec<Case>,
    /// The loom models of a Rust submission (`--loom`): a rubric item of its own,
    /// which does not change `verdict` but does change the exit code.
    pub(crate) loom: Option<Step>,
    /// The limits every run had.
    pub(crate) limits: LimitsReport,
}

/// A build or a loom run: whether it succeeded, and its messages when it did not.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Step {
    pub(crate) passed: bool,
    pub(crate) seconds: f64,
    /// The compiler's or the test runner's last messages (on failure), or a summary.
    pub(crate) detail: String,
}

/// The limits of each run, as reported.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct LimitsReport {
    pub(crate) timeout_seconds: f64,
    pub(crate) term_grace_seconds: f64,
    pub(crate) output_limit_bytes: usize,
    pub(crate) memory_limit_bytes: Option<u64>,
    pub(crate) repeat: usize,
}

/// One command run `repeat` times.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Case {
    /// `ex04`, or `ex04 contended` for a registered variant.
    pub(crate) name: String,
    pub(crate) command: Vec<String>,
    pub(crate) verdict: Verdict,
    /// How many of the runs passed.
    pub(crate) passed: usize,
    pub(crate) runs: Vec<RunReport>,
    /// The deciding failed run's whole output, kept for the report (none on a pass).
    pub(crate) failing: Option<Failing>,
}

/// A failed run's output, whole (up to the output cap).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Failing {
    /// Which run, from 1.
    pub(crate) run: usize,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// One run of a command.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RunReport {
    pub(crate) verdict: Verdict,
    /// Why, in one or more lines.
    pub(crate) detail: String,
    pub(crate) seconds: f64,
    pub(crate) exit_code: Option<i32>,
    /// `SIGSEGV (signal 11)`, or `signal 42`, for a program killed by a signal it
    /// did not get from the grader.
    pub(crate) signal: Option<String>,
    /// For `wrong-output`: the rule broken, and the line and its text.
    pub(crate) rule: Option<String>,
    pub(crate) line: Option<usize>,
    pub(crate) text: Option<String>,
    /// Set when stdout was not UTF-8: where, and that it was read with U+FFFD.
    pub(crate) not_utf8: Option<String>,
    /// At the deadline, the program ignored SIGTERM and was killed.
    pub(crate) ignored_sigterm: bool,
    /// Processes still running, outside the program's group, when it ended.
    pub(crate) left_behind: usize,
    pub(crate) stdout_tail: String,
    pub(crate) stderr_tail: String,
}

impl RunReport {
    /// The report of a run from its outcome and its judgement.
    pub(crate) fn new(outcome: &Outcome, judgement: &test_kit::Judgement) -> Self {
        let rejection = judgement.rejection.as_ref();
        let (exit_code, signal) = match outcome.ending {
            Ending::Exited(code) => (Some(code), None),
            Ending::Signalled(signal) => (None, Some(test_kit::signal_name(signal))),
            Ending::TimedOut | Ending::OutputLimit => (None, None),
        };
        Self {
            verdict: judgement.verdict,
            detail: judgement.detail.clone(),
            seconds: outcome.elapsed.as_secs_f64(),
            exit_code,
            signal,
            rule: rejection.map(|r| r.rule.to_owned()),
            line: rejection.and_then(|r| r.line),
            text: rejection.and_then(|r| r.text.clone()),
            not_utf8: not_utf8(&outcome.stdout),
            ignored_sigterm: outcome.survived_sigterm,
            left_behind: outcome.left_behind,
            stdout_tail: outcome.stdout_tail(TAIL_LINES),
            stderr_tail: outcome.stderr_tail(TAIL_LINES),
        }
    }

    /// The report of a command that could not be started at all.
    pub(crate) fn not_started(error: &std::io::Error) -> Self {
        Self {
            verdict: Verdict::Crash,
            detail: format!("could not be started: {error}"),
            seconds: 0.0,
            exit_code: None,
            signal: None,
            rule: None,
            line: None,
            text: None,
            not_utf8: None,
            ignored_sigterm: false,
            left_behind: 0,
            stdout_tail: String::new(),
            stderr_tail: String::new(),
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

/// What several verdicts on one command add up to: `pass` when all passed, `flaky`
/// when some did, and otherwise the verdict most runs got (the earliest on a tie).
pub(crate) fn aggregate(verdicts: &[Verdict]) -> Verdict {
    let passed = verdicts.iter().filter(|&&v| v == Verdict::Pass).count();
    if passed == verdicts.len() {
        return Verdict::Pass;
    }
    if passed > 0 {
        return Verdict::Flaky;
    }
    let count = |verdict: Verdict| verdicts.iter().filter(|&&v| v == verdict).count();
    let mut most = verdicts[0];
    for &verdict in verdicts {
        if count(verdict) > count(most) {
            most = verdict;
        }
    }
    most
}

impl Case {
    /// The case of `runs` of `command`, its verdict added up, the deciding failed
    /// run's output kept from `outputs` (each run's stdout and stderr).
    pub(crate) fn new(
        name: String,
        command: Vec<String>,
        runs: Vec<RunReport>,
        outputs: Vec<(String, String)>,
    ) -> Self {
        let verdicts: Vec<Verdict> = runs.iter().map(|r| r.verdict).collect();
        let verdict = aggregate(&verdicts);
        let deciding = deciding_run(verdict, &verdicts);
        let failing = (verdict != Verdict::Pass).then(|| {
            let (stdout, stderr) = outputs.get(deciding).cloned().unwrap_or_default();
            Failing {
                run: deciding + 1,
                stdout,
                stderr,
            }
        });
        Self {
            name,
            command,
            verdict,
            passed: verdicts.iter().filter(|&&v| v == Verdict::Pass).count(),
            runs,
            failing,
        }
    }

    /// The run that explains the case's verdict: the first to get it, or for
    /// `flaky` the first that failed.
    fn deciding(&self) -> &RunReport {
        let verdicts: Vec<Verdict> = self.runs.iter().map(|r| r.verdict).collect();
        &self.runs[deciding_run(self.verdict, &verdicts)]
    }

    /// `passed 2 of 3 runs; run 2: line 4: …`, or for one run its first line.
    fn summary(&self) -> String {
        let deciding = self.deciding();
        let why = deciding.detail.lines().next().unwrap_or("");
        match self.runs.len() {
            1 => why.to_owned(),
            n if self.verdict == Verdict::Pass => format!("passed {n} of {n} runs; {why}"),
            n => {
                let which = self.failing.as_ref().map_or(1, |f| f.run);
                format!("passed {} of {n} runs; run {which}: {why}", self.passed)
            }
        }
    }
}

/// The index of the run that explains `verdict` among `verdicts`.
fn deciding_run(verdict: Verdict, verdicts: &[Verdict]) -> usize {
    let wanted = |v: &Verdict| match verdict {
        Verdict::Flaky => *v != Verdict::Pass,
        _ => *v == verdict,
    };
    verdicts.iter().position(wanted).unwrap_or(0)
}

impl Report {
    /// The report of `cases` (after a successful build, if any).
    pub(crate) fn new(
        exercise: test_kit::Exercise,
        build: Option<Step>,
        cases: Vec<Case>,
        loom: Option<Step>,
        limits: LimitsReport,
    ) -> Self {
        let failed = cases.iter().find(|case| case.verdict != Verdict::Pass);
        let (verdict, summary) = match (&build, failed) {
            (Some(build), _) if !build.passed => (
                Verdict::BuildError,
                build.detail.lines().next().unwrap_or("").to_owned(),
            ),
            (_, Some(case)) => (case.verdict, with_case_name(&cases, case)),
            (_, None) => match cases.first() {
                Some(case) if cases.len() == 1 => (Verdict::Pass, case.summary()),
                _ => (Verdict::Pass, format!("all {} cases passed", cases.len())),
            },
        };
        Self {
            verdict,
            exercise: exercise.id().to_owned(),
            summary,
            build,
            cases,
            loom,
            limits,
        }
    }

    /// Whether the grade exits 0: a pass, and the loom rubric item passed if it ran.
    pub(crate) fn passed(&self) -> bool {
        self.verdict == Verdict::Pass && self.loom.as_ref().is_none_or(|loom| loom.passed)
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
pub(crate) enum Format {
    /// For people: the verdict, the broken rule and line, the failing output.
    Text,
    /// One JSON object with a top-level "verdict" and every run's details.
    Json,
    /// JUnit XML: one test case per run (and per build and loom step).
    Junit,
    /// exercism's results.json, version 3.
    Exercism,
}

impl Report {
    /// The report printed as `format`.
    pub(crate) fn render(&self, format: Format) -> String {
        match format {
            Format::Text => self.text(),
            Format::Json => {
                let mut json = serde_json::to_string_pretty(self).unwrap_or_default();
                json.push('\n');
                json
            }
            Format::Junit => self.junit(),
            Format::Exercism => self.exercism(),
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}: {}", self.exercise, self.verdict);
        let _ = writeln!(out, "  {}", self.summary);
        if let Some(build) = &self.build {
            let state = if build.passed { "built" } else { "FAILED" };
            let _ = writeln!(out, "\nbuild: {state} in {:.1} s", build.seconds);
            if !build.passed {
                out.push_str(&indent(&build.detail, "  "));
            }
        }
        for case in &self.cases {
            let _ = writeln!(out, "\n{} · {}", case.name, shell_words(&case.command));
            for (i, run) in case.runs.iter().enumerate() {
                let first = run.detail.lines().next().unwrap_or("");
                let _ = writeln!(
                    out,
                    "  run {:<3} {:<13} {:>7.2} s  {first}",
                    i + 1,
                    run.verdict,
                    run.seconds
                );
                for note in run_notes(run) {
                    let _ = writeln!(out, "          note: {note}");
                }
            }
            if let Some(failing) = &case.failing {
                let run = &case.runs[failing.run - 1];
                let _ = writeln!(out, "\n  run {} ({}):", failing.run, run.verdict);
                out.push_str(&indent(&run.detail, "    "));
                let _ = writeln!(out, "  its stdout (last {TAIL_LINES} lines):");
                out.push_str(&indent(or_nothing(&run.stdout_tail), "    | "));
                let _ = writeln!(out, "  its stderr (last {TAIL_LINES} lines):");
                out.push_str(&indent(or_nothing(&run.stderr_tail), "    | "));
            }
        }
        if let Some(loom) = &self.loom {
            let state = if loom.passed { "pass" } else { "FAILED" };
            let _ = writeln!(out, "\nloom models: {state} in {:.1} s", loom.seconds);
            out.push_str(&indent(&loom.detail, "  "));
        }
        let limits = &self.limits;
        let memory = limits
            .memory_limit_bytes
            .map_or("no memory limit".to_owned(), |bytes| {
                format!("memory {} per process", size_text(bytes))
            });
        let _ = writeln!(
            out,
            "\nlimits: {} run(s) of {} s each (+{} s after SIGTERM), output {}, {memory}",
            limits.repeat,
            limits.timeout_seconds,
            limits.term_grace_seconds,
            size_text(limits.output_limit_bytes as u64),
        );
        out
    }

    fn junit(&self) -> String {
        let mut cases = String::new();
        let mut failures = 0;
        let mut total = 0;
        let mut seconds = 0.0;
        let mut testcase =
            |name: &str, secs: f64, failure: Option<(&str, &str)>, out: &str, err: &str| {
                total += 1;
                seconds += secs;
                let _ = writeln!(
                    cases,
                    "    <testcase classname=\"{}\" name=\"{}\" time=\"{secs:.3}\">",
                    xml(&self.exercise),
                    xml(name)
                );
                if let Some((kind, detail)) = failure {
                    failures += 1;
                    let message = detail.lines().next().unwrap_or("");
                    let _ = writeln!(
                        cases,
                        "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                        xml(kind),
                        xml(message),
                        xml(detail)
                    );
                }
                if !out.is_empty() {
                    let _ = writeln!(cases, "      <system-out>{}</system-out>", xml(out));
                }
                if !err.is_empty() {
                    let _ = writeln!(cases, "      <system-err>{}</system-err>", xml(err));
                }
                cases.push_str("    </testcase>\n");
            };
        if let Some(build) = &self.build {
            let failure = (!build.passed).then_some(("build-error", build.detail.as_str()));
            testcase("build", build.seconds, failure, "", "");
        }
        for case in &self.cases {
            for (i, run) in case.runs.iter().enumerate() {
                let name = format!("{} run {}", case.name, i + 1);
                let failure = (run.verdict != Verdict::Pass)
                    .then(|| (run.verdict.name(), run.detail.as_str()));
                let (out, err) = match &case.failing {
                    Some(f) if f.run == i + 1 => (f.stdout.as_str(), f.stderr.as_str()),
                    _ => (run.stdout_tail.as_str(), run.stderr_tail.as_str()),
                };
                testcase(&name, run.seconds, failure, out, err);
            }
        }
        if let Some(loom) = &self.loom {
            let failure = (!loom.passed).then_some(("loom", loom.detail.as_str()));
            testcase("loom models", loom.seconds, failure, "", "");
        }
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <testsuites name=\"cargo xtask grade\" tests=\"{total}\" failures=\"{failures}\" time=\"{seconds:.3}\">\n  \
             <testsuite name=\"{}\" tests=\"{total}\" failures=\"{failures}\" errors=\"0\" time=\"{seconds:.3}\">\n\
             {cases}  </testsuite>\n</testsuites>\n",
            xml(&self.exercise)
        )
    }

    fn exercism(&self) -> String {
        let task_id = self
            .exercise
            .parse::<test_kit::Exercise>()
            .map_or(0, test_kit::Exercise::number);
        let mut tests = Vec::new();
        for case in &self.cases {
            for (i, run) in case.runs.iter().enumerate() {
                let passed = run.verdict == Verdict::Pass;
                tests.push(json!({
                    "name": format!("{} run {}", case.name, i + 1),
                    "status": if passed { "pass" } else { "fail" },
                    "message": (!passed).then(|| format!("{}: {}", run.verdict, run.detail)),
                    // exercism shows at most 500 characters of output.
                    "output": truncate_chars(&run.stdout_tail, 500),
                    "test_code": shell_words(&case.command),
                    "task_id": task_id,
                }));
            }
        }
        if let Some(loom) = &self.loom {
            tests.push(json!({
                "name": "loom models",
                "status": if loom.passed { "pass" } else { "fail" },
                "message": (!loom.passed).then(|| loom.detail.clone()),
                "test_code": "cargo xtask loom",
                "task_id": task_id,
            }));
        }
        let results = match &self.build {
            Some(build) if !build.passed => json!({
                "version": 3,
                "status": "error",
                // exercism caps the message at 65535 characters.
                "message": truncate_chars(&build.detail, 65_535),
            }),
            _ => json!({
                "version": 3,
                "status": if self.passed() { "pass" } else { "fail" },
                "tests": tests,
            }),
        };
        let mut json = serde_json::to_string_pretty(&results).unwrap_or_default();
        json.push('\n');
        json
    }
}

/// Notes about a run beyond its verdict: non-UTF-8 output, ignored SIGTERM,
/// processes left behind.
fn run_notes(run: &RunReport) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(not_utf8) = &run.not_utf8 {
        notes.push(not_utf8.clone());
    }
    if run.ignored_sigterm {
        notes.push("it ignored SIGTERM at the deadline and was killed".to_owned());
    }
    if run.left_behind > 0 {
        notes.push(format!(
            "{} process(es) it started had left its process group and were still running when it ended; they were killed",
            run.left_behind
        ));
    }
    notes
}

fn or_nothing(text: &str) -> &str {
    if text.is_empty() { "(nothing)" } else { text }
}

/// `text` with each line prefixed by `prefix`, ending with a newline.
fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|line| format!("{prefix}{line}\n"))
        .collect()
}

/// A command as one could type it: words with spaces or quotes are single-quoted.
pub(crate) fn shell_words(command: &[String]) -> String {
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

/// `2 GiB`, `1 MiB`, `1536 KiB`, or bytes.
pub(crate) fn size_text(bytes: u64) -> String {
    for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{} {unit}", bytes >> shift);
        }
    }
    format!("{bytes} bytes")
}

/// The first `max` characters of `text`.
fn truncate_chars(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// `text` escaped for XML 1.0, with the characters XML cannot hold at all (most
/// control characters) shown as U+FFFD.
fn xml(text: &str) -> String {
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

    use Verdict::*;

    #[test]
    fn verdicts_add_up_to_pass_flaky_or_the_most_common_failure() {
        assert_eq!(aggregate(&[Pass]), Pass);
        assert_eq!(aggregate(&[Pass, Pass, Pass]), Pass);
        assert_eq!(aggregate(&[Pass, WrongOutput, Pass]), Flaky);
        assert_eq!(aggregate(&[Timeout, Pass]), Flaky);
        assert_eq!(aggregate(&[Crash]), Crash);
        assert_eq!(aggregate(&[Crash, Timeout, Timeout]), Timeout);
        assert_eq!(aggregate(&[WrongOutput, Crash]), WrongOutput);
    }

    #[test]
    fn the_deciding_run_of_a_flaky_case_is_its_first_failure() {
        assert_eq!(deciding_run(Flaky, &[Pass, Pass, Crash, WrongOutput]), 2);
        assert_eq!(deciding_run(Timeout, &[Crash, Timeout, Timeout]), 1);
        assert_eq!(deciding_run(Pass, &[Pass, Pass]), 0);
    }

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
    fn xml_escapes_markup_and_replaces_what_xml_cannot_hold() {
        assert_eq!(
            xml("a<b & \"c\"\x07\n"),
            "a&lt;b &amp; &quot;c&quot;\u{fffd}\n"
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

    #[test]
    fn sizes_are_shown_in_the_largest_whole_unit() {
        assert_eq!(size_text(2 << 30), "2 GiB");
        assert_eq!(size_text(1 << 20), "1 MiB");
        assert_eq!(size_text(1536 << 10), "1536 KiB");
        assert_eq!(size_text(1000), "1000 bytes");
    }
}
