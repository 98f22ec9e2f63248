//! Why a grade could not grade anything: the submission's build failed, no
//! answer was found in a notebook, or no run could run the program at all. Every
//! report format that has a place for "not gradable" says it from here.

use super::{Report, RunReport, Verdict};

impl Report {
    /// Why nothing could be graded, when so; `None` when the program ran.
    pub fn ungradable(&self) -> Option<String> {
        if let Some(build) = self.build.as_ref().filter(|build| !build.passed) {
            return Some(build.detail.clone());
        }
        if self.verdict == Verdict::Missing {
            return Some(self.summary.clone());
        }
        let runs: Vec<&RunReport> = self.cases.iter().flat_map(|case| &case.runs).collect();
        never_ran(&runs).map(did_not_run)
    }
}

/// The first run, when no run could run the program at all: each one a crash
/// that exited (or never started) without printing a line, as a syntax error, a
/// missing file or an exception before the first print does.
fn never_ran<'a>(runs: &[&'a RunReport]) -> Option<&'a RunReport> {
    let first = *runs.first()?;
    runs.iter()
        .all(|run| {
            run.verdict == Verdict::Crash
                && run.stdout_tail.is_empty()
                && run.signal.is_none()
                && run.limit_reached.is_none()
        })
        .then_some(first)
}

/// What the program said when it could not run.
fn did_not_run(run: &RunReport) -> String {
    match run.stderr_tail.is_empty() {
        true => format!("the program did not run: {}", run.detail),
        false => format!(
            "the program did not run: {}\n{}",
            run.detail, run.stderr_tail
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crashed(stdout: &str, stderr: &str) -> RunReport {
        let mut run = RunReport::not_started(&std::io::Error::other("x"));
        run.detail = "exit code 1".into();
        run.exit_code = Some(1);
        run.stdout_tail = stdout.into();
        run.stderr_tail = stderr.into();
        run
    }

    #[test]
    fn a_program_that_never_printed_and_crashed_every_time_never_ran() {
        let syntax = crashed("", "SyntaxError: invalid syntax");
        assert!(never_ran(&[&syntax, &syntax]).is_some());
        assert_eq!(
            did_not_run(&syntax),
            "the program did not run: exit code 1\nSyntaxError: invalid syntax"
        );
        // One run that printed ran; so did a program killed by a signal.
        let printed = crashed("Added 1", "");
        assert!(never_ran(&[&syntax, &printed]).is_none());
        let mut segfault = crashed("", "");
        segfault.signal = Some("SIGSEGV (signal 11)".into());
        assert!(never_ran(&[&segfault]).is_none());
        let mut wrong = crashed("", "");
        wrong.verdict = Verdict::WrongOutput;
        assert!(never_ran(&[&wrong]).is_none());
        assert!(never_ran(&[]).is_none());
    }
}
