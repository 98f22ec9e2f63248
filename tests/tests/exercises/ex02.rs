//! The ex02 binary as a student runs it: every section judged by the contract at
//! several pool sizes, its flags checked, and nothing of it left running.

use contracts::{Exercise, Expectations};

const PACKAGE: &str = "ex02-process-pool";

#[test]
fn every_section_keeps_the_contract_at_several_pool_sizes() {
    for workers in ["1", "2", "5"] {
        tests_integration::assert_passes(
            Exercise::Ex02,
            &["--workers", workers],
            &Expectations::new(),
        );
    }
}

#[test]
fn bad_flags_are_usage_errors() {
    tests_integration::assert_usage_errors(
        PACKAGE,
        &[
            &["--workers", "0"],
            &["--workers", "65"],
            &["--workers", "x"],
            &["extra"],
        ],
    );
}

#[test]
fn help_explains_the_flag_and_the_killing() {
    tests_integration::assert_help_mentions(
        PACKAGE,
        &["--workers", "SIGKILL", "cargo xtask check ex02"],
    );
}

#[test]
fn a_closed_stdout_ends_the_program_quietly() {
    tests_integration::assert_closed_stdout_ends_quietly(PACKAGE, &["--workers", "1"]);
}
