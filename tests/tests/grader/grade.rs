//! The grader's self-test, one grade at a time: `concurrency-grader` on
//! submissions that must each get one verdict (good, wrong, racy, crashing,
//! hanging, flooding, escaping, flaky, memory-hungry, not building), with nothing
//! left running afterwards. `grade_class.rs` grades them as a class.
//!
//! The submissions are in `tests/submissions/` (see its README) and
//! `tests/fixtures/workspaces/`.

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use tests_integration::grading::{
    grader_in, json_report, one_run_unless_asked, processes_mentioning, scratch, submission,
    transcript, xtask,
};
use tests_integration::root;

/// Runs a grade with `--format json`; its exit code and report.
fn grade_json(args: &[&str]) -> (i32, Value) {
    // `--format json` must come before `--`; one run unless more are asked for.
    let split = args.iter().position(|a| *a == "--").unwrap_or(args.len());
    let mut all = vec!["grade"];
    all.extend_from_slice(&args[..split]);
    all.extend(["--format", "json"]);
    all.extend(one_run_unless_asked(&args[..split]));
    all.extend_from_slice(&args[split..]);
    let output = xtask(&all);
    let report = json_report(&output);
    (output.status.code().expect("an exit code"), report)
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
fn the_course_multiprocessing_answer_passes_every_time_whatever_the_graders_environment() {
    // Four `multiprocessing.Process` children each print their range's line, whole
    // under Python's default buffering. A `PYTHONUNBUFFERED=1` in the grader's own
    // environment (as some machines set) must not reach the runs.
    let output = Command::new(tests_integration::grader())
        .args([
            "ex03", "--repeat", "50", "--format", "json", "--", "python3",
        ])
        .arg(submission("ex03_processes.py"))
        .env("PYTHONUNBUFFERED", "1")
        .output()
        .expect("the grader starts");
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(report["verdict"], "pass", "{report:#}");
    assert_eq!(report["cases"][0]["passed"], 50);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_run_has_the_pinned_environment_and_what_env_adds_nothing_else() {
    let output = Command::new(tests_integration::grader())
        .args(["ex07", "--output-only", "--format", "json"])
        .args(["--env", "GREETING=hello", "--", "env"])
        .env("PYTHONUNBUFFERED", "1")
        .env("JAVA_TOOL_OPTIONS", "-Xmx1m")
        .output()
        .expect("the grader starts");
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    let printed = report["cases"][0]["failing"]["stdout"]
        .as_str()
        .expect("its output");
    let mut names: Vec<&str> = printed
        .lines()
        .filter_map(|line| line.split_once('=').map(|(name, _)| name))
        .collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "CONCURRENCY_GRADER_WORK_LOG",
            "GREETING",
            "HOME",
            "LANG",
            "LC_ALL",
            "PATH",
            "PYTHONPATH",
            "TMPDIR"
        ]
    );
    assert!(printed.contains("LC_ALL=C.UTF-8\n"), "{printed}");
    let home = printed
        .lines()
        .find_map(|l| l.strip_prefix("HOME="))
        .unwrap();
    assert!(printed.contains(&format!("TMPDIR={home}\n")), "{printed}");
    assert_eq!(
        report["environment"],
        serde_json::json!({
            "pinned": [
                "PATH",
                "HOME",
                "TMPDIR",
                "LANG",
                "LC_ALL",
                "PYTHONPATH",
                "CONCURRENCY_GRADER_WORK_LOG"
            ],
            "added": {"GREETING": "hello"},
        })
    );
    for bad in ["NOEQUALS", "=value"] {
        let refused = xtask(&["grade", "ex07", "--env", bad, "--", "env"]);
        assert_eq!(refused.status.code(), Some(2), "--env {bad}");
    }
}

