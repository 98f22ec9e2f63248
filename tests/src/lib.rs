//! Helpers for the workspace integration tests: finding the binaries they drive,
//! and the checks every exercise binary must pass as a command-line program.
//!
//! Cargo hands an integration test only the binaries of its own package, and this
//! crate tests other packages' binaries, so [`binary`] asks cargo to build the one
//! wanted (a no-op when it is fresh) and reads its path from cargo's messages.

pub mod children;
pub mod grading;
pub mod jail;
pub mod marked;
pub mod platforms;
pub mod pool_tasks;
pub mod watchdog;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use assert_cmd::Command;
use contracts::{Exercise, Expectations, Judgement, Verdict, judge};
use predicates::prelude::*;
use runner::cargo::{Profile, build_all_binaries};
use runner::{Limits, run};

/// The path of the binary of `package` (its binary has the package's name), built
/// in the dev profile the first time this test process asks for it.
///
/// # Panics
///
/// When the package does not build: the test cannot run without it.
pub fn binary(package: &str) -> PathBuf {
    binary_of(package, package)
}

/// The path of the binary `name` of `package`, built in the dev profile the first
/// time this test process asks for it.
///
/// # Panics
///
/// When the package does not build or has no such binary.
pub fn binary_of(package: &str, name: &str) -> PathBuf {
    static BUILT: Mutex<BTreeMap<String, PathBuf>> = Mutex::new(BTreeMap::new());
    let mut built = BUILT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(path) = built.get(name) {
        return path.clone();
    }
    let binaries = build_all_binaries(&root(), &[package], Profile::Debug)
        .unwrap_or_else(|e| panic!("building {package}: {e}"));
    built.extend(binaries);
    match built.get(name) {
        Some(path) => path.clone(),
        None => panic!("{package} has no binary named {name}"),
    }
}

/// The grader's binary, `concurrency-grader`.
pub fn grader() -> PathBuf {
    binary_of("grader", "concurrency-grader")
}

/// The workspace's root folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits inside the workspace")
        .to_path_buf()
}

/// Whether `pid` is a live process: in the process table and not a zombie (a
/// zombie has died, and only waits to be reaped).
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .is_some_and(|(_, tail)| !tail.trim_start().starts_with('Z'))
    })
}

/// Runs `exercise`'s binary with `args` under a 60 s deadline, judges its output
/// with its checker (told `expect`), and asserts the verdict is `pass`.
pub fn assert_passes(exercise: Exercise, args: &[&str], expect: &Expectations) {
    let judgement = judged(exercise, args, expect);
    assert_eq!(
        judgement.verdict,
        Verdict::Pass,
        "{exercise} {args:?}: {}",
        judgement.detail
    );
}

/// Runs `exercise`'s binary with `args` under a 60 s deadline and judges its output
/// with its checker, told `expect`.
pub fn judged(exercise: Exercise, args: &[&str], expect: &Expectations) -> Judgement {
    let mut command = std::process::Command::new(binary(exercise.package()));
    command.args(args);
    let limits = Limits {
        deadline: Duration::from_secs(60),
        output_cap: 16 << 20,
        ..Limits::default()
    };
    let outcome = run(command, &limits).expect("the exercise starts");
    let checker = exercise.checker(expect).expect("valid expectations");
    judge(&outcome, checker.as_ref())
}

/// Each of `cases` is a usage error: clap's message on stderr, nothing on stdout,
/// exit code 2, no panic.
pub fn assert_usage_errors(package: &str, cases: &[&[&str]]) {
    for args in cases {
        Command::new(binary(package))
            .args(*args)
            .timeout(Duration::from_secs(10))
            .assert()
            .code(2)
            .stdout("")
            .stderr(
                predicate::str::starts_with("error:")
                    .and(predicate::str::contains("panicked").not()),
            );
    }
}

/// `--help` succeeds and mentions each of `needles` (flags, defaults).
pub fn assert_help_mentions(package: &str, needles: &[&str]) {
    let assert = Command::new(binary(package))
        .arg("--help")
        .assert()
        .success();
    let help = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for needle in needles {
        assert!(help.contains(needle), "--help lacks {needle}:\n{help}");
    }
}

/// With its reader gone before the first line (`| head -0`), the program stops
/// quietly: exit code 0, nothing on stderr, no panic. With stderr gone too
/// (`2>&1 | head -0`), it still exits 0, never 101.
pub fn assert_closed_stdout_ends_quietly(package: &str, args: &[&str]) {
    let start = || {
        let mut child = std::process::Command::new(binary(package))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the exercise starts");
        drop(child.stdout.take());
        child
    };
    let output = start().wait_with_output().expect("the exercise ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "");

    let mut child = start();
    drop(child.stderr.take());
    let status = child.wait().expect("the exercise ends");
    assert_eq!(status.code(), Some(0));
}

/// With its reader gone after the first line (`| head -1`), the program stops its
/// pools without running the work still queued, and exits 0. `args` ask for work
/// that takes many minutes in all, so a program still running a minute after its
/// reader went has gone on with that work: it is killed, and the test fails.
pub fn assert_queued_work_stops_with_the_reader(package: &str, args: &[&str]) {
    let mut child = std::process::Command::new(binary(package))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the exercise starts");
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut first).expect("a first line");
    assert!(!first.is_empty(), "{package} {args:?} printed nothing");
    drop(stdout);
    let patience = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("the exercise is waited for") {
            break status;
        }
        if std::time::Instant::now() > patience {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{package} {args:?} went on with its queued work after its reader had gone");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0), "{package} {args:?}");
}
