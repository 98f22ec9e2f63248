//! The report as JUnit XML: one test case per run, and one per build and loom step.
//! A build that failed is an `<error>` (nothing could run); a run that failed is a
//! `<failure>`.

use contracts::junit::{self, Failure, TestCase};

use super::{Report, Verdict};

pub(super) fn render(report: &Report) -> String {
    let mut cases = Vec::new();
    let step = |name: &str, step: &super::Step, kind: &str, error: bool| TestCase {
        name: name.to_owned(),
        seconds: step.seconds,
        failure: (!step.passed).then(|| Failure {
            kind: kind.to_owned(),
            detail: step.detail.clone(),
            error,
        }),
        ..TestCase::default()
    };
    if let Some(build) = &report.build {
        cases.push(step("build", build, "build-error", true));
    }
    for case in &report.cases {
        for (i, run) in case.runs.iter().enumerate() {
            let (stdout, stderr) = match &case.failing {
                Some(f) if f.run == i + 1 => (f.stdout.clone(), f.stderr.clone()),
                _ => (run.stdout_tail.clone(), run.stderr_tail.clone()),
            };
            cases.push(TestCase {
                name: format!("{} run {}", case.name, i + 1),
                seconds: run.seconds,
                failure: (run.verdict != Verdict::Pass).then(|| Failure {
                    kind: run.verdict.name().to_owned(),
                    detail: run.detail.clone(),
                    error: false,
                }),
                stdout,
                stderr,
            });
        }
    }
    if let Some(loom) = &report.loom {
        cases.push(step("loom models", loom, "loom", false));
    }
    junit::render("concurrency-grader", &report.exercise, &cases)
}

#[cfg(test)]
mod tests {
    use super::super::{LimitsReport, Step};
    use super::*;

    #[test]
    fn a_failed_build_is_an_error_not_a_failure() {
        let build = Step {
            passed: false,
            seconds: 1.0,
            detail: "error[E0308]: mismatched types\n  --> src/main.rs:3:5".into(),
        };
        let limits = LimitsReport {
            timeout_seconds: 60.0,
            term_grace_seconds: 1.0,
            output_limit_bytes: 1 << 20,
            memory_limit_bytes: None,
            max_processes: 512,
            repeat: 1,
        };
        let checked = (contracts::Expectations::new(), false);
        let report = Report::new(
            contracts::Exercise::Ex04,
            checked,
            Some(build),
            vec![],
            None,
            limits,
        );
        let xml = render(&report);
        assert!(
            xml.contains("<error type=\"build-error\" message=\"error[E0308]: mismatched types\">"),
            "{xml}"
        );
        assert!(
            xml.contains("tests=\"1\" failures=\"0\" errors=\"1\""),
            "{xml}"
        );
    }
}
