//! Building the workspace's binaries with cargo and finding where they landed.
//!
//! Cargo only hands an integration test the binaries of its own package, and the
//! target directory can be moved (`CARGO_TARGET_DIR`, `build.target-dir`), so guessing
//! `target/release/NAME` is wrong in general. [`build_binaries`] asks cargo instead:
//! it builds the packages and reads the executables' paths from cargo's JSON messages.
//!
//! [`loom_command`] is the one right way to run a workspace's loom models: `cargo
//! xtask loom` runs this workspace's with it, and the grader a student's.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Which cargo profile to build with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// `dev`: quick to build, what `cargo test` uses.
    Debug,
    /// `release`: what run-all and benchmarks use.
    Release,
}

/// Why the binaries could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Cargo could not be started.
    #[error("could not run cargo: {0}")]
    Spawn(#[from] io::Error),
    /// Cargo ran and failed; it has already printed why.
    #[error("cargo build failed ({0}); its messages are above")]
    Failed(std::process::ExitStatus),
    /// The build succeeded but did not produce a binary that was asked for.
    #[error("cargo built no binary named `{0}`")]
    Missing(String),
}

/// The cargo that is running us (cargo sets `CARGO` for build scripts, tests and
/// `cargo run`), or `cargo` from the `PATH`: every step then uses one toolchain.
pub fn cargo_program() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"))
}

/// The `cargo build` command for the binaries of `packages` in the workspace at
/// `workspace_root`, with cargo's messages as JSON on stdout (read them with
/// [`executables`]) and its diagnostics rendered on stderr.
pub fn build_command(workspace_root: &Path, packages: &[&str], profile: Profile) -> Command {
    let mut cargo = Command::new(cargo_program());
    cargo
        .arg("build")
        .arg("--quiet")
        .arg("--message-format=json-render-diagnostics")
        .arg("--manifest-path")
        .arg(workspace_root.join("Cargo.toml"))
        .arg("--bins");
    if profile == Profile::Release {
        cargo.arg("--release");
    }
    for package in packages {
        cargo.args(["--package", package]);
    }
    cargo
}

/// Why the loom models were not run.
#[derive(Debug, thiserror::Error)]
#[error("{0} is set: it would end the exploration early and report a pass; unset it")]
pub struct LoomCutoff(&'static str);

/// The `cargo test` of the loom models (sync-kit's `tests/loom_*.rs`) of the
/// workspace at `root`, built in `target_dir`.
///
/// loom replaces std's primitives only under `--cfg loom`, and only these models may
/// be built that way, in a target directory of their own, so that the ordinary build
/// is never rebuilt with the flag. The preemption bound comes from
/// `LOOM_MAX_PREEMPTIONS` (the models default it to 3). Every model file runs, even
/// after one fails (`--no-fail-fast`). Refused when `LOOM_MAX_DURATION` or
/// `LOOM_MAX_PERMUTATIONS` is set, because they turn an unfinished exploration into a
/// silent pass.
pub fn loom_command(root: &Path, target_dir: &Path) -> Result<Command, LoomCutoff> {
    for cutoff in ["LOOM_MAX_DURATION", "LOOM_MAX_PERMUTATIONS"] {
        if std::env::var_os(cutoff).is_some() {
            return Err(LoomCutoff(cutoff));
        }
    }
    let mut cargo = Command::new(cargo_program());
    // `--nocapture` shows each model's interleaving count and each control's caught
    // panic; one thread keeps those lines in test order.
    cargo
        .current_dir(root)
        .args(["test", "-p", "sync-kit", "--release", "--no-fail-fast"])
        .args(["--test", "loom_*"])
        .args(["--", "--nocapture", "--test-threads", "1"])
        .env("RUSTFLAGS", "--cfg loom -C debug-assertions -D warnings")
        .env("CARGO_TARGET_DIR", target_dir)
        // A caught control's panic message is the evidence; its backtrace is noise.
        .env("RUST_BACKTRACE", "0");
    Ok(cargo)
}

/// Each binary's path by name, read from the JSON messages of a [`build_command`].
pub fn executables(messages: &str) -> BTreeMap<String, PathBuf> {
    messages.lines().filter_map(executable_in).collect()
}

/// Builds the binaries of `packages` in the workspace at `workspace_root` and returns
/// each binary's path by name; each package must have a binary of its own name.
/// Cargo's own diagnostics go to stderr as usual.
pub fn build_binaries(
    workspace_root: &Path,
    packages: &[&str],
    profile: Profile,
) -> Result<BTreeMap<String, PathBuf>, BuildError> {
    let binaries = build_all_binaries(workspace_root, packages, profile)?;
    match packages.iter().find(|p| !binaries.contains_key(**p)) {
        Some(missing) => Err(BuildError::Missing((*missing).to_owned())),
        None => Ok(binaries),
    }
}

/// Builds every binary of `packages`, whatever their names, and returns each
/// binary's path by name.
pub fn build_all_binaries(
    workspace_root: &Path,
    packages: &[&str],
    profile: Profile,
) -> Result<BTreeMap<String, PathBuf>, BuildError> {
    let mut cargo = build_command(workspace_root, packages, profile);
    cargo.stdout(Stdio::piped()).stderr(Stdio::inherit());
    let mut child = cargo.spawn()?;
    let messages = child
        .stdout
        .take()
        .ok_or_else(|| io::Error::other("cargo's stdout was not captured"))?;
    let mut binaries = BTreeMap::new();
    for line in BufReader::new(messages).lines() {
        if let Some((name, path)) = executable_in(&line?) {
            binaries.insert(name, path);
        }
    }
    let status = child.wait()?;
    if !status.success() {
        return Err(BuildError::Failed(status));
    }
    Ok(binaries)
}

/// Reads a binary's name and path from one of cargo's `compiler-artifact` messages.
fn executable_in(message: &str) -> Option<(String, PathBuf)> {
    let message: serde_json::Value = serde_json::from_str(message).ok()?;
    if message["reason"] != "compiler-artifact" {
        return None;
    }
    let target = &message["target"];
    if !target["kind"].as_array()?.iter().any(|kind| kind == "bin") {
        return None;
    }
    let name = target["name"].as_str()?.to_owned();
    Some((name, PathBuf::from(message["executable"].as_str()?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_binary_artifact() {
        let message = r#"{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"ex04-locked-list"},"executable":"/t/release/ex04-locked-list"}"#;
        assert_eq!(
            executable_in(message),
            Some((
                "ex04-locked-list".to_owned(),
                PathBuf::from("/t/release/ex04-locked-list")
            ))
        );
    }

    #[test]
    fn ignores_libraries_and_other_messages() {
        let lib = r#"{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"sync_kit"},"executable":null}"#;
        let done = r#"{"reason":"build-finished","success":true}"#;
        assert_eq!(executable_in(lib), None);
        assert_eq!(executable_in(done), None);
        assert_eq!(executable_in("not json"), None);
    }
}
