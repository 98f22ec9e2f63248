//! `cargo xtask ci`: everything CI runs, in order, with each step's time.
//!
//! Steps: formatting, clippy with `-D warnings` on every target, the workspace's
//! tests (unit, integration, property and doc tests, and xtask's tidy tests), the
//! loom models, and run-all. `--only` and `--skip` choose among them. Every chosen
//! step runs even after one fails, so one CI run reports every problem; the exit
//! code is 1 if any step failed. The step table is printed, and appended to
//! `GITHUB_STEP_SUMMARY` when that is set.

use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{Duration, Instant};

use runner::cargo::cargo_program;
use xshell::{Shell, cmd};

use crate::{loom, run_all, summary, workspace_root};

/// One step of CI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Step {
    /// `cargo fmt --check`.
    Fmt,
    /// `cargo clippy --all-targets -- -D warnings`.
    Clippy,
    /// `cargo test --workspace`.
    Test,
    /// `cargo xtask loom`.
    Loom,
    /// `cargo xtask run-all`.
    RunAll,
}

impl Step {
    const ALL: [Step; 5] = [
        Step::Fmt,
        Step::Clippy,
        Step::Test,
        Step::Loom,
        Step::RunAll,
    ];

    fn name(self) -> &'static str {
        match self {
            Step::Fmt => "fmt",
            Step::Clippy => "clippy",
            Step::Test => "test",
            Step::Loom => "loom",
            Step::RunAll => "run-all",
        }
    }
}

/// Runs the CI steps in `only` (all when empty) but those in `skip`; `Ok(true)`
/// when all pass.
pub(crate) fn ci(only: &[Step], skip: &[Step]) -> anyhow::Result<bool> {
    let sh = Shell::new()?;
    sh.change_dir(workspace_root());
    let cargo = cargo_program();
    let run = |step: Step| -> anyhow::Result<bool> {
        match step {
            Step::Fmt => Ok(cmd!(sh, "{cargo} fmt --all -- --check").run().is_ok()),
            Step::Clippy => Ok(cmd!(
                sh,
                "{cargo} clippy --locked --workspace --all-targets -- -D warnings"
            )
            .run()
            .is_ok()),
            Step::Test => Ok(cmd!(sh, "{cargo} test --locked --workspace").run().is_ok()),
            Step::Loom => loom::loom().or_else(report_as_failure),
            Step::RunAll => {
                run_all::run_all(false, run_all::Format::Text, &[]).or_else(report_as_failure)
            }
        }
    };

    let mut results: Vec<(Step, bool, Duration)> = Vec::new();
    let chosen = Step::ALL
        .into_iter()
        .filter(|step| (only.is_empty() || only.contains(step)) && !skip.contains(step));
    for step in chosen {
        eprintln!("\n=== ci: {}", step.name());
        let started = Instant::now();
        let passed = run(step)?;
        results.push((step, passed, started.elapsed()));
    }

    let total: Duration = results.iter().map(|r| r.2).sum();
    let mut table = format!("\n{:<8} {:<6} {:>9}\n", "step", "result", "time");
    let mut markdown =
        String::from("## cargo xtask ci\n\n| step | result | time |\n|---|---|---:|\n");
    for (step, passed, took) in &results {
        let result = if *passed { "ok" } else { "FAILED" };
        let seconds = took.as_secs_f64();
        let _ = writeln!(table, "{:<8} {result:<6} {seconds:>7.1} s", step.name());
        let _ = writeln!(markdown, "| {} | {result} | {seconds:.1} s |", step.name());
    }
    let _ = writeln!(
        table,
        "{:<8} {:<6} {:>7.1} s",
        "total",
        "",
        total.as_secs_f64()
    );
    let _ = writeln!(markdown, "| total | | {:.1} s |\n", total.as_secs_f64());
    summary::append(&markdown);
    std::io::stdout().write_all(table.as_bytes())?;
    Ok(results.iter().all(|r| r.1))
}

/// A step that errors (rather than reporting a failure) still counts as one failed
/// step; the error is shown and the next step runs.
fn report_as_failure(error: anyhow::Error) -> anyhow::Result<bool> {
    eprintln!("error: {error:#}");
    Ok(false)
}
