//! The published result formats of the grading platforms, as checks: what each
//! platform's documentation says a result must hold, so that a test can refuse a
//! report that breaks it.
//!
//! - Gradescope, "Autograder Specifications" (gradescope-autograders.readthedocs.io,
//!   specs): `score` at the top or on every test; each test's optional `score`,
//!   `max_score` numbers, `name`, `number` and `output` strings, `status`
//!   `passed` or `failed`, `visibility` one of `hidden`, `after_due_date`,
//!   `after_published`, `visible` (as the top level's and `stdout_visibility`).
//! - PrairieLearn, "External Grading", Grading results: `score` in [0, 1] when
//!   `gradable` (a boolean, true when absent); otherwise `format_errors`, a string
//!   or a list of them; each test's `name`, `points`, `max_points`, `message`,
//!   `output`.
//! - GitHub Classroom, `autograding-grading-reporter` (the runner result it
//!   decodes): `tests`, each with `name` and `status` `pass`, `fail` or `error`,
//!   and `score` when the result has a `max_score`; the result's `status` the
//!   same three.
//!
//! None of the three publishes a machine-readable schema; these are their
//! documented fields, written down once here.

use serde_json::Value;

const VISIBILITY: [&str; 4] = ["hidden", "after_due_date", "after_published", "visible"];

/// Whether `result` keeps Gradescope's specification; why not, if it does not.
///
/// # Errors
///
/// The first field that breaks it.
pub fn gradescope(result: &Value) -> Result<(), String> {
    let tests = result["tests"].as_array().ok_or("no `tests` list")?;
    let top_score = result.get("score");
    if let Some(score) = top_score {
        score.as_f64().ok_or("`score` is not a number")?;
    }
    for key in ["visibility", "stdout_visibility"] {
        if let Some(value) = result.get(key) {
            one_of(value, &VISIBILITY, key)?;
        }
    }
    for test in tests {
        if top_score.is_none() {
            test["score"]
                .as_f64()
                .ok_or("a test has no `score`, and the result none either")?;
        }
        optional_fields(test, &["score", "max_score"], &["name", "number", "output"])?;
        if let Some(status) = test.get("status") {
            one_of(status, &["passed", "failed"], "status")?;
        }
        if let Some(visibility) = test.get("visibility") {
            one_of(visibility, &VISIBILITY, "visibility")?;
        }
    }
    Ok(())
}

/// Whether `result` keeps PrairieLearn's grading results format.
///
/// # Errors
///
/// The first field that breaks it.
pub fn prairielearn(result: &Value) -> Result<(), String> {
    let gradable = match result.get("gradable") {
        None => true,
        Some(value) => value.as_bool().ok_or("`gradable` is not a boolean")?,
    };
    if !gradable {
        let errors = &result["format_errors"];
        let fine = errors.is_string()
            || errors
                .as_array()
                .is_some_and(|list| list.iter().all(Value::is_string));
        return if fine {
            Ok(())
        } else {
            Err("not gradable, without `format_errors`".into())
        };
    }
    let score = result["score"]
        .as_f64()
        .ok_or("gradable, with no number `score`")?;
    if !(0.0..=1.0).contains(&score) {
        return Err(format!("`score` {score} is not in [0, 1]"));
    }
    for test in result
        .get("tests")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        test["name"].as_str().ok_or("a test has no `name`")?;
        optional_fields(
            test,
            &["points", "max_points"],
            &["message", "output", "description"],
        )?;
    }
    Ok(())
}

/// Whether `result` is a runner result GitHub Classroom's reporter reads.
///
/// # Errors
///
/// The first field that breaks it.
pub fn github_classroom(result: &Value) -> Result<(), String> {
    one_of(&result["status"], &["pass", "fail", "error"], "status")?;
    let tests = result["tests"].as_array().ok_or("no `tests` list")?;
    let scored = result.get("max_score").is_some();
    if scored {
        result["max_score"]
            .as_f64()
            .ok_or("`max_score` is not a number")?;
    }
    for test in tests {
        test["name"].as_str().ok_or("a test has no `name`")?;
        one_of(
            &test["status"],
            &["pass", "fail", "error"],
            "a test's status",
        )?;
        if scored {
            test["score"]
                .as_f64()
                .ok_or("a test has no number `score`")?;
        }
    }
    Ok(())
}

/// Each of a test's `numbers` and `texts` that is there is a number, or a string.
fn optional_fields(test: &Value, numbers: &[&str], texts: &[&str]) -> Result<(), String> {
    for number in numbers {
        if let Some(value) = test.get(number) {
            value
                .as_f64()
                .ok_or(format!("a test's `{number}` is not a number"))?;
        }
    }
    for text in texts {
        if let Some(value) = test.get(text) {
            value
                .as_str()
                .ok_or(format!("a test's `{text}` is not a string"))?;
        }
    }
    Ok(())
}

fn one_of(value: &Value, allowed: &[&str], what: &str) -> Result<(), String> {
    match value.as_str() {
        Some(text) if allowed.contains(&text) => Ok(()),
        _ => Err(format!("`{what}` is {value}, not one of {allowed:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn results_that_break_a_platforms_format_are_refused() {
        let gradescope_ok = json!({"score": 1.0, "tests": [{"score": 1.0, "status": "passed"}]});
        assert_eq!(gradescope(&gradescope_ok), Ok(()));
        for broken in [
            json!({"score": 1.0}),
            json!({"tests": [{"name": "t"}]}),
            json!({"score": 1.0, "tests": [{"status": "ok"}]}),
            json!({"score": 1.0, "visibility": "sometimes", "tests": []}),
            json!({"score": "1", "tests": []}),
        ] {
            assert!(gradescope(&broken).is_err(), "{broken}");
        }
        assert_eq!(prairielearn(&json!({"score": 0.5})), Ok(()));
        assert_eq!(
            prairielearn(&json!({"gradable": false, "format_errors": "x"})),
            Ok(())
        );
        for broken in [
            json!({"score": 1.5}),
            json!({}),
            json!({"gradable": false}),
            json!({"gradable": "no", "score": 1}),
            json!({"score": 1, "tests": [{"points": 1}]}),
        ] {
            assert!(prairielearn(&broken).is_err(), "{broken}");
        }
        let classroom_ok = json!({"status": "pass", "max_score": 1, "tests": [{"name": "t", "status": "pass", "score": 1}]});
        assert_eq!(github_classroom(&classroom_ok), Ok(()));
        for broken in [
            json!({"status": "ok", "tests": []}),
            json!({"status": "pass"}),
            json!({"status": "pass", "max_score": 1, "tests": [{"name": "t", "status": "pass"}]}),
            json!({"status": "fail", "tests": [{"status": "fail"}]}),
        ] {
            assert!(github_classroom(&broken).is_err(), "{broken}");
        }
    }
}
