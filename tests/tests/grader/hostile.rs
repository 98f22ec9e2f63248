//! The grader against hostile programs, as trusted judges test themselves: a fork
//! bomb, a thread bomb, a memory bomb, a disk filler, a program that closes its
//! output and runs on, one that escapes into a new session, one that reaches for a
//! service on the grading machine, one that ignores every signal it can, and a
//! zombie factory. Each gets its verdict, and nothing of it is left running.
//!
//! The programs are in `tests/submissions/hostile/`. Each grade runs with a mark
//! in its environment that every process it starts inherits ([`tests_integration::marked`]),
//! so whatever survives is found. These tests need the grader's namespaces, and
//! the bombs its cgroups (root, or user namespaces and delegated cgroups); without
//! them a fork bomb would reach the machine, so they are skipped with a line
//! saying what is missing (a failure where `CONCURRENCY_GRADER_REQUIRE_JAIL=1`).

use std::net::TcpListener;
use std::process::Command;

use serde_json::Value;
use tests_integration::grading::{Graded, assert_jailed, cgroups_left, python, submission};
use tests_integration::jail::Need;

fn hostile(name: &str) -> String {
    submission(&format!("hostile/{name}"))
}

/// An accepted ex03 transcript, for the programs that print one: they start
/// processes, as ex03's question asks.
fn accepted() -> String {
    tests_integration::root()
        .join("crates/contracts/fixtures/ex03/accept/course-ranges-in-order.txt")
        .display()
        .to_string()
}

/// Grades `command` against ex04 with `flags`, in the strongest containment,
/// and checks that the grader removed the control groups it made.
fn grade(flags: &[&str], command: &[&str]) -> (Value, Vec<u32>) {
    grade_as("ex04", flags, command)
}

/// [`grade`] against `exercise`.
fn grade_as(exercise: &str, flags: &[&str], command: &[&str]) -> (Value, Vec<u32>) {
    let graded: Graded = tests_integration::grading::grade(exercise, flags, command);
    assert_jailed(&graded);
    let groups = cgroups_left(graded.pid);
    assert!(groups.is_empty(), "cgroups left: {groups:?}");
    (graded.report, graded.left)
}

/// The first run of a report.
fn run(report: &Value) -> &Value {
    &report["cases"][0]["runs"][0]
}

/// A bomb's grade: a crash for the cap it reached, not a timeout, the cap named,
/// nothing left, and the machine still able to start a process.
fn assert_stopped_by_cap(report: &Value, left: &[u32], cap: &str, message: &str) {
    let run = run(report);
    assert_eq!(report["verdict"], "crash", "{report:#}");
    assert_eq!(run["limit_reached"], cap, "{run:#}");
    assert!(
        run["detail"]
            .as_str()
            .expect("a detail")
            .starts_with(message),
        "{run:#}"
    );
    // Ended by the cap, not by the 60 s deadline: a behaviour bound with a wide
    // margin for a loaded machine, not a speed measurement.
    assert!(run["seconds"].as_f64().expect("seconds") < 30.0, "{run:#}");
    assert!(left.is_empty(), "left running: {left:?}");
    let status = Command::new("true")
        .status()
        .expect("the machine still forks");
    assert!(status.success());
}

#[test]
fn a_fork_bomb_is_ended_by_the_process_cap() {
    tests_integration::needs!(Need::Cgroups);
    let (report, left) = grade(
        &["--timeout", "60", "--max-processes", "64"],
        &[&python(), &hostile("fork-bomb.py")],
    );
    assert_stopped_by_cap(&report, &left, "processes", "process limit reached");
}

#[test]
fn a_thread_bomb_is_ended_by_the_process_cap() {
    tests_integration::needs!(Need::Cgroups);
    let (report, left) = grade(
        &["--timeout", "60", "--max-processes", "64"],
        &[&python(), &hostile("thread-bomb.py")],
    );
    assert_stopped_by_cap(&report, &left, "processes", "process limit reached");
}

