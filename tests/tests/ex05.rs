//! The ex05 binary as a student runs it: every section, run after run, keeps the
//! contract whatever the interleaving.

use test_kit::{Exercise, Expectations};

const PACKAGE: &str = "ex05-sharing-data";

#[test]
fn every_run_keeps_the_contract() {
    for args in [
        &["--increments", "20000"][..],
        &["--threads", "1"],
        &["--threads", "7", "--increments", "3000"],
    ] {
        for _ in 0..3 {
            tests::assert_passes(Exercise::Ex05, args, &Expectations::new());
        }
    }
}

#[test]
fn bad_flags_are_usage_errors() {
    tests::assert_usage_errors(
        PACKAGE,
        &[
            &["--threads", "0"],
            &["--threads", "65"],
            &["--increments", "-5"],
            &["--increments", "many"],
            &["extra"],
        ],
    );
}

#[test]
fn help_explains_every_flag_and_its_default() {
    tests::assert_help_mentions(
        PACKAGE,
        &[
            "--threads",
            "--increments",
            "[default: 4]",
            "[default: 100000]",
        ],
    );
}

#[test]
fn a_closed_stdout_ends_the_program_quietly() {
    tests::assert_closed_stdout_ends_quietly(PACKAGE, &["--increments", "10"]);
}
