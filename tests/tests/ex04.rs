//! The ex04 binary as a student runs it: real threads, checked by its contract.

use std::process::Stdio;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use test_kit::run::{Limits, run};
use test_kit::{Exercise, Expectations, Verdict, judge};

const PACKAGE: &str = "ex04-locked-list";

fn ex04() -> Command {
    Command::new(tests::binary(PACKAGE))
}

/// Runs ex04 with `args` under a deadline and judges it with counts known.
fn judged(args: &[&str], adds: u64, removes: u64) -> test_kit::Judgement {
    let mut command = std::process::Command::new(tests::binary(PACKAGE));
    command.args(args);
    let limits = Limits {
        deadline: Duration::from_secs(20),
        output_cap: 16 << 20,
    };
    let outcome = run(command, &limits).expect("ex04 starts");
    let expect = Expectations::new()
        .with("adds", adds)
        .with("removes", removes);
    let checker = Exercise::Ex04.checker(&expect).expect("valid expectations");
    judge(&outcome, checker.as_ref())
}

#[test]
fn a_fast_course_shaped_run_keeps_the_contract() {
    let judgement = judged(&["--add-every", "5", "--remove-every", "10"], 5, 5);
    assert_eq!(judgement.verdict, Verdict::Pass, "{}", judgement.detail);
}

#[test]
fn contended_runs_keep_the_contract_whatever_the_interleaving() {
    // Intervals of 0: both threads hammer the lock, so every run interleaves anew.
    for (adds, removes) in [(100, 100), (60, 120), (150, 20)] {
        for _ in 0..3 {
            let (a, r) = (adds.to_string(), removes.to_string());
            let args = [
                "--adds",
                &a,
                "--removes",
                &r,
                "--add-every",
                "0",
                "--remove-every",
                "0",
            ];
            let judgement = judged(&args, adds, removes);
            assert_eq!(
                judgement.verdict,
                Verdict::Pass,
                "{args:?}: {}",
                judgement.detail
            );
        }
    }
}

#[test]
fn zero_operations_print_only_the_empty_final_list() {
    ex04()
        .args(["--adds", "0", "--removes", "0"])
        .assert()
        .success()
        .stdout("Final list: []\n");
}

#[test]
fn a_remover_with_nothing_to_remove_says_so() {
    ex04()
        .args(["--adds", "0", "--removes", "2", "--remove-every", "1"])
        .assert()
        .success()
        .stdout("List is empty, nothing to remove.\nList is empty, nothing to remove.\nFinal list: []\n");
}

#[test]
fn bad_flags_are_usage_errors() {
    for args in [
        &["--adds", "-1"][..],
        &["--adds=-1"],
        &["--add-every", "abc"],
        &["--removes", "1.5"],
        &["--remove-every", "99999999999"],
        &["--no-such-flag"],
        &["extra"],
    ] {
        ex04()
            .args(args)
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

#[test]
fn help_explains_every_flag_and_its_default() {
    let assert = ex04().arg("--help").assert().success();
    let help = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for needle in [
        "--adds",
        "--removes",
        "--add-every",
        "--remove-every",
        "[default: 1000]",
        "[default: 2000]",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}:\n{help}");
    }
}

#[test]
fn a_closed_stdout_is_an_error_not_a_panic() {
    // The reader goes away before the first line: every write fails with EPIPE.
    let mut child = std::process::Command::new(tests::binary(PACKAGE))
        .args(["--add-every", "50", "--remove-every", "50"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ex04 starts");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("ex04 ends");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("writing to stdout"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
