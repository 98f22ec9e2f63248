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
/// process pool. A folder stands for the `.rs` files in it.
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
    "crates/contracts/src/ex01",
    "crates/contracts/src/ex02.rs",
    "crates/contracts/src/ex03",
    "crates/contracts/src/ex04",
    "crates/contracts/src/ex05",
    "crates/contracts/src/ex06",
    "crates/contracts/src/ex07",
    "crates/contracts/src/ex08",
    "crates/contracts/src/sections.rs",
];

/// How long one mutant's tests may run before it counts as a hang.
const TIMEOUT_SECONDS: u32 = 60;

/// How long one mutant may take to build when cargo-mutants has no baseline
/// build to scale from (the process group runs its baseline itself).
const BUILD_TIMEOUT_SECONDS: u32 = 900;

/// The process side's tests live in the workspace's `tests` crate (they drive
/// other processes); these are the ones a mutant of `sync-kit/src/process/` runs.
const PROCESS_TESTS: &[&str] = &["process", "pool_life", "pool_faults"];

/// Mutates `files` (the defaults when empty), one package at a time, and prints
/// each file's score; `Ok(false)` when a survivor is not listed as equivalent.
///
/// A mutant of a thread primitive that the ordinary tests miss is tried again
/// against the loom models (a second cargo-mutants pass, with `--cfg loom`, over
/// those survivors only): it survives only if both miss it.
pub(crate) fn mutants(files: &[PathBuf], jobs: u32) -> anyhow::Result<bool> {
    let root = workspace_root();
    ensure_installed()?;
    let named: Vec<PathBuf> = match files.is_empty() {
        true => DEFAULT_FILES.iter().map(PathBuf::from).collect(),
        false => files.to_vec(),
    };
    let files = expand_folders(&root, &named)?;
    let mut groups: Vec<(Group, Vec<&PathBuf>)> = Vec::new();
    for file in &files {
        let group = Group::of(&root, &package_of(&root, file)?, file);
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, files)) => files.push(file),
            None => groups.push((group, vec![file])),
        }
    }
    let equivalent = read_equivalent(&root)?;
    let mut scores = Vec::new();
    let mut survivors = Vec::new();
    for (group, files) in &groups {
        let output = root.join("target/mutants").join(group.name());
        let first = run_pass(&root, group, files, &output, jobs, None)?;
        let mut missed = first.missed.clone();
        if group.loom && !missed.is_empty() {
            let loom = output.join("loom");
            let second = run_pass(&root, group, files, &loom, jobs, Some(&missed))?;
            missed.retain(|m| second.missed.contains(m));
        }
        for file in files {
            scores.push(first.score(file, &missed));
        }
        survivors.extend(
            missed
                .into_iter()
                .filter(|m| !equivalent.contains(&without_position(m))),
        );
    }
    println!(
        "{:<48} {:>7} {:>7} {:>7} {:>7}",
        "file", "mutants", "caught", "hangs", "missed"
    );
    for (file, score) in &scores {
        println!(
            "{file:<48} {:>7} {:>7} {:>7} {:>7}",
            score.viable, score.caught, score.hangs, score.missed
        );
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

/// Files mutated in one cargo-mutants run: a package, and which tests judge it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Group {
    package: String,
    /// A checker of this exercise (`ex06`): judged by the contracts crate's unit tests, its
    /// fixtures and properties, and the corpus, not by every exercise's.
    checker: Option<String>,
    /// The process side: judged by the `tests` crate's process tests.
    pool: bool,
    /// A thread primitive: its survivors are tried against the loom models too.
    loom: bool,
}

impl Group {
    fn of(root: &Path, package: &str, file: &Path) -> Self {
        let path = file.to_string_lossy();
        // A primitive is modelled when sync-kit has `tests/loom_<its name>.rs`.
        let modelled = file.file_stem().is_some_and(|stem| {
            root.join("crates/sync-kit/tests")
                .join(format!("loom_{}.rs", stem.to_string_lossy()))
                .is_file()
        });
        let checker = path
            .strip_prefix("crates/contracts/src/")
            .and_then(|rest| rest.get(..4))
            .filter(|id| id.starts_with("ex") && id[2..].bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_owned);
        Self {
            package: package.to_owned(),
            checker,
            pool: path.contains("sync-kit/src/process/"),
            loom: package == "sync-kit" && modelled,
        }
    }

    fn name(&self) -> String {
        match (&self.checker, self.pool) {
            (Some(id), _) => format!("{}-{id}", self.package),
            (None, true) => format!("{}-pool", self.package),
            (None, false) => self.package.clone(),
        }
    }
}

/// What one pass found, as cargo-mutants' lists.
struct Pass {
    caught: Vec<String>,
    missed: Vec<String>,
    hangs: Vec<String>,
}

/// One file's score.
struct Score {
    viable: usize,
    caught: usize,
    hangs: usize,
    missed: usize,
}

impl Pass {
    /// `file`'s score, counting as missed only what is in `missed` (the
    /// survivors of every pass).
    fn score(&self, file: &Path, missed: &[String]) -> (String, Score) {
        let name = file.to_string_lossy().into_owned();
        let prefix = format!("{name}:");
        let count = |list: &[String]| list.iter().filter(|m| m.starts_with(&prefix)).count();
        let missed_here = count(missed);
        let hangs = count(&self.hangs);
        let caught = count(&self.caught) + count(&self.missed) - missed_here + hangs;
        let score = Score {
            viable: caught + missed_here,
            caught,
            hangs,
            missed: missed_here,
        };
        (name, score)
    }
}

