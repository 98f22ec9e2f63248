//! `cargo xtask run-all`: every exercise, run for real and checked against its contract.
//!
//! `contracts::runs::RUNS` registers how each exercise is run: the arguments for a
//! fast run (the default, seconds in all) and for the course's real timings
//! (`--full`), what the checker may expect of such a run, and a deadline. The
//! binaries are built once, in release; each run goes through `contracts::run`, so a
//! hang is killed at its deadline and no exercise process outlives run-all. The
//! results print as a table, JSON or JUnit XML; a failing run's transcript is kept
//! in `target/run-all/` so that `cargo xtask check` can be run on it again.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use contracts::junit::{self, Failure, TestCase};
use contracts::runs::{OUTPUT_CAP, RUNS, Run};
use contracts::{Exercise, Verdict, judge};
use runner::Limits;
use runner::cargo::{Profile, build_binaries};
use serde::Serialize;

use crate::{UsageError, summary, workspace_root};

/// How run-all prints its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// A table, a row per run as it finishes, then each failure's details.
    Text,
    /// One JSON object: `passed`, and each run's label, verdict, time and detail.
    Json,
    /// JUnit XML: a test case per run.
    Junit,
}

/// One run's result.
#[derive(Debug, Serialize)]
struct RunResult {
    label: &'static str,
    exercise: Exercise,
    args: Vec<&'static str>,
    verdict: Verdict,
    seconds: f64,
    /// Why, in one or more lines (the broken rule and its line, on wrong output).
    detail: String,
    /// The rule broken and its line, on wrong output.
    rule: Option<&'static str>,
    line: Option<usize>,
    /// Where the failing transcript was kept.
    transcript: Option<PathBuf>,
}

/// Runs the registered runs of `only` (all when empty) and prints the results as
/// `format`; `Ok(true)` when all pass and nothing was left running.
pub(crate) fn run_all(full: bool, format: Format, only: &[Exercise]) -> anyhow::Result<bool> {
    let runs: Vec<&Run> = RUNS
        .iter()
        .filter(|run| only.is_empty() || only.contains(&run.exercise))
        .collect();
    if runs.is_empty() {
        let names: Vec<String> = only.iter().map(ToString::to_string).collect();
        return Err(UsageError(format!("no registered runs for {} yet", names.join(", "))).into());
    }
    let mut packages: Vec<&str> = runs.iter().map(|run| run.exercise.package()).collect();
    packages.sort_unstable();
    packages.dedup();
    eprintln!("building {} in release…", packages.join(", "));
    let root = workspace_root();
    let binaries = build_binaries(&root, &packages, Profile::Release)?;
    let kept = root.join("target/run-all");

    let mut stdout = std::io::stdout().lock();
    if format == Format::Text {
        writeln!(
            stdout,
            "{:<16} {:<13} {:>9}  detail",
            "exercise", "verdict", "wall"
        )?;
    }
    let started = Instant::now();
    let mut results = Vec::new();
    for run in runs {
        let invocation = if full { &run.full } else { &run.fast };
        let checker = run.exercise.checker(&invocation.expectations())?;
        let binary = &binaries[run.exercise.package()];
        let mut command = std::process::Command::new(binary);
        command.args(invocation.args);
        let outcome = runner::run(
            command,
            &Limits {
                deadline: invocation.deadline,
                output_cap: OUTPUT_CAP,
                ..Limits::default()
            },
        )
        .with_context(|| format!("running {}", binary.display()))?;
        let judgement = judge(&outcome, checker.as_ref());
        let transcript = match judgement.verdict {
            Verdict::Pass => None,
            _ => Some(keep_transcript(&kept, run.label, &outcome.stdout)?),
        };
        let rejection = judgement.rejection.as_ref();
        let result = RunResult {
            label: run.label,
            exercise: run.exercise,
            args: invocation.args.to_vec(),
            verdict: judgement.verdict,
            seconds: outcome.elapsed.as_secs_f64(),
            detail: judgement.detail.clone(),
            rule: rejection.map(|r| r.rule.id),
            line: rejection.and_then(|r| r.line),
            transcript,
        };
        if format == Format::Text {
            writeln!(
                stdout,
                "{:<16} {:<13} {:>7.2} s  {}",
                result.label,
                result.verdict,
                result.seconds,
                result.detail.lines().next().unwrap_or("")
            )?;
        }
        results.push(result);
    }
    let seconds = started.elapsed().as_secs_f64();
    let left = left_running(binaries.values().map(PathBuf::as_path));
    let failed: Vec<&RunResult> = results
        .iter()
        .filter(|r| r.verdict != Verdict::Pass)
        .collect();
    let passed = failed.is_empty() && left.is_empty();
    match format {
        Format::Text => {
            let mut text = format!("{} failed, {seconds:.2} s in all\n", failed.len());
            if !left.is_empty() {
                text.push_str(
                    "\nleft running after the runs (a bug: every process must be gone):\n",
                );
                for (pid, program) in &left {
                    let _ = writeln!(text, "  pid {pid}: {}", program.display());
                }
            }
            for result in &failed {
                let _ = writeln!(
                    text,
                    "\n{} ({}) failed:\n{}",
                    result.label,
                    result.args.join(" "),
                    result.detail
                );
                if let Some(kept) = &result.transcript {
                    let _ = writeln!(
                        text,
                        "its output is kept in {}: `cargo xtask check {} {}` checks it again",
                        kept.display(),
                        result.exercise,
                        kept.display()
                    );
                }
            }
            stdout.write_all(text.as_bytes())?;
        }
        Format::Json => {
            let left: Vec<serde_json::Value> = left
                .iter()
                .map(|(pid, exe)| serde_json::json!({ "pid": pid, "program": exe }))
                .collect();
            let json = serde_json::json!({
                "passed": passed,
                "seconds": seconds,
                "runs": results,
                "left_running": left,
            });
            writeln!(stdout, "{}", serde_json::to_string_pretty(&json)?)?;
        }
        Format::Junit => stdout.write_all(junit_report(&results).as_bytes())?,
    }
    stdout.flush()?;
    drop(stdout);
    for result in &failed {
        let file = result
            .transcript
            .as_ref()
            .map(|path| {
                path.strip_prefix(&root)
                    .unwrap_or(path)
                    .display()
                    .to_string()
            })
            .unwrap_or_default();
        let message = format!("{}: {}", result.label, result.detail);
        if let Some(annotation) = summary::error_annotation(&file, result.line, &message) {
            eprintln!("{annotation}");
        }
    }
    summary::append(&markdown(&results, seconds, left.len()));
    Ok(passed)
}

