//! The report as exercism's results.json, version 3: a test per run, and one for
//! the loom step; a build error, or a program that could not run at all, is the
//! whole result's `error`. Paths under the folder graded from (the solution's, as
//! exercism's runners start there) are shown relative to it.

use std::path::Path;

use serde_json::json;

use super::{Report, Verdict, shell_words};

/// exercism caps a result's message at 65535 characters.
const MESSAGE_MAX: usize = 65_535;

/// The report as results.json, paths relative to the working folder.
pub(super) fn render(report: &Report) -> Result<String, serde_json::Error> {
    let here = std::env::current_dir().unwrap_or_default();
    render_in(report, &here)
}

/// [`render`], paths relative to `solution`.
fn render_in(report: &Report, solution: &Path) -> Result<String, serde_json::Error> {
    let relative = |text: &str| relative_to(text, solution);
    let task_id = report
        .exercise
        .parse::<contracts::Exercise>()
        .map_or(0, contracts::Exercise::number);
    let mut tests = Vec::new();
    for case in &report.cases {
        for (i, run) in case.runs.iter().enumerate() {
            let passed = run.verdict == Verdict::Pass;
            tests.push(json!({
                "name": format!("{} run {}", case.name, i + 1),
                "status": if passed { "pass" } else { "fail" },
                "message": (!passed).then(|| relative(&format!("{}: {}", run.verdict, run.detail))),
                "output": output(&relative(&run.stdout_tail)),
                "test_code": relative(&shell_words(&case.command)),
                "task_id": task_id,
            }));
        }
    }
    if let Some(loom) = &report.loom {
        tests.push(json!({
            "name": "loom models",
            "status": if loom.passed { "pass" } else { "fail" },
            "message": (!loom.passed).then(|| relative(&loom.detail)),
            "test_code": "cargo xtask loom",
            "task_id": task_id,
        }));
    }
    let results = match report.ungradable() {
        Some(why) => json!({
            "version": 3,
            "status": "error",
            "message": truncate_chars(&relative(&why), MESSAGE_MAX),
        }),
        None => json!({
            "version": 3,
            "status": if report.passed() { "pass" } else { "fail" },
            "tests": tests,
        }),
    };
    Ok(serde_json::to_string_pretty(&results)? + "\n")
}

/// `text` with every path under `folder` written relative to it.
fn relative_to(text: &str, folder: &Path) -> String {
    let folder = folder.display().to_string();
    if folder.is_empty() || folder == "/" {
        return text.to_owned();
    }
    text.replace(&format!("{folder}/"), "")
}

/// The first `max` characters of `text`.
fn truncate_chars(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// What exercism says when a test's output passes its limit.
const TRUNCATED: &str = "Output was truncated. Please limit to 500 chars.";

/// A run's output as exercism takes it: at most 500 characters, the end of a longer
/// one replaced by [`TRUNCATED`].
fn output(text: &str) -> String {
    const MAX: usize = 500;
    if text.chars().count() <= MAX {
        return text.to_owned();
    }
    let kept = MAX - TRUNCATED.chars().count() - 1;
    format!("{}\n{TRUNCATED}", truncate_chars(text, kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_under_the_solution_are_relative_to_it() {
        let solution = Path::new("/home/teacher/solutions/alice");
        assert_eq!(
            relative_to(
                "python3 /home/teacher/solutions/alice/ex04.py /home/teacher/solutions/alicia/x",
                solution
            ),
            "python3 ex04.py /home/teacher/solutions/alicia/x"
        );
        assert_eq!(relative_to("/x/y", Path::new("/")), "/x/y");
    }

    #[test]
    fn long_output_is_cut_to_500_characters_with_the_notice() {
        assert_eq!(output("short"), "short");
        let long = "é".repeat(600);
        let cut = output(&long);
        assert_eq!(cut.chars().count(), 500);
        assert!(cut.ends_with(&format!("\n{TRUNCATED}")));
        assert_eq!(output(&"x".repeat(500)), "x".repeat(500));
    }
}
