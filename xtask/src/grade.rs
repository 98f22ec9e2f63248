//! `cargo xtask grade …`: the grader (`crates/grader`), run from the kit with the
//! arguments as given.
//!
//! The grader is its own crate so that teachers can install it (`cargo install
//! --path crates/grader`); from the kit it is built and run with `cargo run`, and
//! a workspace's builds go to the kit's `target/grade/` (through
//! `CONCURRENCY_GRADER_BUILD_DIR`) unless `--build-dir` says.

use std::ffi::OsString;
use std::process::{Command, ExitCode};

use runner::cargo::cargo_program;

use crate::workspace_root;

/// Runs the grader with `args`; its exit code is ours.
pub(crate) fn delegate(args: &[OsString]) -> ExitCode {
    let root = workspace_root();
    let mut cargo = Command::new(cargo_program());
    cargo
        .args(["run", "--quiet", "--package", "grader"])
        .arg("--manifest-path")
        .arg(root.join("Cargo.toml"))
        .arg("--");
    // Unless `--build-dir` says otherwise, a workspace's builds go to the kit's own
    // target folder, as the rest of the kit's builds do.
    cargo.env("CONCURRENCY_GRADER_BUILD_DIR", root.join("target/grade"));
    cargo.args(args);
    match cargo.status() {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::FAILURE,
        },
        Err(error) => {
            eprintln!("error: could not run cargo to start the grader: {error}");
            ExitCode::FAILURE
        }
    }
}
