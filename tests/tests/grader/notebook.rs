//! Notebooks graded as handed in (`--notebook`), and their answers extracted
//! (`extract`): the answer's cell found under its heading, or in markdown, with
//! the imports it needs from earlier cells; a wrong answer failed; a notebook
//! with no answer `missing`; a file that is no notebook a usage error. The
//! notebooks in `tests/notebooks/` were written for these tests.

use serde_json::Value;

use tests_integration::grading::{json_report, scratch, xtask};
use tests_integration::root;

/// Grades `notebook`'s ex07 answer (one run) with `more` flags: the exit code and
/// the JSON report.
fn graded(notebook: &str, more: &[&str]) -> (i32, Value) {
    let path = root().join("tests/notebooks").join(notebook);
    let path = path.to_str().expect("a UTF-8 path");
    let mut args = vec![
        "ex07",
        "--repeat",
        "1",
        "--format",
        "json",
        "--notebook",
        path,
    ];
    args.extend_from_slice(more);
    let output = xtask(&args);
    let report = json_report(&output);
    (output.status.code().expect("an exit code"), report)
}

#[test]
fn the_answer_under_its_heading_passes_with_the_imports_of_cell_0() {
    let (code, report) = graded("course-shape.ipynb", &[]);
    assert_eq!(report["verdict"], "pass", "{report:#}");
    assert_eq!(code, 0);
    assert_eq!(report["answer"]["cells"], serde_json::json!([4]));
    assert_eq!(report["answer"]["needs"], serde_json::json!([0]));
    let notes = report["answer"]["notes"].to_string();
    assert!(notes.contains("%%time"), "{notes}");
}

#[test]
fn an_answer_written_in_markdown_is_lifted_out_and_graded() {
    let (code, report) = graded("answer-in-markdown.ipynb", &[]);
    assert_eq!(report["verdict"], "pass", "{report:#}");
    assert_eq!(code, 0);
    assert_eq!(report["answer"]["cells"], serde_json::json!([1]));
    assert!(report["answer"]["notes"].to_string().contains("markdown"));
}

#[test]
fn a_wrong_answer_fails_and_a_missing_one_is_missing() {
    let (code, report) = graded("wrong-answer.ipynb", &[]);
    assert_eq!(report["verdict"], "wrong-output", "{report:#}");
    assert_eq!(code, 1);
    let (code, report) = graded("no-answer.ipynb", &[]);
    assert_eq!(report["verdict"], "missing", "{report:#}");
    assert_eq!(code, 1);
    assert!(
        report["summary"]
            .as_str()
            .unwrap()
            .contains("no heading names it")
    );
}

#[test]
fn a_cell_asked_for_is_graded_whatever_it_holds() {
    // Cell 2 of the course-shaped notebook is question 4's: no factorials.
    let (_, report) = graded("course-shape.ipynb", &["--cell", "2"]);
    assert_eq!(report["verdict"], "wrong-output", "{report:#}");
    assert_eq!(report["answer"]["cells"], serde_json::json!([2]));
}

#[test]
fn what_is_no_notebook_and_a_cell_without_one_are_usage_errors() {
    let path = root().join("tests/notebooks/not-a-notebook.ipynb");
    let output = xtask(&["ex07", "--notebook", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not a notebook"), "{stderr}");
    let output = xtask(&["ex07", "--cell", "3", "--", "python3", "x.py"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("--cell only applies with --notebook")
    );
}

#[test]
fn extract_writes_each_answer_found_and_names_the_missing() {
    let out = scratch("extract");
    let path = root().join("tests/notebooks/course-shape.ipynb");
    let output = xtask(&[
        "extract",
        "--notebook",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "ex07",
        "ex08",
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    // ex08 has no answer: the exit says so.
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("ex08: missing"), "{stdout}");
    let program = std::fs::read_to_string(out.join("course-shape.ex07.py")).expect("written");
    assert!(
        program.starts_with("import concurrent.futures\n"),
        "{program}"
    );
    assert!(program.contains("pool.map(factorial"), "{program}");
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn a_class_of_notebooks_gets_each_students_verdict() {
    let dir = scratch("notebook-class");
    let notebooks = root().join("tests/notebooks");
    for (student, notebook) in [
        ("alice", "course-shape.ipynb"),
        ("bob", "wrong-answer.ipynb"),
        ("dave", "not-a-notebook.ipynb"),
    ] {
        std::fs::create_dir_all(dir.join(student)).expect("a student's folder");
        std::fs::copy(notebooks.join(notebook), dir.join(student).join("hw.ipynb"))
            .expect("the notebook copied");
    }
    let mut manifest = "[exercises.ex07]\nnotebook = \"{dir}/hw.ipynb\"\nrepeat = 1\n\n".to_owned();
    for student in ["alice", "bob", "carol", "dave"] {
        manifest.push_str(&format!("[students.{student}]\ndir = \"{student}\"\n\n"));
    }
    std::fs::write(dir.join("class.toml"), manifest).expect("the manifest written");
    let out = dir.join("book");
    let output = xtask(&[
        "--class",
        dir.join("class.toml").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let book: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("gradebook.json")).expect("the gradebook"),
    )
    .expect("JSON");
    let verdict = |name: &str| {
        let student = book["students"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {book:#}"));
        student["grades"]["ex07"]["verdict"].clone()
    };
    assert_eq!(verdict("alice"), "pass", "{book:#}");
    assert_eq!(verdict("bob"), "wrong-output", "{book:#}");
    // Carol handed nothing in; Dave's file is no notebook: neither has an answer.
    assert_eq!(verdict("carol"), "missing", "{book:#}");
    assert_eq!(verdict("dave"), "missing", "{book:#}");
    let _ = std::fs::remove_dir_all(dir);
}
