//! The ex07 binary as a student runs it: both engines, both orders, judged by the
//! contract, and the same lines whichever pool computed them.

use assert_cmd::Command;
use contracts::{Exercise, Expectations};

const PACKAGE: &str = "ex07-factorial-thread-pool";

#[test]
fn every_engine_order_and_pool_size_keeps_the_contract() {
    for engine in ["pool", "rayon"] {
        for workers in ["1", "2", "5"] {
            for order in [&[][..], &["--as-completed"]] {
                let mut args = vec!["--upto", "150", "--engine", engine, "--workers", workers];
                args.extend_from_slice(order);
                tests_integration::assert_passes(
                    Exercise::Ex07,
                    &args,
                    &Expectations::new().with("upto", 150),
                );
            }
        }
    }
}

#[test]
fn both_engines_print_the_same_lines() {
    let output = |engine: &str| {
        let assert = Command::new(tests_integration::binary(PACKAGE))
            .args(["--upto", "120", "--workers", "3", "--engine", engine])
            .assert()
            .success();
        assert.get_output().stdout.clone()
    };
    let pool = output("pool");
    assert_eq!(pool, output("rayon"));
    let text = String::from_utf8(pool).expect("UTF-8");
    assert!(text.starts_with("Factorial of 1 is 1\nFactorial of 2 is 2\n"));
    assert!(text.contains("\nFactorial of 25 is 15511210043330985984000000\n"));
}

#[test]
fn the_default_run_is_the_course_s_ten_factorials_in_order() {
    let expected: String = (1..=10u64)
        .scan(1u64, |f, n| {
            *f *= n;
            Some(format!("Factorial of {n} is {f}\n"))
        })
        .collect();
    Command::new(tests_integration::binary(PACKAGE))
        .assert()
        .success()
        .stdout(expected);
}

#[test]
fn bad_flags_are_usage_errors() {
    tests_integration::assert_usage_errors(
        PACKAGE,
        &[
            &["--upto", "0"],
            &["--upto", "-3"],
            &["--upto", "100001"],
            &["--workers", "0"],
            &["--workers", "many"],
            &["--engine", "gil"],
            &["extra"],
        ],
    );
}

#[test]
fn help_explains_every_flag_and_its_default() {
    tests_integration::assert_help_mentions(
        PACKAGE,
        &[
            "--upto",
            "--workers",
            "--engine",
            "--as-completed",
            "[default: 10]",
            "[default: pool]",
        ],
    );
}

#[test]
fn a_closed_stdout_ends_the_program_quietly() {
    // Enough output to overflow any buffer, so a write must fail.
    tests_integration::assert_closed_stdout_ends_quietly(PACKAGE, &["--upto", "400"]);
}

#[test]
fn a_reader_gone_after_the_first_line_leaves_the_queued_work_undone() {
    // The whole run would take most of an hour, on either engine, in either order.
    for engine in ["pool", "rayon"] {
        for order in [&[][..], &["--as-completed"]] {
            let mut args = vec!["--upto", "100000", "--engine", engine];
            args.extend_from_slice(order);
            tests_integration::assert_queued_work_stops_with_the_reader(PACKAGE, &args);
        }
    }
}
