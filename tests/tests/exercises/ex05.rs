//! The ex05 binary as a student runs it: every section, run after run, keeps the
//! contract whatever the interleaving, and none of the processes it starts outlives
//! it, even when it is killed in the middle.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use contracts::{Exercise, Expectations};
use tests_integration::marked::{MARK_ENV, left_after_grace, marked};

const PACKAGE: &str = "ex05-sharing-data";

#[test]
fn every_run_keeps_the_contract() {
    for args in [
        &["--increments", "20000"][..],
        &["--threads", "1"],
        &["--threads", "7", "--increments", "3000"],
        &["--processes", "1", "--increments", "500"],
        &["--processes", "5", "--increments", "2000"],
    ] {
        for _ in 0..3 {
            tests_integration::assert_passes(Exercise::Ex05, args, &Expectations::new());
        }
    }
}

#[test]
fn bad_flags_are_usage_errors() {
    tests_integration::assert_usage_errors(
        PACKAGE,
        &[
            &["--threads", "0"],
            &["--threads", "65"],
            &["--increments", "-5"],
            &["--increments", "many"],
            &["--processes", "0"],
            &["--processes", "17"],
            &["--linger", "60001"],
            &["extra"],
        ],
    );
}

#[test]
fn help_explains_every_flag_and_its_default() {
    tests_integration::assert_help_mentions(
        PACKAGE,
        &[
            "--threads",
            "--increments",
            "--processes",
            "[default: 4]",
            "[default: 100000]",
            "[default: 2]",
            "--linger",
        ],
    );
}

#[test]
fn a_closed_stdout_ends_the_program_quietly() {
    tests_integration::assert_closed_stdout_ends_quietly(PACKAGE, &["--increments", "10"]);
}

#[test]
fn no_process_outlives_a_whole_run() {
    let mark = format!("whole-{}", std::process::id());
    let status = Command::new(tests_integration::binary(PACKAGE))
        .args(["--increments", "2000"])
        .env(MARK_ENV, &mark)
        .stdout(Stdio::null())
        .status()
        .expect("ex05 runs");
    assert!(status.success());
    assert_eq!(
        left_after_grace(&mark),
        Vec::<u32>::new(),
        "processes left running"
    );
}

#[test]
fn no_process_outlives_the_program_killed_while_a_child_waits() {
    // The children that would never end by themselves: the holder asleep inside
    // the Lock, the producer stalled inside a put, the pipe's child waiting for a
    // message, and the manager's server. The program is killed while each is
    // alive (it lingers 5 s before ending them itself).
    for (round, role) in [
        "EX05_CHILD=hold",
        "EX05_CHILD=stall-put",
        "EX05_CHILD=echo",
        "SYNC_KIT_MANAGER=",
    ]
    .into_iter()
    .enumerate()
    {
        let mark = format!("killed-{}-{round}", std::process::id());
        let mut program = Command::new(tests_integration::binary(PACKAGE))
            .args(["--threads", "2", "--increments", "2000", "--linger", "5000"])
            .env(MARK_ENV, &mark)
            .stdout(Stdio::null())
            .spawn()
            .expect("ex05 starts");
        let started = Instant::now();
        while marked(&mark, Some(role)).is_empty() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "no `{role}` child appeared"
            );
            std::thread::sleep(Duration::from_micros(200));
        }
        // Long enough for the child to be asleep in its lock (or waiting on its
        // pipe), well within the 5 s the program lingers.
        std::thread::sleep(Duration::from_millis(300));
        program.kill().expect("SIGKILL");
        program.wait().expect("reaped");
        assert_eq!(
            left_after_grace(&mark),
            Vec::<u32>::new(),
            "processes left running after a kill while `{role}` was alive"
        );
    }
}
