//! The grader's self-test: `concurrency-grader` on submissions that must each get one
//! verdict (good, wrong, racy, crashing, hanging, flooding, escaping, flaky,
//! memory-hungry, not building), as single grades and as a class, with nothing left
//! running afterwards.
//!
//! The submissions are in `tests/submissions/` (see its README) and
//! `tests/fixtures/workspaces/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use serde_json::Value;

use tests::root;

fn submission(name: &str) -> String {
    root()
        .join("tests/submissions")
        .join(name)
        .display()
        .to_string()
}

/// An accepted (`accept`) or rejected (`reject`) transcript of `exercise`.
fn transcript(exercise: &str, kind: &str) -> String {
    let name = match (exercise, kind) {
        ("ex02", "accept") => "two-workers",
        ("ex02", _) => "causal-order-callback-first",
        ("ex03", "accept") => "course-ranges-in-order",
        ("ex03", _) => "wrong-primes-composite",
        ("ex04", "accept") => "leftover-item",
        ("ex04", _) => "removed-not-held-twice",
        ("ex05", "accept") => "program-order",
        ("ex05", _) => "condition-order-out-of-order",
        ("ex07", "accept") => "in-order",
        ("ex07", _) => "n-missing-empty-output",
        ("ex08", "accept") => "course-style",
        ("ex08", _) => "bad-breakdown-before-blocks",
        _ => panic!("no transcripts for {exercise}"),
    };
    root()
        .join("crates/test-kit/fixtures")
        .join(exercise)
        .join(kind)
        .join(format!("{name}.txt"))
        .display()
        .to_string()
}

/// Every exercise with a checker.
const EXERCISES: [&str; 6] = ["ex02", "ex03", "ex04", "ex05", "ex07", "ex08"];

/// Runs the grader as `cargo xtask ARGS` would (ARGS start with `grade`), with
/// workspace builds in the kit's `target/grade/`, and returns its output.
fn xtask(args: &[&str]) -> Output {
    grader_in(&root(), args)
}

/// [`xtask`], run from the folder `dir`.
fn grader_in(dir: &Path, args: &[&str]) -> Output {
    let args = args.strip_prefix(&["grade"]).unwrap_or(args);
    let mut command = Command::new(tests::grader());
    command.env("CONCURRENCY_GRADER_BUILD_DIR", root().join("target/grade"));
    command
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the grader starts")
}

/// Runs a grade with `--format json`; its exit code and report.
fn grade_json(args: &[&str]) -> (i32, Value) {
    // `--format json` must come before `--`.
    let split = args.iter().position(|a| *a == "--").unwrap_or(args.len());
    let mut all = vec!["grade"];
    all.extend_from_slice(&args[..split]);
    all.extend(["--format", "json"]);
    all.extend_from_slice(&args[split..]);
    let output = xtask(&all);
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code().expect("an exit code"), report)
}

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("grade-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// Whether the process `pid` (as printed) is alive. A grade returns only after its
/// sweep has killed and reaped what its runs left, so no wait is needed.
fn alive(pid: &str) -> bool {
    pid.trim().parse().is_ok_and(tests::alive)
}

/// The processes whose command line mentions `needle`, other than this test's.
fn processes_mentioning(needle: &str) -> Vec<String> {
    let me = std::process::id().to_string();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let pid = entry.file_name().to_string_lossy().into_owned();
        if pid == me || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains(needle) && alive(&pid) {
            found.push(format!("{pid}: {}", String::from_utf8_lossy(&cmdline)));
        }
    }
    found
}

#[test]
fn a_correct_python_submission_passes_with_exit_0() {
    let (code, report) = grade_json(&["ex04", "--", "python3", &submission("ex04_locked.py")]);
    assert_eq!(report["verdict"], "pass", "{report:#}");
    assert_eq!(code, 0);
    assert_eq!(report["cases"][0]["runs"][0]["exit_code"], 0);
    // What a tool needs to read it: the layout's version, the kit's, what was checked.
    assert_eq!(report["schema"], 2);
    assert!(
        report["kit_version"]
            .as_str()
            .is_some_and(|v| !v.is_empty())
    );
    assert_eq!(report["expectations"], serde_json::json!({}));
    assert_eq!(report["strict"], false);
    assert_eq!(
        report["cases"][0]["runs"][0]["ignored_lines"],
        serde_json::json!([])
    );
}

