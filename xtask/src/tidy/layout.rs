//! Tidy tests of the house's layout: what each crate may depend on, and that every
//! crate says what it is for.

use std::fs;
use std::path::Path;

use super::{code_lines, read, rust_files};
use crate::workspace_root;

/// Breaches of "the contracts run nothing": a dependency that runs or calls the
/// kernel in the manifest, or a use of the runner beyond its `outcome` data.
fn contracts_breaches(manifest: &str, sources: &[(String, String)]) -> Vec<String> {
    let mut breaches: Vec<String> = manifest
        .lines()
        .filter(|line| {
            ["libc", "rustix", "nix"]
                .iter()
                .any(|dep| line.starts_with(dep))
        })
        .map(|line| format!("Cargo.toml: {line}"))
        .collect();
    for (file, text) in sources {
        for (n, line) in code_lines(text) {
            let mut rest = line;
            while let Some(at) = rest.find("runner::") {
                let after = &rest[at + "runner::".len()..];
                if !after.starts_with("outcome::") {
                    breaches.push(format!("{file}:{n}: {}", line.trim()));
                    break;
                }
                rest = after;
            }
        }
    }
    breaches
}

#[test]
fn the_contracts_run_nothing() {
    let root = workspace_root().join("crates/contracts");
    let manifest = read(&root.join("Cargo.toml"));
    let mut sources = Vec::new();
    for dir in ["src", "tests"] {
        for file in rust_files(&root.join(dir)) {
            sources.push((file.display().to_string(), read(&file)));
        }
    }
    let breaches = contracts_breaches(&manifest, &sources);
    assert!(
        breaches.is_empty(),
        "the contracts crate must run nothing (no libc or rustix; of the runner, only `runner::outcome`):\n{}",
        breaches.join("\n")
    );
    // The rule bites: a kernel dependency and a run are caught; the data is not.
    let planted = [(
        "x.rs".to_owned(),
        "use runner::outcome::Outcome;\nlet o = runner::run(c, &l);\n".to_owned(),
    )];
    assert_eq!(
        contracts_breaches("libc.workspace = true\n", &planted).len(),
        2
    );
}

#[test]
fn every_crate_has_a_readme() {
    let root = workspace_root();
    let mut members: Vec<_> = fs::read_dir(root.join("crates"))
        .expect("crates/")
        .map(|entry| entry.expect("directory entry").path())
        .collect();
    members.extend([root.join("xtask"), root.join("tests")]);
    let missing: Vec<String> = members
        .iter()
        .filter(|dir| dir.join("Cargo.toml").exists() && !readme_says_something(dir))
        .map(|dir| dir.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "crates without a README.md that says what they are for:\n{}",
        missing.join("\n")
    );
}

/// Whether `dir` has a README with a title and at least one line beneath it.
fn readme_says_something(dir: &Path) -> bool {
    fs::read_to_string(dir.join("README.md")).is_ok_and(|text| {
        let mut lines = text.lines().filter(|line| !line.trim().is_empty());
        lines.next().is_some_and(|title| title.starts_with("# ")) && lines.next().is_some()
    })
}
