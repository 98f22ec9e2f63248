//! The report in the result formats of the platforms schools grade on, one item
//! (a "test") per case, worth one point when it passes:
//!
//! - Gradescope's `results.json` (its autograder specification): `score`, and
//!   `tests` with `score`, `max_score`, `status`, `name`, `output`, `visibility`;
//! - PrairieLearn's external grading `results.json`: `gradable` (false, with
//!   `format_errors`, when nothing could be graded, so the student keeps the
//!   attempt), `score` in [0, 1], and `tests` with `points` and `max_points`;
//! - GitHub Classroom's runner result (what `autograding-grading-reporter` reads,
//!   base64-encoded, from a step's `result` output): `version` 1, `status`
//!   (`pass`, `fail`, or `error` when nothing could be graded), `max_score`, and
//!   `tests` with `status`, `score` and `message`.

use serde_json::{Value, json};

use super::{Case, Report, Verdict};

/// One graded item: a case, or the loom models.
struct Item {
    name: String,
    passed: bool,
    /// Why, in one line.
    message: String,
    /// The summary and, when it failed, the deciding run's hint and output.
    output: String,
    seconds: f64,
}

/// The report's items.
fn items(report: &Report) -> Vec<Item> {
    let mut items: Vec<Item> = report.cases.iter().map(item).collect();
    if let Some(loom) = &report.loom {
        items.push(Item {
            name: "loom models".to_owned(),
            passed: loom.passed,
            message: loom.detail.lines().next().unwrap_or("").to_owned(),
            output: loom.detail.clone(),
            seconds: loom.seconds,
        });
    }
    items
}

fn item(case: &Case) -> Item {
    let passed = case.verdict == Verdict::Pass;
    let message = format!("{}: {}", case.verdict, case.summary());
    let mut output = message.clone();
    if let Some(failing) = &case.failing
        && let Some(run) = case.runs.get(failing.run.saturating_sub(1))
    {
        if let Some(hint) = &run.hint {
            output.push_str(&format!("\nhint: {hint}"));
        }
        if !run.stdout_tail.is_empty() {
            output.push_str(&format!("\nits last lines:\n{}", run.stdout_tail));
        }
    }
    Item {
        name: case.name.clone(),
        passed,
        message,
        output,
        seconds: case.runs.iter().map(|run| run.seconds).sum(),
    }
}

/// The report's opening lines: the verdict, the summary, and where a notebook's
/// answer was found.
fn heading(report: &Report) -> String {
    let mut text = format!(
        "{}: {}\n{}",
        report.exercise, report.verdict, report.summary
    );
    if let Some(answer) = &report.answer {
        text.push_str(&format!("\nanswer: {}", answer.describe()));
    }
    text
}

/// Gradescope's results.json.
pub(super) fn gradescope(report: &Report) -> Value {
    let items = items(report);
    let mut tests: Vec<Value> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            json!({
                "name": item.name,
                "number": (i + 1).to_string(),
                "score": if item.passed { 1.0 } else { 0.0 },
                "max_score": 1.0,
                "status": if item.passed { "passed" } else { "failed" },
                "output": item.output,
                "visibility": "visible",
            })
        })
        .collect();
    if let Some(why) = report.ungradable().filter(|_| tests.is_empty()) {
        tests.push(json!({
            "name": report.exercise,
            "number": "1",
            "score": 0.0,
            "max_score": 1.0,
            "status": "failed",
            "output": why,
            "visibility": "visible",
        }));
    }
    let score: f64 = tests.iter().filter_map(|t| t["score"].as_f64()).sum();
    json!({
        "score": score,
        "execution_time": items.iter().map(|item| item.seconds).sum::<f64>().round() as u64,
        "output": heading(report),
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    })
}

/// PrairieLearn's external grading results.json.
pub(super) fn prairielearn(report: &Report) -> Value {
    if let Some(why) = report.ungradable() {
        return json!({
            "gradable": false,
            "format_errors": [why],
            "message": heading(report),
        });
    }
    let items = items(report);
    let passed = items.iter().filter(|item| item.passed).count();
    let tests: Vec<Value> = items
        .iter()
        .map(|item| {
            json!({
                "name": item.name,
                "points": u32::from(item.passed),
                "max_points": 1,
                "message": item.message,
                "output": item.output,
            })
        })
        .collect();
    json!({
        "gradable": true,
        "score": if items.is_empty() { 0.0 } else { passed as f64 / items.len() as f64 },
        "message": heading(report),
        "tests": tests,
    })
}

/// GitHub Classroom's runner result.
pub(super) fn github_classroom(report: &Report) -> Value {
    let items = items(report);
    let ungradable = report.ungradable();
    let status = match (&ungradable, report.passed()) {
        (Some(_), _) => "error",
        (None, true) => "pass",
        (None, false) => "fail",
    };
    let mut tests: Vec<Value> = items
        .iter()
        .map(|item| {
            json!({
                "name": item.name,
                "status": if item.passed { "pass" } else { "fail" },
                "score": u32::from(item.passed),
                "message": item.message,
                "test_code": format!("concurrency-grader {}", report.exercise),
                "execution_time": format!("{:.2}s", item.seconds),
            })
        })
        .collect();
    if let Some(why) = ungradable.filter(|_| tests.is_empty()) {
        tests.push(json!({
            "name": report.exercise,
            "status": "error",
            "score": 0,
            "message": why,
            "test_code": format!("concurrency-grader {}", report.exercise),
        }));
    }
    json!({
        "version": 1,
        "status": status,
        "max_score": tests.len(),
        "tests": tests,
    })
}