#[test]
fn a_python_interpreter_is_named_with_its_real_path_and_version() {
    let (_, report) = grade_json(&["ex04", "--", "python3", &submission("ex04_locked.py")]);
    let program = &report["cases"][0]["program"];
    assert_eq!(program["word"], "python3");
    assert_eq!(
        program["path"],
        tests_integration::grading::python(),
        "{program:#}"
    );
    assert!(
        program["version"]
            .as_str()
            .is_some_and(|v| v.starts_with("Python 3.")),
        "{program:#}"
    );
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
    assert_eq!(run["hint"], contracts::ex07::rules::N_MISSING.hint);
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
    let output = Command::new(tests_integration::binary("xtask"))
        .args(["grade", "ex04", "--format", "json", "--"])
        .args(["python3", &submission("ex04_locked.py")])
        .output()
        .expect("xtask starts");
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    assert_eq!(report["verdict"], "pass", "{report:#}");
    assert_eq!(output.status.code(), Some(0));

    let output = Command::new(tests_integration::binary("xtask"))
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
fn for_exercism_a_program_that_cannot_run_is_an_error_shown_from_its_folder() {
    let dir = scratch("exercism-error");
    std::fs::write(dir.join("ex04.py"), "def broken(:\n").unwrap();
    let output = grader_in(
        &dir,
        &["ex04", "--format", "exercism", "--", "python3", "ex04.py"],
    );
    assert_eq!(output.status.code(), Some(0), "the file was written");
    let results: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(results["status"], "error", "{results:#}");
    let message = results["message"].as_str().unwrap();
    assert!(message.contains("SyntaxError"), "{message}");
    assert!(message.contains(r#"File "ex04.py""#), "{message}");
    assert!(!message.contains(&dir.display().to_string()), "{message}");
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
fn a_program_that_cannot_be_found_is_the_teachers_mistake() {
    // Nothing runs, nothing is judged: exit 2 and the word, with the name meant.
    for (program, says) in [
        (
            "./no-such-submission",
            "`./no-such-submission`: no such file",
        ),
        (
            "pyhton3",
            "`pyhton3` is not a program on PATH (did you mean `python3`?)",
        ),
    ] {
        let output = xtask(&["grade", "ex04", "--", program, "ex04.py"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(output.stdout.is_empty(), "no report: {stderr}");
    }
}

#[test]
fn a_folder_named_like_the_program_does_not_stand_in_for_it() {
    // A teacher's folder holding `python3/` and `java/` (as a class's folder of
    // answers by language may): the programs are still the ones on PATH.
    let dir = scratch("shadowed-programs");
    for folder in ["python3", "java"] {
        std::fs::create_dir(dir.join(folder)).unwrap();
    }
    for file in ["ex07_thread_pool.py", "Ex07.java"] {
        std::fs::copy(submission(file), dir.join(file)).unwrap();
    }
    let javac = Command::new("javac")
        .args(["-d", ".", "Ex07.java"])
        .current_dir(&dir)
        .status()
        .expect("javac runs (the README lists Java among what a machine needs)");
    assert!(javac.success());
    for command in [
        &["python3", "ex07_thread_pool.py"][..],
        &["java", "-cp", ".", "Ex07"][..],
    ] {
        let mut args = vec!["ex07", "--format", "json", "--"];
        args.extend_from_slice(command);
        let output = grader_in(&dir, &args);
        let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "{command:?}: {e}: {}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
        assert_eq!(report["verdict"], "pass", "{command:?}: {report:#}");
        assert_eq!(output.status.code(), Some(0));
    }
    let _ = std::fs::remove_dir_all(&dir);
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
        vec!["grade", "ex04", "--conditions", "load", "--seed", "7", "--"],
        // A seed replays a Python program's pauses; `echo` gets none.
        vec!["grade", "ex04", "--seed", "7", "--"],
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

#[test]
fn a_run_starts_with_no_signal_ignored_whatever_the_grader_inherited() {
    // A grader started as a background job (SIGINT and SIGQUIT ignored) or from
    // Python (SIGXFSZ ignored): the program must still get every default action,
    // or a disk filler would see `File too large` instead of dying of SIGXFSZ.
    let grader = tests_integration::grader().display().to_string();
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' INT QUIT XFSZ; exec '{grader}' ex07 --output-only --repeat 1 --format json \
             -- sh -c 'grep SigIgn /proc/self/status'"
        ))
        .output()
        .expect("sh runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    let printed = report["cases"][0]["runs"][0]["stdout_tail"]
        .as_str()
        .expect("its output");
    let ignored = printed
        .trim()
        .strip_prefix("SigIgn:\t")
        .and_then(|mask| u64::from_str_radix(mask, 16).ok())
        .expect("a SigIgn line");
    // The standard signals (1 to 31); the C library's own real-time ones
    // (32 and 33) are not the program's to handle.
    assert_eq!(ignored & 0x7fff_ffff, 0, "{report:#}");
}

#[test]
fn a_run_that_times_out_ends_the_grade() {
    // Five runs asked for; the first hangs, so the other four would each cost the
    // whole deadline and could not make the grade pass.
    let (code, report) = grade_json(&[
        "ex04",
        "--repeat",
        "5",
        "--timeout",
        "1",
        "--",
        "sh",
        &submission("hangs.sh"),
        &transcript("ex04", "accept"),
    ]);
    assert_eq!(report["verdict"], "timeout", "{report:#}");
    assert_eq!(code, 1);
    let case = &report["cases"][0];
    assert_eq!(case["runs"].as_array().map(Vec::len), Some(1), "{report:#}");
    assert_eq!(case["not_run"], 4);
    assert!(
        report["summary"]
            .as_str()
            .unwrap()
            .contains("4 other runs not made"),
        "{report:#}"
    );
}