#[test]
fn a_memory_bomb_is_ended_by_the_memory_cap() {
    tests_integration::needs!(Need::Cgroups);
    let (report, left) = grade(
        &["--timeout", "60", "--memory-limit", "256MiB"],
        &[&python(), &hostile("memory-bomb.py")],
    );
    assert_stopped_by_cap(&report, &left, "memory", "memory limit reached");
}

#[test]
fn a_disk_filler_is_killed_at_the_file_size_limit() {
    tests_integration::needs!(Need::Namespaces);
    let (report, left) = grade(&["--timeout", "60"], &["sh", &hostile("disk-filler.sh")]);
    let run = run(&report);
    assert_eq!(report["verdict"], "crash", "{report:#}");
    // The shell reports its writer killed by SIGXFSZ (25) as 128 + 25.
    assert_eq!(run["exit_code"], 128 + 25, "{run:#}");
    assert!(left.is_empty(), "left running: {left:?}");
}

#[test]
fn a_program_that_closes_its_output_and_runs_on_times_out() {
    tests_integration::needs!(Need::Namespaces);
    let (report, left) = grade(
        &["--timeout", "2"],
        &[&python(), &hostile("closes-stdout.py")],
    );
    let run = run(&report);
    assert_eq!(report["verdict"], "timeout", "{report:#}");
    assert_eq!(run["stdout_tail"], "Start");
    assert!(left.is_empty(), "left running: {left:?}");
}

#[test]
fn a_program_that_ignores_every_signal_is_killed_after_the_grace() {
    tests_integration::needs!(Need::Namespaces);
    let (report, left) = grade(
        &["--timeout", "2"],
        &[&python(), &hostile("ignores-signals.py")],
    );
    let run = run(&report);
    assert_eq!(report["verdict"], "timeout", "{report:#}");
    assert_eq!(run["ignored_sigterm"], true, "{run:#}");
    assert!(left.is_empty(), "left running: {left:?}");
}

#[test]
fn a_grandchild_in_a_new_session_dies_with_the_run() {
    tests_integration::needs!(Need::Namespaces);
    // An imitation of ex03's output, whose processes do none of its work: judged
    // by its output alone, since what is tested is where its grandchild goes.
    let (report, left) = grade_as(
        "ex03",
        &["--output-only"],
        &[&python(), &hostile("new-session.py"), &accepted()],
    );
    let run = run(&report);
    assert_eq!(report["verdict"], "pass", "{report:#}");
    assert_eq!(run["left_behind"], 1, "{run:#}");
    assert!(left.is_empty(), "left running: {left:?}");
}

#[test]
fn a_zombie_factory_leaves_nothing() {
    tests_integration::needs!(Need::Namespaces);
    let (report, left) = grade(
        &["--output-only"],
        &[&python(), &hostile("zombie-factory.py"), &accepted()],
    );
    assert_eq!(report["verdict"], "pass", "{report:#}");
    let tasks = &run(&report)["tasks"];
    // 200 children and the program, every one numbered by the PID namespace.
    assert_eq!(tasks["created"], 201, "{tasks:#}");
    assert!(left.is_empty(), "left running: {left:?}");
}

#[test]
fn a_service_on_the_grading_machine_is_out_of_reach() {
    tests_integration::needs!(Need::Namespaces);
    let service = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = service.local_addr().unwrap().port().to_string();
    // The control: from here, the service answers.
    let direct = Command::new("python3")
        .args([&hostile("loopback.py"), &port])
        .output()
        .expect("python3 runs");
    assert_eq!(
        String::from_utf8_lossy(&direct.stdout),
        "reached the service\n"
    );
    let (report, left) = grade(&[], &[&python(), &hostile("loopback.py"), &port]);
    let stdout = run(&report)["stdout_tail"].as_str().unwrap().to_owned();
    assert!(stdout.starts_with("unreachable:"), "{stdout}");
    assert!(left.is_empty(), "left running: {left:?}");
}
