//! The ex04 binary as a student runs it: real threads, checked by its contract.

use assert_cmd::Command;
use contracts::{Exercise, Expectations};

const PACKAGE: &str = "ex04-locked-list";

fn ex04() -> Command {
    Command::new(tests_integration::binary(PACKAGE))
}

/// Runs ex04 with `args` under a deadline and asserts it passes, with counts known.
fn passes(args: &[&str], adds: u64, removes: u64) {
    let expect = Expectations::new()
        .with("adds", adds)
        .with("removes", removes);
    tests_integration::assert_passes(Exercise::Ex04, args, &expect);
}

#[test]
fn a_fast_course_shaped_run_keeps_the_contract() {
    passes(&["--add-every", "5", "--remove-every", "10"], 5, 5);
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
            passes(&args, adds, removes);
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
    tests_integration::assert_usage_errors(
        PACKAGE,
        &[
            &["--adds", "-1"],
            &["--adds=-1"],
            &["--add-every", "abc"],
            &["--removes", "1.5"],
            &["--remove-every", "99999999999"],
            &["--no-such-flag"],
            &["extra"],
        ],
    );
}

#[test]
fn help_explains_every_flag_and_its_default() {
    tests_integration::assert_help_mentions(
        PACKAGE,
        &[
            "--adds",
            "--removes",
            "--add-every",
            "--remove-every",
            "[default: 1000]",
            "[default: 2000]",
        ],
    );
}

#[test]
fn a_closed_stdout_ends_the_program_quietly() {
    // The reader goes away before the first line: every write fails with EPIPE.
    tests_integration::assert_closed_stdout_ends_quietly(
        PACKAGE,
        &["--add-every", "50", "--remove-every", "50"],
    );
}