#[test]
fn the_course_multiprocessing_answer_passes_every_time() {
    // Four `multiprocessing.Process` children each print their range's line. The
    // grader leaves Python's buffering alone, so each child writes its line whole.
    // (`env -u`: the program runs as Python's defaults have it, even where the
    // machine's own environment makes Python unbuffered.)
    let (code, report) = grade_json(&[
        "ex03",
        "--repeat",
        "50",
        "--",
        "env",
        "-u",
        "PYTHONUNBUFFERED",
        "python3",
        &submission("ex03_processes.py"),
    ]);
    assert_eq!(report["verdict"], "pass", "{report:#}");
    assert_eq!(report["cases"][0]["passed"], 50);
    assert_eq!(code, 0);
}

#[test]
fn the_grader_adds_nothing_to_a_programs_environment() {
    let script =
        "echo \"buffering: ${PYTHONUNBUFFERED-as Python's default}\"; echo 'Factorial of 1 is 1'";
    let output = Command::new(tests::grader())
        .args([
            "ex07",
            "--expect",
            "upto=1",
            "--output-only",
            "--format",
            "json",
            "--",
            "sh",
            "-c",
            script,
        ])
        .env_remove("PYTHONUNBUFFERED")
        .output()
        .expect("the grader starts");
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(report["verdict"], "pass", "{report:#}");
    let run = &report["cases"][0]["runs"][0];
    assert_eq!(
        run["stdout_tail"],
        "buffering: as Python's default\nFactorial of 1 is 1"
    );
    assert_eq!(run["ignored_lines"], serde_json::json!([1]));
}

