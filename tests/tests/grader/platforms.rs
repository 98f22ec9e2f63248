//! The grading platforms' result formats (`--format gradescope`, `prairielearn`,
//! `github-classroom`): for a pass, a wrong output, a crash, a program that never
//! ran and a notebook with no answer, each result keeps its platform's documented
//! format (`tests_integration::platforms`), scores what the verdict says, and
//! the grader exits 0 once it is written.

use serde_json::Value;

use tests_integration::grading::{json_report, submission, transcript, xtask};
use tests_integration::{platforms, root};

/// The result of grading `args` (after the format) in `format`.
fn result(format: &str, args: &[&str]) -> Value {
    let mut all = vec![args[0], "--repeat", "1", "--format", format];
    all.extend_from_slice(&args[1..]);
    let output = xtask(&all);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{format}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    json_report(&output)
}

#[test]
fn every_verdict_keeps_every_platforms_format() {
    let accept = transcript("ex04", "accept");
    let reject = transcript("ex04", "reject");
    let print = submission("print.sh");
    let crash = submission("crash.sh");
    let never_ran = submission("syntax-error.py");
    let no_answer = root().join("tests/notebooks/no-answer.ipynb");
    let cases: Vec<(&str, Vec<&str>, f64, &str)> = vec![
        (
            "pass",
            vec!["ex04", "--output-only", "--", "sh", &print, &accept],
            1.0,
            "pass",
        ),
        (
            "wrong",
            vec!["ex04", "--", "sh", &print, &reject],
            0.0,
            "fail",
        ),
        (
            "crash",
            vec!["ex04", "--", "sh", &crash, &accept],
            0.0,
            "fail",
        ),
        (
            "never ran",
            vec!["ex04", "--", "python3", &never_ran],
            0.0,
            "error",
        ),
        (
            "no answer",
            vec!["ex07", "--notebook", no_answer.to_str().unwrap()],
            0.0,
            "error",
        ),
    ];
    for (what, args, score, status) in cases {
        let gradescope = result("gradescope", &args);
        assert_eq!(
            platforms::gradescope(&gradescope),
            Ok(()),
            "{what}: {gradescope:#}"
        );
        assert_eq!(
            gradescope["score"].as_f64(),
            Some(score),
            "{what}: {gradescope:#}"
        );
        let prairielearn = result("prairielearn", &args);
        assert_eq!(
            platforms::prairielearn(&prairielearn),
            Ok(()),
            "{what}: {prairielearn:#}"
        );
        let gradable = status != "error";
        assert_eq!(
            prairielearn["gradable"], gradable,
            "{what}: {prairielearn:#}"
        );
        if gradable {
            assert_eq!(prairielearn["score"].as_f64(), Some(score), "{what}");
        }
        let classroom = result("github-classroom", &args);
        assert_eq!(
            platforms::github_classroom(&classroom),
            Ok(()),
            "{what}: {classroom:#}"
        );
        assert_eq!(classroom["status"], status, "{what}: {classroom:#}");
    }
}

#[test]
fn one_grade_writes_every_format_asked_for_and_several_need_a_folder() {
    let out = tests_integration::grading::scratch("formats");
    let accept = transcript("ex04", "accept");
    let print = submission("print.sh");
    let output = xtask(&[
        "ex04",
        "--repeat",
        "1",
        "--output-only",
        "--format",
        "json,gradescope,prairielearn,github-classroom,junit",
        "--out",
        out.to_str().unwrap(),
        "--",
        "sh",
        &print,
        &accept,
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("ex04: pass"));
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(out.join(name)).expect(name)).expect(name)
    };
    assert_eq!(read("report.json")["verdict"], "pass");
    assert_eq!(read("gradescope.json")["score"], 1.0);
    assert_eq!(read("prairielearn.json")["score"], 1.0);
    assert_eq!(read("github-classroom.json")["status"], "pass");
    assert!(out.join("junit.xml").is_file());
    let output = xtask(&[
        "ex04",
        "--format",
        "json,junit",
        "--",
        "sh",
        &print,
        &accept,
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("give --out DIR"));
    let _ = std::fs::remove_dir_all(out);
}
