//! The report as JUnit XML: one test case per run, and one per build and loom step.
//! A build that failed is an `<error>` (nothing could run); a run that failed is a
//! `<failure>`.

use test_kit::junit::{self, Failure, TestCase};

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
