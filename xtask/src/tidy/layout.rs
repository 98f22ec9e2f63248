//! Tidy tests of the house's layout: what each crate may depend on, that every
//! crate says what it is for, and that a rule is defined in one place.

use std::collections::BTreeMap;
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

/// The rule ids `sources` define (`id: "…"` inside a `Rule`) more than once, with
/// where each definition is.
fn rules_defined_twice(sources: &[(String, String)]) -> Vec<String> {
    let mut defined: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (file, text) in sources {
        for (n, line) in code_lines(text) {
            let Some(rest) = line.trim_start().strip_prefix("id: \"") else {
                continue;
            };
            if let Some((id, _)) = rest.split_once('"') {
                defined.entry(id).or_default().push(format!("{file}:{n}"));
            }
        }
    }
    defined
        .into_iter()
        .filter(|(_, places)| places.len() > 1)
        .map(|(id, places)| format!("{id}: {}", places.join(", ")))
        .collect()
}

#[test]
fn every_rule_is_defined_once() {
    let root = workspace_root().join("crates/contracts/src");
    let sources: Vec<(String, String)> = rust_files(&root)
        .into_iter()
        .map(|file| (file.display().to_string(), read(&file)))
        .collect();
    let twice = rules_defined_twice(&sources);
    assert!(
        twice.is_empty(),
        "rules defined more than once (share one from crates/contracts/src/rules.rs):\n{}",
        twice.join("\n")
    );
    // The rule bites: the same id in two files is caught, two ids are not.
    let rule = |id: &str| format!("const R: Rule = Rule {{\n    id: \"{id}\",\n}};\n");
    let planted = [
        ("a.rs".to_owned(), rule("section-missing")),
        ("b.rs".to_owned(), rule("section-missing") + &rule("other")),
    ];
    assert_eq!(rules_defined_twice(&planted).len(), 1);
}
