//! `cargo xtask check` as a grader uses it: exit 0 accepted, 1 rejected, 2 usage.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn xtask() -> Command {
    Command::new(tests_integration::binary("xtask"))
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/contracts/fixtures/ex04")
        .join(path)
}

#[test]
fn an_accepted_transcript_exits_0_with_a_summary() {
    xtask()
        .args(["check", "ex04"])
        .arg(fixture("accept/remover-runs-dry.txt"))
        .args(["--expect", "adds=3", "--expect", "removes=4"])
        .assert()
        .code(0)
        .stdout(
            "accepted: 3 adds, 2 removals, 2 empty; final list [2]\nexpectations: adds=3 removes=4\n",
        );
}

#[test]
fn noise_is_listed_and_strict_refuses_it() {
    let transcript = "Starting\nAdded: 0\nFinal list: [0]\n";
    xtask()
        .args(["check", "ex04", "-"])
        .write_stdin(transcript)
        .assert()
        .code(0)
        .stdout("accepted: 1 add, 0 removals, 0 empty; final list [0]\nignored line 1\n");
    xtask()
        .args(["check", "ex04", "-", "--strict"])
        .write_stdin(transcript)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "line 1: not one of the contract's lines",
        ));
}

#[test]
fn the_course_defaults_apply_unless_lifted() {
    let one_to_nine: String = (1..10u64)
        .map(|n| format!("Factorial of {n} is {}\n", (1..=n).product::<u64>()))
        .collect();
    xtask()
        .args(["check", "ex07", "-"])
        .write_stdin(one_to_nine.clone())
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("10! was never printed")
                .and(predicate::str::ends_with("expectations: upto=10\n")),
        );
    xtask()
        .args(["check", "ex07", "-", "--expect", "upto=any"])
        .write_stdin(one_to_nine)
        .assert()
        .code(0);
}

#[test]
fn a_rejected_transcript_exits_1_with_the_rule_and_line() {
    xtask()
        .args(["check", "4"])
        .arg(fixture("reject/empty-message-not-empty.txt"))
        .assert()
        .code(1)
        .stdout(
            predicate::str::starts_with("rejected: line 3: ")
                .and(predicate::str::contains("[empty-message-not-empty]")),
        );
}

#[test]
fn a_transcript_can_come_from_stdin() {
    xtask()
        .args(["check", "ex04-locked-list", "-"])
        .write_stdin("Added: 0\nRemoved: 0\nFinal list: []\n")
        .assert()
        .code(0);
}

#[test]
fn usage_mistakes_exit_2() {
    let accepted = fixture("accept/short-style.txt");
    for args in [
        vec![
            "check".into(),
            "ex09".into(),
            accepted.display().to_string(),
        ],
        vec!["check".into(), "ex04".into(), "/no/such/transcript".into()],
        vec![
            "check".into(),
            "ex04".into(),
            accepted.display().to_string(),
            "--expect".into(),
            "adds".into(),
        ],
        vec![
            "check".into(),
            "ex04".into(),
            accepted.display().to_string(),
            "--expect".into(),
            "addz=1".into(),
        ],
        vec![
            "check".into(),
            "ex04".into(),
            accepted.display().to_string(),
            "--expect".into(),
            "adds=many".into(),
        ],
        vec!["no-such-task".into()],
    ] {
        xtask()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::starts_with("error:"));
    }
}

#[test]
fn an_oversized_transcript_is_refused_not_read_into_memory() {
    // A sparse file: 65 MiB long, no disk used.
    let path = std::env::temp_dir().join(format!("xtask-check-oversized-{}", std::process::id()));
    std::fs::File::create(&path)
        .and_then(|f| f.set_len(65 << 20))
        .expect("sparse file");
    let assert = xtask().args(["check", "ex04"]).arg(&path).assert();
    let _ = std::fs::remove_file(&path);
    assert
        .code(2)
        .stderr(predicate::str::contains("larger than 64 MiB"));
}