/// Writes a failing run's stdout to `dir/<label>.txt` and returns its path.
fn keep_transcript(dir: &Path, label: &str, stdout: &[u8]) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(format!("{}.txt", label.replace(' ', "-")));
    std::fs::write(&path, stdout).with_context(|| format!("writing {}", path.display()))?;
    Ok(path)
}

/// The results as JUnit XML, a test case per run.
fn junit_report(results: &[RunResult]) -> String {
    let cases: Vec<TestCase> = results
        .iter()
        .map(|result| TestCase {
            name: result.label.to_owned(),
            seconds: result.seconds,
            failure: (result.verdict != Verdict::Pass).then(|| Failure {
                kind: result.verdict.name().to_owned(),
                detail: result.detail.clone(),
                error: false,
            }),
            ..TestCase::default()
        })
        .collect();
    junit::render("cargo xtask run-all", "run-all", &cases)
}

/// The results as a Markdown table for the CI job's summary.
fn markdown(results: &[RunResult], seconds: f64, left: usize) -> String {
    let mut out = String::from(
        "## cargo xtask run-all\n\n| run | verdict | wall | detail |\n|---|---|---:|---|\n",
    );
    for result in results {
        let _ = writeln!(
            out,
            "| {} | {} | {:.2} s | {} |",
            result.label,
            result.verdict,
            result.seconds,
            summary::cell(&result.detail)
        );
    }
    let failed = results
        .iter()
        .filter(|r| r.verdict != Verdict::Pass)
        .count();
    let _ = writeln!(out, "\n{failed} failed, {seconds:.2} s in all.");
    if left > 0 {
        let _ = writeln!(out, "{left} process(es) were left running.");
    }
    out.push('\n');
    out
}

/// The processes, other than zombies of ours, still running one of `programs`:
/// an exercise or a pool worker that outlived its run. A process gone by the time
/// it is looked at does not count.
fn left_running<'a>(programs: impl Iterator<Item = &'a Path>) -> Vec<(u32, PathBuf)> {
    let programs: Vec<PathBuf> = programs.filter_map(|p| p.canonicalize().ok()).collect();
    let mut left = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Ok(exe) = std::fs::read_link(entry.path().join("exe"))
            && programs.contains(&exe)
        {
            left.push((pid, exe));
        }
    }
    left
}