#[test]
fn a_json_report_states_the_defaults_the_ignored_lines_and_the_hint() {
    let dir = scratch("defaults");
    let program = dir.join("ex07.sh");
    let mut script = String::from("echo 'Computing factorials...'\n");
    for n in 1..10u64 {
        let value: u64 = (1..=n).product();
        script.push_str(&format!("echo 'The factorial of {n} is {value}.'\n"));
    }
    std::fs::write(&program, script).unwrap();
    let program = program.display().to_string();
    // With no --expect, the course's 1 to 10 are due: 1 to 9 falls short.
    let (code, report) = grade_json(&["ex07", "--output-only", "--", "sh", &program]);
    assert_eq!(code, 1);
    assert_eq!(report["verdict"], "wrong-output", "{report:#}");
    assert_eq!(report["expectations"]["upto"], "10");
    let run = &report["cases"][0]["runs"][0];
    assert_eq!(run["rule"], "n-missing");
    assert_eq!(run["hint"], test_kit::ex07::rules::N_MISSING.hint);
    // `any` lifts the default; the banner is listed as ignored.
    let (code, report) = grade_json(&[
        "ex07",
        "--expect",
        "upto=any",
        "--output-only",
        "--",
        "sh",
        &program,
    ]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["expectations"]["upto"], "any");
    assert_eq!(
        report["cases"][0]["runs"][0]["ignored_lines"],
        serde_json::json!([1])
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cargo_xtask_grade_hands_its_arguments_to_the_grader() {
    let output = Command::new(tests::binary("xtask"))
        .args(["grade", "ex04", "--format", "json", "--"])
        .args(["python3", &submission("ex04_locked.py")])
        .output()
        .expect("xtask starts");
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(report["verdict"], "pass", "{report:#}");
    assert_eq!(output.status.code(), Some(0));

    let output = Command::new(tests::binary("xtask"))
        .args(["grade", "ex04", "--repeat", "0", "--", "true"])
        .output()
        .expect("xtask starts");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn the_grader_works_from_a_folder_outside_the_kit() {
    let dir = scratch("outside");
    std::fs::copy(submission("ex04_locked.py"), dir.join("alice.py")).unwrap();
    let output = grader_in(
        &dir,
        &["ex04", "--format", "json", "--", "python3", "alice.py"],
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(report["verdict"], "pass", "{report:#}");
    assert_eq!(output.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_racy_python_submission_gets_the_broken_rule_and_its_line() {
    let output = xtask(&[
        "grade",
        "ex04",
        "--",
        "python3",
        &submission("ex04_unlocked.py"),
    ]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(text.starts_with("ex04: wrong-output\n"), "{text}");
    assert!(text.contains("[shown-list-mismatch]"), "{text}");
    // The offending line, shown as a compiler shows a source line.
    assert!(
        text.contains("    2 | Added 1 to the list. Current list: [1]"),
        "{text}"
    );
}

#[test]
fn a_flaky_submission_says_k_of_n_and_keeps_a_failing_transcript() {
    let dir = scratch("flaky");
    let counter = dir.join("counter").display().to_string();
    let (good, bad) = (transcript("ex04", "accept"), transcript("ex04", "reject"));
    let command = ["sh", &submission("flaky.sh"), &good, &bad, &counter];
    let mut args = vec!["ex04", "--repeat", "4", "--output-only", "--"];
    args.extend(command);
    let (code, report) = grade_json(&args);
    assert_eq!(code, 1);
    assert_eq!(report["verdict"], "flaky", "{report:#}");
    assert_eq!(report["cases"][0]["passed"], 2);
    assert!(
        report["summary"].as_str().unwrap().starts_with(
            "passed 2 of 4 runs (failed: load 0/2, free 1/1, low-priority 1/1); run 2: line 4:"
        ),
        "{report:#}"
    );
    let failing = &report["cases"][0]["failing"];
    assert_eq!(failing["run"], 2);
    let bad_text = std::fs::read_to_string(&bad).unwrap();
    assert_eq!(failing["stdout"], bad_text.as_str());

    // The same four runs as JUnit and as exercism's results.json.
    std::fs::remove_file(&counter).unwrap();
    // The four runs again, printed as `format`.
    let again_as = |format: &str| {
        let mut args = vec![
            "grade",
            "ex04",
            "--repeat",
            "4",
            "--output-only",
            "--format",
            format,
            "--",
        ];
        args.extend(command);
        xtask(&args)
    };
    let junit = String::from_utf8(again_as("junit").stdout).unwrap();
    assert!(
        junit.contains(r#"<testsuite name="ex04" tests="4" failures="2""#),
        "{junit}"
    );
    assert_eq!(junit.matches(r#"<failure type="wrong-output""#).count(), 2);
    // Each failure carries its rule's hint.
    assert_eq!(junit.matches(" hint: ").count(), 2, "{junit}");
    std::fs::remove_file(&counter).unwrap();
    let output = again_as("exercism");
    // exercism's runner exits 0 whatever its tests did; the verdict is in the file.
    assert_eq!(output.status.code(), Some(0));
    let results: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(results["version"], 3);
    assert_eq!(results["status"], "fail");
    assert!(
        results["tests"][1]["message"]
            .as_str()
            .unwrap()
            .contains(" hint: "),
        "{results:#}"
    );
    let statuses: Vec<&str> = results["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["pass", "fail", "pass", "fail"]);
    assert_eq!(results["tests"][1]["task_id"], 4);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_expectation_keys_are_listed_with_their_defaults() {
    let output = xtask(&["grade", "--list-expectations", "ex07"]);
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0));
    assert!(text.contains("KEY=any lifts a default"), "{text}");
    assert!(text.contains("--expect upto=…"), "{text}");
    assert!(text.contains("(default 10)"), "{text}");
}

#[test]
fn a_program_ignoring_sigterm_is_judged_within_its_timeout_and_grace() {
    let started = Instant::now();
    let (code, report) = grade_json(&[
        "ex07",
        "--timeout",
        "1",
        "--",
        "sh",
        &submission("ignores-term.sh"),
        &transcript("ex07", "accept"),
    ]);
    let took = started.elapsed();
    assert_eq!(code, 1);
    assert_eq!(report["verdict"], "timeout", "{report:#}");
    let run = &report["cases"][0]["runs"][0];
    assert_eq!(run["ignored_sigterm"], true);
    // What it printed before it hung is shown.
    assert!(
        run["stdout_tail"]
            .as_str()
            .unwrap()
            .starts_with("Factorial of 1 is 1"),
        "{run:#}"
    );
    // 1 s, 1 s of grace, and a generous margin for a loaded machine: a behaviour
    // bound (the grade cannot wait for the 600 s sleep), not a speed measurement.
    assert!(took < Duration::from_secs(12), "took {took:?}");
}

#[test]
fn an_escaped_daemon_is_killed_and_counted() {
    let (code, report) = grade_json(&[
        "ex03",
        "--",
        "sh",
        &submission("escapes.sh"),
        &transcript("ex03", "accept"),
    ]);
    let run = &report["cases"][0]["runs"][0];
    assert_eq!(report["verdict"], "pass", "{report:#}");
    assert_eq!(code, 0);
    assert_eq!(run["left_behind"], 1);
    let daemon = run["stderr_tail"]
        .as_str()
        .unwrap()
        .strip_prefix("daemon ")
        .expect("the daemon's mark on stderr")
        .trim()
        .to_owned();
    let left = processes_mentioning(&daemon);
    assert!(left.is_empty(), "the daemon outlived its grade: {left:?}");
}

#[test]
fn a_command_that_cannot_start_is_a_crash() {
    let (code, report) = grade_json(&["ex04", "--", "./no-such-submission"]);
    assert_eq!(code, 1);
    assert_eq!(report["verdict"], "crash");
    assert!(
        report["summary"]
            .as_str()
            .unwrap()
            .starts_with("could not be started:"),
        "{report:#}"
    );
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let echo = ["echo", "hi"];
    let cases: Vec<Vec<&str>> = vec![
        vec!["grade", "--", "echo"],
        vec!["grade", "ex04"],
        vec!["grade", "ex09", "--", "echo"],
        vec!["grade", "ex04", "--timeout", "0", "--"],
        vec!["grade", "ex04", "--memory-limit", "3XB", "--"],
        vec!["grade", "ex04", "--repeat", "0", "--"],
        vec!["grade", "ex04", "--expect", "addz=5", "--"],
        vec!["grade", "ex04", "--loom", "--"],
        vec!["grade", "ex04", "--jobs", "2", "--"],
        vec!["grade", "--workspace", "/nonexistent"],
        vec!["grade", "--class", "/nonexistent/class.toml"],
    ];
    for mut case in cases {
        if case.last() == Some(&"--") {
            case.extend(echo);
        }
        let output = xtask(&case);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{case:?}: {stderr}");
        assert!(stderr.starts_with("error"), "{case:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{case:?}: {stderr}");
    }
}

#[test]
fn rust_workspaces_are_built_and_graded_with_their_loom_models() {
    let workspace = |name: &str| {
        root()
            .join("tests/fixtures/workspaces")
            .join(name)
            .display()
            .to_string()
    };
    let (code, report) = grade_json(&["ex08", "--workspace", &workspace("passes"), "--loom"]);
    assert_eq!(report["verdict"], "pass", "{report:#}");
    assert_eq!(report["build"]["passed"], true);
    assert_eq!(report["loom"]["passed"], true);
    assert_eq!(code, 0);
    // Each case states what it was checked with: run-all's registered sizes.
    assert_eq!(report["cases"][0]["expectations"]["sizes"], "2,4,8");

    // Programs that pass do not make a failed model check a pass.
    let (code, report) = grade_json(&["ex08", "--workspace", &workspace("unsound"), "--loom"]);
    assert_eq!(report["verdict"], "model-check-failed", "{report:#}");
    assert_eq!(report["cases"][0]["verdict"], "pass", "{report:#}");
    assert_eq!(report["loom"]["passed"], false);
    assert_eq!(code, 1);

    let (code, report) = grade_json(&["ex08", "--workspace", &workspace("wrong"), "--loom"]);
    assert_eq!(report["verdict"], "wrong-output", "{report:#}");
    assert_eq!(report["cases"][0]["runs"][0]["rule"], "wrong-squares");
    assert_eq!(report["loom"]["passed"], false);
    assert!(
        report["loom"]["detail"]
            .as_str()
            .unwrap()
            .contains("the_queue_model_finds_a_lost_item ... FAILED"),
        "{report:#}"
    );
    assert_eq!(code, 1);

    let (code, report) = grade_json(&["ex08", "--workspace", &workspace("broken")]);
    assert_eq!(report["verdict"], "build-error", "{report:#}");
    assert!(
        report["summary"]
            .as_str()
            .unwrap()
            .starts_with("error[E0308]: mismatched types"),
        "{report:#}"
    );
    assert_eq!(report["cases"].as_array().unwrap().len(), 0);
    assert_eq!(code, 1);
}

/// The class self-test's students: each one a submission, its commands by exercise,
/// and the verdict it must get on every exercise.
///
/// The submissions are copied into `dir`, so that any process left of them would
/// show `dir` in its command line.
/// A student: name, command by exercise, and the verdict it must get.
type Student<'a> = (
    &'static str,
    Box<dyn Fn(&str) -> Vec<String> + 'a>,
    &'static str,
);

fn class_students(dir: &Path) -> Vec<(&'static str, Vec<String>, &'static str)> {
    let copies = dir.join("submissions");
    std::fs::create_dir_all(&copies).expect("a folder for the copies");
    let originals = std::fs::read_dir(root().join("tests/submissions")).expect("the submissions");
    for entry in originals.flatten().filter(|e| e.path().is_file()) {
        std::fs::copy(entry.path(), copies.join(entry.file_name())).expect("a copy");
    }
    let submission = move |name: &str| copies.join(name).display().to_string();
    let sh = move |script: &'static str, kind: &'static str| {
        let submission = submission.clone();
        move |ex: &str| vec!["sh".to_owned(), submission(script), transcript(ex, kind)]
    };
    let flaky_counter = dir.join("counter").display().to_string();
    let flaky_script = dir.join("submissions/flaky.sh").display().to_string();
    let hog_script = dir.join("submissions/memory-hog.py").display().to_string();
    let students: Vec<Student<'_>> = vec![
        ("good", Box::new(sh("print.sh", "accept")), "pass"),
        ("wrong", Box::new(sh("print.sh", "reject")), "wrong-output"),
        ("crashes", Box::new(sh("crash.sh", "accept")), "crash"),
        ("segfaults", Box::new(sh("segfault.sh", "accept")), "crash"),
        ("hangs", Box::new(sh("hangs.sh", "accept")), "timeout"),
        (
            "ignores-term",
            Box::new(sh("ignores-term.sh", "accept")),
            "timeout",
        ),
        (
            "floods",
            Box::new(sh("floods.sh", "accept")),
            "output-limit",
        ),
        ("escapes", Box::new(sh("escapes.sh", "accept")), "pass"),
        // Its Latin-1 line carries no fact: noise where contracts read facts, a
        // stray line where they read sections (see `noise_is_fatal`).
        ("non-utf8", Box::new(sh("non-utf8.sh", "accept")), "pass"),
        (
            "flaky",
            Box::new(move |ex: &str| {
                vec![
                    "sh".to_owned(),
                    flaky_script.clone(),
                    transcript(ex, "accept"),
                    transcript(ex, "reject"),
                    format!("{flaky_counter}-{ex}"),
                ]
            }),
            "flaky",
        ),
        (
            "memory-hog",
            Box::new(|ex: &str| {
                vec![
                    "python3".to_owned(),
                    hog_script.clone(),
                    transcript(ex, "accept"),
                ]
            }),
            "crash",
        ),
    ];
    students
        .into_iter()
        .map(|(name, command, verdict)| {
            let commands = EXERCISES
                .iter()
                .map(|ex| {
                    let words: Vec<String> = command(ex).iter().map(|w| format!("{w:?}")).collect();
                    format!("{ex} = [{}]", words.join(", "))
                })
                .collect();
            (name, commands, verdict)
        })
        .collect()
}

/// Whether `exercise`'s contract reads its program's sections line by line, so that
/// a line of no known kind breaks it (the others read facts and ignore noise).
fn noise_is_fatal(exercise: &str) -> bool {
    let exercise: test_kit::Exercise = exercise.parse().expect("an exercise");
    exercise.contract().strict_lines.is_empty()
}

#[test]
fn a_class_of_every_misbehaviour_gets_every_verdict_on_every_exercise() {
    let dir = scratch("class");
    let students = class_students(&dir);
    let mut manifest = String::from(
        // The students print transcripts from shell scripts: the output is judged.
        "[defaults]\nrepeat = 2\ntimeout = 1\nmemory-limit = \"256MiB\"\noutput-limit = \"64KiB\"\noutput-only = true\n\n",
    );
    for (i, ex) in EXERCISES.iter().enumerate() {
        manifest.push_str(&format!("[exercises.{ex}]\nweight = {}\n\n", i + 1));
    }
    for (name, commands, _) in &students {
        manifest.push_str(&format!(
            "[students.{name}.commands]\n{}\n\n",
            commands.join("\n")
        ));
    }
    std::fs::write(dir.join("class.toml"), &manifest).unwrap();
    let out = dir.join("book");
    let class_toml = dir.join("class.toml").display().to_string();
    let output = xtask(&[
        "grade",
        "--class",
        &class_toml,
        "--jobs",
        "2",
        "--out",
        &out.display().to_string(),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    // Not a terminal: one progress line per grade.
    let progress = stderr.lines().filter(|l| l.starts_with('[')).count();
    assert_eq!(progress, students.len() * EXERCISES.len(), "{stderr}");

    let book: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("gradebook.json")).unwrap())
            .unwrap();
    assert_eq!(book["max"], 21.0);
    let mut wrong = Vec::new();
    let by_name: BTreeMap<&str, &Value> = book["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s))
        .collect();
    for (name, _, verdict) in &students {
        for ex in EXERCISES {
            let grade = &by_name[name]["grades"][ex];
            let verdict = match (*name, noise_is_fatal(ex)) {
                ("non-utf8", true) => "wrong-output",
                _ => verdict,
            };
            if grade["verdict"] != verdict {
                wrong.push(format!(
                    "{name} {ex}: {} ({})",
                    grade["verdict"], grade["summary"]
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
    // Points: the weights of the passes; good and escapes pass everything.
    assert_eq!(by_name["good"]["total"], 21.0);
    assert_eq!(by_name["flaky"]["total"], 0.0);
    let csv = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    assert!(
        csv.starts_with("student,ex02,ex02_points,ex02_summary,ex03,ex03_points,ex03_summary,"),
        "{csv}"
    );
    let good = csv
        .lines()
        .find(|line| line.starts_with("good,"))
        .expect("good's row");
    assert!(good.starts_with("good,pass,1,"), "{good}");
    assert!(good.ends_with(",21,21"), "{good}");
    assert_eq!(
        book["exercises"]["ex07"]["expectations"]["upto"], "10",
        "the gradebook states the expectations applied"
    );

    // The escaped daemons were killed; nothing any submission started is running.
    for ex in EXERCISES {
        let report: Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(format!("reports/escapes/{ex}.json"))).unwrap(),
        )
        .unwrap();
        for run in report["cases"][0]["runs"].as_array().unwrap() {
            assert_eq!(run["left_behind"], 1, "{report:#}");
            let daemon = run["stderr_tail"]
                .as_str()
                .unwrap()
                .trim_start_matches("daemon ");
            let left = processes_mentioning(daemon);
            assert!(
                left.is_empty(),
                "{ex}: the daemon outlived its grade: {left:?}"
            );
        }
    }
    let left = processes_mentioning(&dir.display().to_string());
    assert!(left.is_empty(), "left running: {left:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_manifest_is_a_usage_error() {
    let dir = scratch("bad-manifest");
    for (manifest, message) in [
        (
            "[exercises.ex04]\n[students.a]\n",
            "has no command for ex04",
        ),
        (
            "[exercises.ex04]\ncommand=['x']\nwieght=2\n[students.a]\n",
            "unknown field",
        ),
        (
            "[exercises.ex04]\ncommand=['x']\n",
            "missing field `students`",
        ),
        (
            "[exercises.ex04]\ncommand=['x']\n[exercises.4]\ncommand=['x']\n[students.a]\n",
            "ex04 is listed twice",
        ),
        (
            "[exercises.ex04]\ncommand=['x']\n[students.a]\ncommands.ex07=['y']\n",
            "a has a command for ex07, which the manifest's [exercises] does not list",
        ),
    ] {
        let path = dir.join("class.toml");
        std::fs::write(&path, manifest).unwrap();
        let output = xtask(&["grade", "--class", &path.display().to_string()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{manifest}: {stderr}");
        assert!(stderr.contains(message), "{manifest}: {stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_class_mixes_commands_and_workspaces_with_a_loom_item() {
    let dir = scratch("mixed-class");
    let workspace = root().join("tests/fixtures/workspaces/passes");
    let manifest = format!(
        r#"
# Exercises may be named as on a command line: `4` is ex04.
[exercises.4]
command = ["python3", {locked:?}]

[exercises.ex08]
weight = 2
command = ["python3", "{{dir}}/ex08.py"]

[students.carol]
workspace = {workspace:?}
commands.ex04 = ["python3", {unlocked:?}]

[students."dave, jr"]
dir = "dave"

[loom]
weight = 3
"#,
        locked = submission("ex04_locked.py"),
        unlocked = submission("ex04_unlocked.py"),
        workspace = workspace.display().to_string(),
    );
    std::fs::write(dir.join("class.toml"), manifest).unwrap();
    // Run from the manifest's folder, naming it relatively.
    let output = grader_in(&dir, &["--class", "class.toml"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let csv = std::fs::read_to_string(dir.join("gradebook/gradebook.csv")).unwrap();
    // carol: her own ex04 command (wrong), ex08 and loom from her workspace; dave has
    // no folder, so his ex08 (`{dir}/ex08.py`) is missing, and no workspace, so no
    // loom item; his ex04 needs no folder.
    let dave = dir.join("dave").display().to_string();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[..2],
        [
            "student,ex04,ex04_points,ex04_summary,ex08,ex08_points,ex08_summary,loom,loom_points,total,max",
            "carol,wrong-output,0,\"line 2: shows [1], but replaying the transcript gives [0, 1] [shown-list-mismatch]\",pass,2,\"3 pools (sizes 2, 4, 8), squares exact, times well-formed\",pass,3,5,6",
        ],
        "{csv}"
    );
    // dave's ex04 summary depends on how his threads met.
    assert!(
        rows[2].starts_with("\"dave, jr\",pass,1,\"5 adds, "),
        "{csv}"
    );
    assert!(
        rows[2].ends_with(&format!(
            ",missing,0,\"dave, jr's folder {dave} is not there\",-,0,1,6"
        )),
        "{csv}"
    );
    assert!(!dir.join("gradebook/reports/dave__jr/ex08.json").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ctrl_c_during_a_class_still_writes_the_gradebook_of_the_grades_finished() {
    use std::io::{BufRead, BufReader};

    let dir = scratch("interrupted-class");
    let accepted = transcript("ex04", "accept");
    let slow = format!("sleep 1; cat {accepted:?}");
    let mut manifest = format!(
        "[exercises.ex04]\noutput-only = true\ncommand = [\"sh\", \"-c\", {:?}]\n",
        slow
    );
    for student in ["a", "b", "c", "d"] {
        manifest.push_str(&format!("[students.{student}]\n"));
    }
    std::fs::write(dir.join("class.toml"), manifest).unwrap();
    let mut grader = Command::new(tests::grader())
        .args(["--class", "class.toml", "--jobs", "1"])
        .current_dir(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the grader starts");
    // Once the first grade is reported, interrupt the class as Ctrl-C would.
    let mut progress = BufReader::new(grader.stderr.take().unwrap()).lines();
    let first = progress.next().expect("a progress line").unwrap();
    assert!(first.starts_with("[1/4] a ex04: pass"), "{first}");
    let status = Command::new("kill")
        .args(["-INT", &grader.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let rest: Vec<String> = progress.map_while(Result::ok).collect();
    let ended = grader.wait().expect("the grader ends");
    assert_eq!(ended.code(), Some(1), "{rest:?}");
    assert!(
        rest.iter().any(|line| line.starts_with("interrupted:")),
        "{rest:?}"
    );
    let csv = std::fs::read_to_string(dir.join("gradebook/gradebook.csv")).expect("a gradebook");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(rows[0].starts_with("a,pass,1,"), "{csv}");
    // The grade running at the interrupt finished; the ones after it never started.
    assert!(rows[3].starts_with("d,error,0,not graded"), "{csv}");
    let _ = std::fs::remove_dir_all(&dir);
}
