//! Grading from xtask's measuring verbs (`races`, `answers`): the grader built in
//! release, Python's own interpreter, and one grade's JSON report.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use runner::cargo::cargo_program;
use sync_kit::cli::UsageError;

use crate::workspace_root;

/// Builds the grader in release and gives its path.
pub(crate) fn release_grader() -> anyhow::Result<PathBuf> {
    let root = workspace_root();
    let status = Command::new(cargo_program())
        .current_dir(&root)
        .args(["build", "--quiet", "--release", "--package", "grader"])
        .status()
        .context("running cargo build")?;
    anyhow::ensure!(status.success(), "the grader did not build");
    Ok(root.join("target/release/concurrency-grader"))
}

/// Python's own interpreter, not a version manager's shim in front of it.
pub(crate) fn interpreter() -> anyhow::Result<String> {
    let output = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .context("running python3")?;
    anyhow::ensure!(output.status.success(), "python3 failed");
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The JSON report of `grader` grading `program` for `exercise` with `args`.
/// `what` names the program in an error.
pub(crate) fn report<S: AsRef<OsStr>>(
    grader: &Path,
    exercise: &str,
    args: &[&str],
    program: &[S],
    what: &str,
) -> anyhow::Result<serde_json::Value> {
    let output = Command::new(grader)
        .arg(exercise)
        .args(args)
        .args(["--format", "json", "--"])
        .args(program)
        .env_remove("PYTHONUNBUFFERED")
        .output()
        .context("running the grader")?;
    serde_json::from_slice(&output.stdout).with_context(|| {
        format!(
            "the grader's report on {what} is not JSON: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// A folder's listing `name`, read and parsed by `parse`; a listing that cannot
/// be read or parsed is a usage error naming it.
pub(crate) fn listing<T>(
    dir: &Path,
    name: &str,
    parse: fn(&str) -> Result<T, String>,
) -> anyhow::Result<T> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path)
        .map_err(|error| UsageError(format!("cannot read {}: {error}", path.display())))?;
    Ok(parse(&text).map_err(|why| UsageError(format!("{}: {why}", path.display())))?)
}

/// `--repeat N` when runs are asked for, else nothing (each exercise's own).
pub(crate) fn repeat_args(repeat: Option<u32>) -> Vec<String> {
    repeat.map_or_else(Vec::new, |runs| {
        vec!["--repeat".to_owned(), runs.to_string()]
    })
}
