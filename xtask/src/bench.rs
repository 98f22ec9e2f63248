//! `cargo xtask bench`: the kit's benchmarks, each beside Python's figure for
//! the same work when `python3` is on the PATH, all in one run on one machine.
//!
//! [`BENCHES`] registers each suite: a divan bench target of an exercise's package
//! and, optionally, the Python script that times the course's way of doing the same
//! thing. Numbers are printed, never asserted: the docs quote them with this command.

use std::io::Write as _;
use std::process::Command;

use xshell::{Shell, cmd};

use contracts::Exercise;
use runner::cargo::cargo_program;

use crate::{UsageError, workspace_root};

/// One benchmark suite.
#[derive(Debug)]
pub(crate) struct Bench {
    pub(crate) exercise: Exercise,
    /// The `[[bench]]` target in the exercise's package.
    pub(crate) target: &'static str,
    /// A Python script timing the same rows, relative to the workspace root.
    pub(crate) python: Option<&'static str>,
}

pub(crate) const BENCHES: &[Bench] = &[
    Bench {
        exercise: Exercise::Ex01,
        target: "side_by_side",
        python: None,
    },
    Bench {
        exercise: Exercise::Ex03,
        target: "primes",
        python: Some("crates/ex03-multiprocessing-primes/benches/python_primes.py"),
    },
    Bench {
        exercise: Exercise::Ex05,
        target: "process_tools",
        python: Some("crates/ex05-sharing-data/benches/python_tools.py"),
    },
    Bench {
        exercise: Exercise::Ex06,
        target: "failure_latency",
        python: Some("crates/ex06-concurrent-errors/benches/python_failures.py"),
    },
    Bench {
        exercise: Exercise::Ex07,
        target: "thread_pool",
        python: Some("crates/ex07-factorial-thread-pool/benches/python_pool.py"),
    },
    Bench {
        exercise: Exercise::Ex08,
        target: "process_pool",
        python: Some("crates/ex08-pool-square-timing/benches/python_pool.py"),
    },
];

/// Runs the suites of `only` (all when empty); `Ok(false)` if one failed to run.
pub(crate) fn bench(only: &[Exercise], python: bool) -> anyhow::Result<bool> {
    let sh = Shell::new()?;
    let root = workspace_root();
    sh.change_dir(&root);
    let cargo = cargo_program();
    let python = python && python3_present();
    let suites: Vec<&Bench> = BENCHES
        .iter()
        .filter(|b| only.is_empty() || only.contains(&b.exercise))
        .collect();
    if suites.is_empty() {
        let with: Vec<String> = BENCHES.iter().map(|b| b.exercise.to_string()).collect();
        return Err(UsageError(format!(
            "no benchmarks for that; exercises with benchmarks: {}",
            with.join(", ")
        ))
        .into());
    }
    let mut ok = true;
    for suite in suites {
        let (package, target) = (suite.exercise.package(), suite.target);
        say(format_args!(
            "== {} ({package}, bench {target})",
            suite.exercise
        ))?;
        ok &= cmd!(sh, "{cargo} bench --locked -p {package} --bench {target}")
            .run()
            .is_ok();
        match suite.python {
            Some(script) if python => {
                say(format_args!("== {}: Python, the same work", suite.exercise))?;
                ok &= cmd!(sh, "python3 {script}").run().is_ok();
            }
            Some(_) => say(format_args!(
                "(python3 not found or --no-python: Python's figures skipped)"
            ))?,
            None => {}
        }
    }
    Ok(ok)
}

/// Prints one line, at once (the benchmarks' own output follows it).
fn say(line: std::fmt::Arguments<'_>) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{line}")?;
    stdout.flush()
}

fn python3_present() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exercise_without_benchmarks_is_a_usage_error() {
        let error = bench(&[Exercise::Ex04], false).expect_err("ex04 has no benchmarks");
        assert!(error.is::<UsageError>(), "{error}");
    }

    #[test]
    fn every_registered_suite_exists() {
        let root = workspace_root();
        for suite in BENCHES {
            let package = root.join("crates").join(suite.exercise.package());
            let target = package.join("benches").join(format!("{}.rs", suite.target));
            assert!(target.is_file(), "{} is missing", target.display());
            if let Some(script) = suite.python {
                assert!(root.join(script).is_file(), "{script} is missing");
            }
        }
    }
}
