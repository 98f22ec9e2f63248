//! `cargo xtask ci`: everything CI runs, in order, with each step's time.
//!
//! Steps: formatting, clippy with `-D warnings` on every target, the workspace's
//! tests (unit, integration, property and doc tests, and xtask's tidy test), the loom
//! models, and run-all. Every step runs even after one fails, so one CI run reports
//! every problem; the exit code is 1 if any step failed.

use std::time::{Duration, Instant};

use test_kit::cargo::cargo_program;
use xshell::{Shell, cmd};

use crate::{loom, run_all, workspace_root};

/// Runs every CI step; `Ok(true)` when all pass.
pub(crate) fn ci() -> anyhow::Result<bool> {
    let sh = Shell::new()?;
    sh.change_dir(workspace_root());
    let cargo = cargo_program();
    let steps: [(&str, &dyn Fn() -> anyhow::Result<bool>); 5] = [
        ("fmt", &|| {
            Ok(cmd!(sh, "{cargo} fmt --all -- --check").run().is_ok())
        }),
        ("clippy", &|| {
            Ok(cmd!(
                sh,
                "{cargo} clippy --locked --workspace --all-targets -- -D warnings"
            )
            .run()
            .is_ok())
        }),
        ("test", &|| {
            Ok(cmd!(sh, "{cargo} test --locked --workspace").run().is_ok())
        }),
        ("loom", &|| loom::loom().or_else(report_as_failure)),
        ("run-all", &|| {
            run_all::run_all(false, &[]).or_else(report_as_failure)
        }),
    ];

    let mut results: Vec<(&str, bool, Duration)> = Vec::new();
    for (name, step) in steps {
        eprintln!("\n=== ci: {name}");
        let started = Instant::now();
        let passed = step()?;
        results.push((name, passed, started.elapsed()));
    }

    println!("\n{:<8} {:<6} {:>9}", "step", "result", "time");
    for (name, passed, took) in &results {
        let result = if *passed { "ok" } else { "FAILED" };
        println!("{name:<8} {result:<6} {:>7.1} s", took.as_secs_f64());
    }
    let total: Duration = results.iter().map(|r| r.2).sum();
    println!("{:<8} {:<6} {:>7.1} s", "total", "", total.as_secs_f64());
    Ok(results.iter().all(|r| r.1))
}

/// A step that errors (rather than reporting a failure) still counts as one failed
/// step; the error is shown and the next step runs.
fn report_as_failure(error: anyhow::Error) -> anyhow::Result<bool> {
    eprintln!("error: {error:#}");
    Ok(false)
}
