//! `cargo xtask races [--runs N]`: how often the self-test's racy submissions
//! fail under each of the grader's conditions, and under the default mix, so that
//! the mix is chosen from numbers measured here.
//!
//! Each racy submission (`tests/submissions/racy/`) is graded `N` times under one
//! condition at a time, then `N` times under the default mix, by the grader built
//! in release; the table gives failures per runs. Prints numbers, asserts none.

use std::process::Command;

use anyhow::Context;
use runner::cargo::cargo_program;

use crate::workspace_root;

/// A racy submission: its exercise, its file, and what its race is.
struct Racy {
    exercise: &'static str,
    file: &'static str,
    race: &'static str,
}

const RACY: &[Racy] = &[
    Racy {
        exercise: "ex04",
        file: "ex04_print_outside_lock.py",
        race: "prints outside its lock",
    },
    Racy {
        exercise: "ex03",
        file: "ex03_unbuffered.py",
        race: "writes a line's text and newline apart",
    },
    Racy {
        exercise: "ex07",
        file: "ex07_lost_update.py",
        race: "loses updates to a shared list",
    },
    Racy {
        exercise: "ex04",
        file: "ex04_course_shape.py",
        race: "prints after its lock, 10 items, naps",
    },
];

/// The conditions measured one by one, then the mix.
const CONDITIONS: &[&str] = &["free", "one-core", "load", "low-priority", "preempt"];

/// Measures and prints the table; `Ok(false)` if a grade could not be given.
pub(crate) fn races(runs: u32) -> anyhow::Result<bool> {
    let root = workspace_root();
    let status = Command::new(cargo_program())
        .current_dir(&root)
        .args(["build", "--quiet", "--release", "--package", "grader"])
        .status()
        .context("running cargo build")?;
    anyhow::ensure!(status.success(), "the grader did not build");
    let grader = root.join("target/release/concurrency-grader");
    let python = interpreter()?;
    println!(
        "failures per {runs} runs (cargo xtask races --runs {runs}); mix = the grader's default"
    );
    print!("{:<28} {:<40}", "submission", "race");
    for condition in CONDITIONS.iter().chain(&["mix"]) {
        print!(" {condition:>12}");
    }
    println!();
    for racy in RACY {
        print!("{:<28} {:<40}", racy.file, racy.race);
        for condition in CONDITIONS.iter().map(Some).chain([None]) {
            let mut command = Command::new(&grader);
            command
                .args([
                    racy.exercise,
                    "--repeat",
                    &runs.to_string(),
                    "--format",
                    "json",
                ])
                .env_remove("PYTHONUNBUFFERED");
            if let Some(condition) = condition {
                command.args(["--conditions", condition]);
            }
            let path = root.join("tests/submissions/racy").join(racy.file);
            let output = command
                .arg("--")
                .arg(&python)
                .arg(&path)
                .output()
                .context("running the grader")?;
            let report: serde_json::Value =
                serde_json::from_slice(&output.stdout).with_context(|| {
                    format!(
                        "the grader's report on {} is not JSON: {}",
                        racy.file,
                        String::from_utf8_lossy(&output.stderr)
                    )
                })?;
            let passed = report["cases"][0]["passed"].as_u64().unwrap_or(0);
            print!(" {:>12}", format!("{}/{runs}", u64::from(runs) - passed));
        }
        println!();
    }
    Ok(true)
}

/// Python's own interpreter, not a version manager's shim in front of it.
fn interpreter() -> anyhow::Result<String> {
    let output = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .context("running python3")?;
    anyhow::ensure!(output.status.success(), "python3 failed");
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_racy_submission_exists() {
        for racy in RACY {
            let path = workspace_root()
                .join("tests/submissions/racy")
                .join(racy.file);
            assert!(path.is_file(), "{} is missing", path.display());
        }
    }
}
