//! Tidy tests: the project's conventions, checked by `cargo test` like any behaviour.
//!
//! Every source file opens with a `//!` line; every exercise crate is a known
//! exercise, registered in run-all and documented, and its doc page names every rule
//! its checker enforces; the README gives the two commands and `.ci/run` runs the
//! test command.

use std::fs;
use std::path::{Path, PathBuf};

use test_kit::Exercise;

use crate::workspace_root;
use test_kit::runs::RUNS;

/// Every `.rs` file below `dir`, skipping build output.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() && path.file_name().is_some_and(|name| name != "target") {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                found.push(path);
            }
        }
    }
    found
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The exercise crates: the folders under `crates/` named `exNN-…`.
fn exercise_crates() -> Vec<String> {
    let crates = workspace_root().join("crates");
    let mut names: Vec<String> = fs::read_dir(&crates)
        .expect("crates/")
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.starts_with("ex"))
        .collect();
    names.sort();
    names
}

#[test]
fn every_source_file_opens_with_a_module_doc() {
    let root = workspace_root();
    for dir in ["crates", "xtask", "tests"] {
        for file in rust_files(&root.join(dir)) {
            let text = read(&file);
            let first = text
                .lines()
                .find(|line| !line.trim().is_empty())
                .unwrap_or("");
            assert!(
                first.starts_with("//!"),
                "{} does not open with a `//!` line",
                file.display()
            );
        }
    }
}

#[test]
fn every_exercise_crate_is_known_registered_and_documented() {
    let crates = exercise_crates();
    assert!(!crates.is_empty(), "no exercise crates found");
    for name in crates {
        let exercise: Exercise = name
            .parse()
            .unwrap_or_else(|_| panic!("crates/{name} is not an exercise package name"));
        assert_eq!(exercise.package(), name, "crates/{name}");
        assert!(exercise.has_checker(), "{name} has no checker in test-kit");
        assert!(
            RUNS.iter().any(|run| run.exercise == exercise),
            "{name} is not registered in run-all"
        );

        let page = workspace_root().join(format!("docs/exercises/{name}.md"));
        let text = read(&page);
        for rule in exercise.rules() {
            assert!(
                text.contains(&format!("`{rule}`")),
                "{} does not list the rule `{rule}`",
                page.display()
            );
        }
    }
}

#[test]
fn every_registered_run_has_a_valid_checker() {
    for run in RUNS {
        for (mode, invocation) in [("fast", &run.fast), ("full", &run.full)] {
            if let Err(e) = run.exercise.checker(&invocation.expectations()) {
                panic!("run-all's `{}` ({mode}): {e}", run.label);
            }
        }
    }
}

#[test]
fn the_readme_gives_the_two_commands_and_ci_runs_the_tests() {
    let root = workspace_root();
    let readme = read(&root.join("README.md"));
    for command in ["cargo xtask run-all", "cargo xtask ci"] {
        assert!(
            readme.contains(command),
            "README.md does not give `{command}`"
        );
    }
    assert!(
        read(&root.join(".ci/run")).contains("cargo xtask ci"),
        ".ci/run does not run `cargo xtask ci`"
    );
}