/// Runs cargo-mutants over `files` for `group`, writing to `output`; with `only`,
/// over those mutants alone, judged by the loom models.
fn run_pass(
    root: &Path,
    group: &Group,
    files: &[&PathBuf],
    output: &Path,
    jobs: u32,
    only: Option<&[String]>,
) -> anyhow::Result<Pass> {
    std::fs::create_dir_all(output).with_context(|| format!("creating {}", output.display()))?;
    let mut command = Command::new("cargo");
    command
        .current_dir(root)
        .args(["mutants", "--package", &group.package, "--timeout"])
        .arg(TIMEOUT_SECONDS.to_string())
        .args(["--jobs", &jobs.to_string()])
        .arg("--output")
        .arg(output);
    for file in files {
        command.arg("--file").arg(file);
    }
    if let Some(id) = &group.checker {
        command.args([
            "--cargo-test-arg=--lib",
            &format!("--cargo-test-arg=--test={id}_*"),
            "--cargo-test-arg=--test=corpus",
        ]);
    }
    if group.pool {
        // cargo-mutants runs its baseline with the mutated package's tests alone,
        // which these filters name none of: the xtask runs the baseline itself.
        process_baseline(root)?;
        command.args(["--test-package", "tests-integration", "--baseline", "skip"]);
        command
            .arg("--build-timeout")
            .arg(BUILD_TIMEOUT_SECONDS.to_string());
        for test in PROCESS_TESTS {
            command.arg(format!("--cargo-test-arg=--test={test}"));
        }
    }
    if let Some(only) = only {
        for mutant in only {
            command
                .arg("--re")
                .arg(format!("^{}$", regex_escape(mutant)));
        }
        command
            .arg("--cargo-test-arg=--test=loom_*")
            .env("RUSTFLAGS", "--cfg loom -C debug-assertions")
            // The models explore thousands of interleavings: optimised, they take
            // seconds instead of minutes.
            .env("CARGO_PROFILE_TEST_OPT_LEVEL", "3")
            .env("CARGO_PROFILE_DEV_OPT_LEVEL", "3");
    }
    // cargo-mutants exits non-zero when any mutant survives; the lists decide.
    let status = command.status().context("running cargo mutants")?;
    let list = |name: &str| read_lines(&output.join("mutants.out").join(name));
    let pass = Pass {
        caught: list("caught.txt")?,
        missed: list("missed.txt")?,
        hangs: list("timeout.txt")?,
    };
    if !status.success() && pass.missed.is_empty() && pass.hangs.is_empty() {
        anyhow::bail!(
            "cargo mutants failed on {} ({status}) without a list of survivors",
            group.name()
        );
    }
    Ok(pass)
}

/// Runs the process tests on the unmutated tree: a mutant is only judged by tests
/// that pass without it.
fn process_baseline(root: &Path) -> anyhow::Result<()> {
    let mut command = Command::new("cargo");
    command
        .current_dir(root)
        .args(["test", "--package", "tests-integration"]);
    for test in PROCESS_TESTS {
        command.arg(format!("--test={test}"));
    }
    let status = command.status().context("running the process tests")?;
    anyhow::ensure!(
        status.success(),
        "the process tests fail on the unmutated tree ({status}): fix them first"
    );
    Ok(())
}

/// `text` with the characters a regular expression gives meaning escaped.
fn regex_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
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

/// `paths` with each folder replaced by the `.rs` files in it, in name order.
fn expand_folders(root: &Path, paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        let full = root.join(path);
        if !full.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut inside: Vec<PathBuf> = std::fs::read_dir(&full)
            .with_context(|| format!("reading {}", full.display()))?
            .filter_map(|entry| Some(entry.ok()?.file_name()))
            .filter(|name| name.to_string_lossy().ends_with(".rs"))
            .map(|name| path.join(name))
            .collect();
        inside.sort();
        files.extend(inside);
    }
    Ok(files)
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
    fn a_checker_is_judged_by_its_exercise_tests() {
        let root = workspace_root();
        let group = |file: &str| Group::of(&root, "contracts", Path::new(file));
        assert_eq!(
            group("crates/contracts/src/ex06/retry.rs").name(),
            "contracts-ex06"
        );
        assert_eq!(
            group("crates/contracts/src/ex01.rs").name(),
            "contracts-ex01"
        );
        assert_eq!(
            group("crates/contracts/src/sections.rs").name(),
            "contracts"
        );
        let pool = Group::of(
            &root,
            "sync-kit",
            Path::new("crates/sync-kit/src/process/pool.rs"),
        );
        assert_eq!(pool.name(), "sync-kit-pool");
        assert!(!pool.loom);
        assert!(Group::of(&root, "sync-kit", Path::new("crates/sync-kit/src/queue.rs")).loom);
    }

    #[test]
    fn a_folder_stands_for_its_rust_files() {
        let root = workspace_root();
        let files = expand_folders(
            &root,
            &[
                PathBuf::from("crates/contracts/src/ex06"),
                PathBuf::from("crates/sync-kit/src/event.rs"),
            ],
        )
        .unwrap();
        assert!(files.contains(&PathBuf::from("crates/contracts/src/ex06/mod.rs")));
        assert!(files.contains(&PathBuf::from("crates/sync-kit/src/event.rs")));
        assert!(
            files
                .iter()
                .all(|f| f.extension().is_some_and(|e| e == "rs"))
        );
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
