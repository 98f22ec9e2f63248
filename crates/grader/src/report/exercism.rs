//! The report as exercism's results.json, version 3: a test per run, and one for
//! the loom step; a build error is the whole result's `error`.

use serde_json::json;

use super::{Report, Verdict, shell_words};

pub(super) fn render(report: &Report) -> Result<String, serde_json::Error> {
    let task_id = report
        .exercise
        .parse::<test_kit::Exercise>()
        .map_or(0, test_kit::Exercise::number);
    let mut tests = Vec::new();
    for case in &report.cases {
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
