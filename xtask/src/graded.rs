//! Grading from xtask's measuring verbs (`races`, `answers`): the grader built in
//! release, Python's own interpreter, and one grade's JSON report.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;
use runner::cargo::cargo_program;

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
