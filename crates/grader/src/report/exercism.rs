//! The report as exercism's results.json, version 3: a test per run, and one for
//! the loom step; a build error is the whole result's `error`.

use serde_json::json;

use super::{Report, Verdict, shell_words};

pub(super) fn render(report: &Report) -> Result<String, serde_json::Error> {
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
                "message": (!passed).then(|| format!("{}: {}", run.verdict, run.detail)),
                "output": output(&run.stdout_tail),
                "test_code": shell_words(&case.command),
                "task_id": task_id,
            }));
        }
    }
    if let Some(loom) = &report.loom {
        tests.push(json!({
            "name": "loom models",
            "status": if loom.passed { "pass" } else { "fail" },
            "message": (!loom.passed).then(|| loom.detail.clone()),
            "test_code": "cargo xtask loom",
            "task_id": task_id,
        }));
    }
    let results = match &report.build {
        Some(build) if !build.passed => json!({
            "version": 3,
            "status": "error",
            // exercism caps the message at 65535 characters.
            "message": truncate_chars(&build.detail, 65_535),
        }),
        _ => json!({
            "version": 3,
            "status": if report.passed() { "pass" } else { "fail" },
            "tests": tests,
        }),
    };
    Ok(serde_json::to_string_pretty(&results)? + "\n")
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
    fn long_output_is_cut_to_500_characters_with_the_notice() {
        assert_eq!(output("short"), "short");
        let long = "é".repeat(600);
        let cut = output(&long);
        assert_eq!(cut.chars().count(), 500);
        assert!(cut.ends_with(&format!("\n{TRUNCATED}")));
        assert_eq!(output(&"x".repeat(500)), "x".repeat(500));
    }
}
