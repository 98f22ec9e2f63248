//! The ex03 binary as a student runs it: every mode keeps the contract on limits
//! and range counts proptest picks, checked by the contracts crate's sieve-based checker.

use contracts::{Exercise, Expectations};
use proptest::prelude::*;

const PACKAGE: &str = "ex03-multiprocessing-primes";
const MODES: [&str; 4] = ["processes", "threads", "rayon", "sequential"];

fn split(limit: u64, ranges: u64) -> Expectations {
    Expectations::new()
        .with("limit", limit)
        .with("ranges", ranges)
}

#[test]
fn the_course_s_ranges_in_every_mode() {
    for mode in MODES {
        tests_integration::assert_passes(Exercise::Ex03, &["--mode", mode], &split(4000, 4));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn every_mode_finds_exactly_the_primes_of_every_range(
        limit in 2u64..60_000,
        ranges in 1u64..80,
        workers in 1u16..5,
        mode in proptest::sample::select(MODES.to_vec()),
    ) {
        let ranges = ranges.min(limit - 1);
        let (limit_arg, ranges_arg, workers_arg) =
            (limit.to_string(), ranges.to_string(), workers.to_string());
        let mut args = vec!["--limit", &limit_arg, "--ranges", &ranges_arg, "--mode", mode];
        // A sequential run has no workers to ask for.
        if mode != "sequential" {
            args.extend(["--workers", &workers_arg]);
        }
        tests_integration::assert_passes(Exercise::Ex03, &args, &split(limit, ranges));
    }
}

#[test]
fn bad_flags_are_usage_errors() {
    tests_integration::assert_usage_errors(
        PACKAGE,
        &[
            &["--limit", "1"],
            &["--limit", "1000000001"],
            &["--limit", "10", "--ranges", "10"],
            &["--limit", "10", "--ranges", "0"],
            &["--ranges", "4"],
            &["--workers", "0"],
            &["--mode", "gil"],
            &["--mode", "sequential", "--workers", "2"],
            &["extra"],
        ],
    );
}

#[test]
fn help_explains_every_flag_and_its_default() {
    tests_integration::assert_help_mentions(
        PACKAGE,
        &[
            "--limit",
            "--ranges",
            "--workers",
            "--mode",
            "[default: processes]",
        ],
    );
}

#[test]
fn a_closed_stdout_ends_the_program_quietly() {
    tests_integration::assert_closed_stdout_ends_quietly(
        PACKAGE,
        &["--limit", "3000000", "--ranges", "8"],
    );
}

#[test]
fn a_reader_gone_after_the_first_line_leaves_the_queued_work_undone() {
    // The whole run would take most of an hour, in any mode.
    for mode in ["processes", "threads", "rayon"] {
        tests_integration::assert_queued_work_stops_with_the_reader(
            PACKAGE,
            &[
                "--limit",
                "1000000000",
                "--ranges",
                "100000",
                "--mode",
                mode,
            ],
        );
    }
}
