//! `cargo xtask mutants [--file PATH…]`: mutation testing with cargo-mutants, to
//! find behaviour the tests would let break unnoticed.
//!
//! Each mutant changes one operator or function body; the file's package is then
//! built and tested. A mutant the tests catch is killed; one they let pass
//! *survives*. Survivors that change nothing observable are listed, each with its
//! reason, in [`EQUIVALENT`], and the command reports only the others. It is slow
//! (minutes per file), so CI does not run it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Context;

use crate::{UsageError, workspace_root};

/// The survivors known to be equivalent: `FILE: DESCRIPTION  # reason`, with no
/// line numbers, so that edits elsewhere in the file keep them matched.
pub(crate) const EQUIVALENT: &str = "mutants-equivalent.txt";

/// The files mutated when none is named: the primitives, the checkers and the
/// process pool.
const DEFAULT_FILES: &[&str] = &[
    "crates/sync-kit/src/barrier.rs",
    "crates/sync-kit/src/condition.rs",
    "crates/sync-kit/src/event.rs",
    "crates/sync-kit/src/locked_list.rs",
    "crates/sync-kit/src/queue.rs",
    "crates/sync-kit/src/rlock.rs",
    "crates/sync-kit/src/semaphore.rs",
    "crates/sync-kit/src/process/pool.rs",
    "crates/sync-kit/src/process/state.rs",
    "crates/sync-kit/src/process/slot.rs",
    "crates/test-kit/src/ex01.rs",
    "crates/test-kit/src/ex03/read.rs",
    "crates/test-kit/src/ex04/read.rs",
    "crates/test-kit/src/ex04/replay.rs",
    "crates/test-kit/src/ex07/mod.rs",
    "crates/test-kit/src/ex08/mod.rs",
];

/// How long one mutant's tests may run before it counts as a hang.
const TIMEOUT_SECONDS: u32 = 60;

/// Mutates `files` (the defaults when empty), one package at a time; `Ok(false)`
/// when a survivor is not listed as equivalent.
pub(crate) fn mutants(files: &[PathBuf]) -> anyhow::Result<bool> {
    let root = workspace_root();
    ensure_installed()?;
    let files: Vec<PathBuf> = match files.is_empty() {
        true => DEFAULT_FILES.iter().map(PathBuf::from).collect(),
        false => files.to_vec(),
    };
    let mut by_package: Vec<(String, Vec<&PathBuf>)> = Vec::new();
    for file in &files {
        let package = package_of(&root, file)?;
        match by_package.iter_mut().find(|(p, _)| *p == package) {
            Some((_, files)) => files.push(file),
            None => by_package.push((package, vec![file])),
        }
    }
    let equivalent = read_equivalent(&root)?;
    let mut survivors = Vec::new();
    for (package, files) in &by_package {
        let output = root.join("target/mutants").join(package);
        std::fs::create_dir_all(&output)
            .with_context(|| format!("creating {}", output.display()))?;
        let mut command = Command::new("cargo");
        command
            .current_dir(&root)
            .args(["mutants", "--package", package, "--timeout"])
            .arg(TIMEOUT_SECONDS.to_string())
            .arg("--output")
            .arg(&output);
        for file in files {
            command.arg("--file").arg(file);
        }
        // cargo-mutants exits non-zero when any mutant survives; the lists decide.
        let status = command.status().context("running cargo mutants")?;
        let found = read_lines(&output.join("mutants.out/missed.txt"))?
            .into_iter()
            .chain(read_lines(&output.join("mutants.out/timeout.txt"))?);
        let mut any = false;
        for line in found {
            any = true;
            if !equivalent.contains(&without_position(&line)) {
                survivors.push(line);
            }
        }
        if !status.success() && !any {
            anyhow::bail!(
                "cargo mutants failed on {package} ({status}) without a list of survivors"
            );
        }
    }
    match survivors.is_empty() {
        true => println!("no survivor that is not listed in {EQUIVALENT}"),
        false => {
            println!(
                "{} survivor(s) not listed in {EQUIVALENT}:",
                survivors.len()
            );
            for survivor in &survivors {
                println!("  {survivor}");
            }
        }
    }
    Ok(survivors.is_empty())
}

/// Installs cargo-mutants when `cargo mutants` is not there.
fn ensure_installed() -> anyhow::Result<()> {
    let present = Command::new("cargo")
        .args(["mutants", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if present {
        return Ok(());
    }
    eprintln!("installing cargo-mutants (once)…");
    let status = Command::new("cargo")
        .args(["install", "cargo-mutants", "--locked"])
        .status()
        .context("running cargo install")?;
    anyhow::ensure!(
        status.success(),
        "cargo install cargo-mutants failed: {status}"
    );
    Ok(())
}

/// The package a source file belongs to: `crates/<package>/…`.
fn package_of(root: &Path, file: &Path) -> anyhow::Result<String> {
    let relative = file.strip_prefix(root).unwrap_or(file);
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy());
    match (parts.next().as_deref(), parts.next()) {
        (Some("crates"), Some(package)) if root.join(relative).is_file() => {
            Ok(package.into_owned())
        }
        _ => Err(UsageError(format!(
            "{} is not a source file of a crate under crates/",
            file.display()
        ))
        .into()),
    }
}

/// The known-equivalent survivors, as `FILE: DESCRIPTION`.
fn read_equivalent(root: &Path) -> anyhow::Result<BTreeSet<String>> {
    Ok(read_lines(&root.join(EQUIVALENT))?
        .into_iter()
        .filter(|line| !line.trim_start().starts_with('#'))
        .map(|line| {
            line.split_once("  #")
                .map_or(line.as_str(), |(entry, _)| entry)
                .trim()
                .to_owned()
        })
        .filter(|line| !line.is_empty())
        .collect())
}

/// The non-empty lines of `path`, or none when it is not there.
fn read_lines(path: &Path) -> anyhow::Result<Vec<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// `crates/x.rs:92:9: replace …` without its line and column: `crates/x.rs: replace …`.
fn without_position(line: &str) -> String {
    let mut parts = line.splitn(4, ':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(file), Some(row), Some(column), Some(rest))
            if row.bytes().all(|b| b.is_ascii_digit())
                && column.bytes().all(|b| b.is_ascii_digit()) =>
        {
            format!("{file}:{rest}")
        }
        _ => line.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_survivor_is_matched_without_its_position() {
        assert_eq!(
            without_position("crates/sync-kit/src/condition.rs:92:9: replace fmt with Ok(())"),
            "crates/sync-kit/src/condition.rs: replace fmt with Ok(())"
        );
        assert_eq!(without_position("no position here"), "no position here");
    }

    #[test]
    fn files_outside_the_crates_are_refused() {
        let root = workspace_root();
        assert_eq!(
            package_of(&root, Path::new("crates/sync-kit/src/queue.rs")).unwrap(),
            "sync-kit"
        );
        assert!(package_of(&root, Path::new("xtask/src/main.rs")).is_err());
        assert!(package_of(&root, Path::new("crates/sync-kit/src/nope.rs")).is_err());
    }
}
