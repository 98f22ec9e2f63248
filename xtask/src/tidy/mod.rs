//! Tidy tests: the project's conventions, checked by `cargo test` like any behaviour.
//!
//! Every source file opens with a `//!` line; every exercise crate is a known
//! exercise, registered in run-all and documented, and its doc page names every rule
//! its checker enforces; the README gives the two commands and `.ci/run` runs the
//! test command.

use std::fs;
use std::path::{Path, PathBuf};

mod layout;

use contracts::{Exercise, Expectations};

use crate::workspace_root;
use contracts::runs::RUNS;

/// Every file below `dir` that `wanted` keeps, in the folders `enter` lets the
/// walk into (build output and hidden folders never).
fn files_below(
    dir: &Path,
    enter: impl Fn(&str) -> bool,
    wanted: impl Fn(&Path) -> bool,
) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("directory entry").path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let name = name.unwrap_or_default();
            if path.is_dir() {
                if name != "target" && enter(&name) {
                    pending.push(path);
                }
            } else if wanted(&path) {
                found.push(path);
            }
        }
    }
    found
}

/// Every `.rs` file below `dir`, skipping build output.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    files_below(
        dir,
        |_| true,
        |path| path.extension().is_some_and(|ext| ext == "rs"),
    )
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
        assert!(
            RUNS.iter().any(|run| run.exercise == exercise),
            "{name} is not registered in run-all"
        );

        let page = workspace_root().join(format!("docs/exercises/{name}.md"));
        let text = read(&page);
        for rule in exercise.rules().iter().chain(&exercise.concurrency_rules()) {
            assert!(
                text.contains(&format!("`{rule}`")),
                "{} does not list the rule `{rule}`",
                page.display()
            );
            assert!(
                text.contains(rule.hint),
                "{} does not give the hint of `{rule}`: {}",
                page.display(),
                rule.hint
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

/// The lines of `text` that are code: not blank, not comments (doc comments and
/// their examples included).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let trimmed = line.trim_start();
        (!trimmed.is_empty() && !trimmed.starts_with("//")).then_some((i + 1, line))
    })
}

/// Breaches of "sync-kit takes its threading types from its facade": a
/// `std::sync` path in code outside `src/sync.rs`.
fn std_sync_outside_facade(file: &Path, text: &str) -> Vec<String> {
    if file.ends_with("src/sync.rs") {
        return Vec::new();
    }
    code_lines(text)
        .filter(|(_, line)| line.contains("std::sync"))
        .map(|(n, line)| format!("{}:{n}: {}", file.display(), line.trim()))
        .collect()
}

#[test]
fn sync_kit_takes_std_sync_only_through_its_facade() {
    let mut breaches = Vec::new();
    for file in rust_files(&workspace_root().join("crates/sync-kit/src")) {
        breaches.extend(std_sync_outside_facade(&file, &read(&file)));
    }
    assert!(
        breaches.is_empty(),
        "std::sync outside src/sync.rs (use crate::sync):\n{}",
        breaches.join("\n")
    );
    // The rule bites: a direct import is caught, a doc example is not.
    let planted = "/// use std::sync::Arc;\nuse std::sync::Mutex;\n";
    assert_eq!(
        std_sync_outside_facade(Path::new("src/x.rs"), planted).len(),
        1
    );
}

/// Breaches of "every `unsafe` has a `// SAFETY:` comment right above it": an
/// `unsafe` block, fn or impl whose comment lines above hold no `// SAFETY:`
/// (or, for an `unsafe fn`, no `/// # Safety` section in its doc).
fn unsafe_without_safety(file: &Path, text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut breaches = Vec::new();
    for (n, line) in code_lines(text) {
        if !has_unsafe_keyword(line) {
            continue;
        }
        // An `unsafe fn` states its contract for callers in a `# Safety` section
        // of its doc; every other `unsafe` says why it is sound right above it.
        let declares_fn = line.contains("unsafe fn ");
        let justified = lines[..n - 1]
            .iter()
            .rev()
            .map(|above| above.trim_start())
            .take_while(|above| above.starts_with("//") || above.starts_with("#["))
            .any(|above| {
                above.starts_with("// SAFETY:") || (declares_fn && above == "/// # Safety")
            });
        if !justified {
            breaches.push(format!("{}:{n}: {}", file.display(), line.trim()));
        }
    }
    breaches
}

/// Whether `line`'s code (outside string literals and a trailing comment) opens an
/// `unsafe` block, fn, impl or extern block.
fn has_unsafe_keyword(line: &str) -> bool {
    let mut code = String::new();
    let mut in_string = false;
    let mut previous = ' ';
    for c in line.chars() {
        match (in_string, c) {
            (false, '"') => in_string = true,
            (true, '"') if previous != '\\' => in_string = false,
            (false, '/') if previous == '/' => {
                code.pop();
                break;
            }
            (false, c) => code.push(c),
            (true, _) => {}
        }
        previous = c;
    }
    code.match_indices("unsafe").any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + "unsafe".len()..].trim_start();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && ["{", "fn ", "impl", "extern"]
                .iter()
                .any(|form| after.starts_with(form))
    })
}

#[test]
fn every_unsafe_has_a_safety_comment() {
    let root = workspace_root();
    let mut breaches = Vec::new();
    for dir in ["crates", "xtask", "tests"] {
        for file in rust_files(&root.join(dir)) {
            breaches.extend(unsafe_without_safety(&file, &read(&file)));
        }
    }
    assert!(
        breaches.is_empty(),
        "unsafe without a `// SAFETY:` comment right above:\n{}",
        breaches.join("\n")
    );
    let planted =
        "// SAFETY: fine.\nunsafe { a() };\nlet b = 1;\nunsafe { c() };\nif is_unsafe {}\n";
    assert_eq!(unsafe_without_safety(Path::new("x.rs"), planted).len(), 1);
    // An `unsafe fn` may state its contract in `# Safety`; a block may not.
    let documented =
        "/// Does it.\n///\n/// # Safety\n///\n/// `p` is valid.\nunsafe fn f(p: *const u8) {}\n";
    assert!(unsafe_without_safety(Path::new("x.rs"), documented).is_empty());
    let block = "/// # Safety\nunsafe { a() };\n";
    assert_eq!(unsafe_without_safety(Path::new("x.rs"), block).len(), 1);
}

/// Every text file of the repository: sources, docs, manifests, scripts, and the
/// CI files in `.ci` and `.github`; not `.git` or build output.
fn text_files() -> Vec<PathBuf> {
    files_below(
        &workspace_root(),
        |name| !name.starts_with('.') || name == ".github" || name == ".ci",
        |path| {
            ["rs", "md", "toml", "py", "sh", "yml"]
                .iter()
                .any(|ext| path.extension().is_some_and(|e| e == *ext))
                || path.file_name().is_some_and(|name| name == "run")
        },
    )
}

#[test]
fn the_repository_stands_on_its_own() {
    // Pointers into a brief that is not in the repository mean nothing to a reader.
    let marker = ["design", " §"].concat();
    let mut breaches = Vec::new();
    for file in text_files() {
        for (n, line) in read(&file).lines().enumerate() {
            if line.contains(&marker) {
                breaches.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        breaches.is_empty(),
        "references to a document outside the repository:\n{}",
        breaches.join("\n")
    );
}

#[test]
fn every_exercise_with_a_checker_has_its_fixtures_test_and_its_integration_test() {
    let root = workspace_root();
    for exercise in Exercise::ALL {
        let id = exercise.id();
        for test in [
            format!("crates/contracts/tests/{id}_fixtures.rs"),
            format!("tests/tests/exercises/{id}.rs"),
        ] {
            assert!(root.join(&test).is_file(), "{exercise} has no {test}");
        }
        for kind in ["accept", "reject"] {
            let dir = root.join(format!("crates/contracts/fixtures/{id}/{kind}"));
            let count = fs::read_dir(&dir).map_or(0, |entries| entries.count());
            assert!(
                count > 0,
                "{exercise} has no {kind} fixtures in {}",
                dir.display()
            );
        }
    }
}

/// A transcript on a doc page: its first line number, the expectations its info
/// string gives (`text transcript limit=100 ranges=2`), and its text.
type PageTranscript = (usize, Vec<(String, String)>, String);

/// The fenced blocks of a Markdown page whose info string starts `text transcript`.
fn transcripts(page: &str) -> Vec<PageTranscript> {
    let mut found = Vec::new();
    let mut open: Option<PageTranscript> = None;
    for (n, line) in page.lines().enumerate() {
        match &mut open {
            None => {
                if let Some(expect) = line.trim().strip_prefix("```text transcript") {
                    let pairs = expect
                        .split_whitespace()
                        .filter_map(|pair| Expectations::parse_pair(pair).ok())
                        .collect();
                    open = Some((n + 2, pairs, String::new()));
                }
            }
            Some(_) if line.trim() == "```" => found.extend(open.take()),
            Some((_, _, text)) => {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    found
}

#[test]
fn every_transcript_on_a_doc_page_keeps_its_contract() {
    let mut checked = 0;
    for exercise in Exercise::ALL {
        let page = workspace_root().join(format!("docs/exercises/{}.md", exercise.package()));
        for (line, expect, text) in transcripts(&read(&page)) {
            checked += 1;
            let checker = exercise
                .checker(&expect.into_iter().collect())
                .unwrap_or_else(|e| panic!("{}:{line}: {e}", page.display()));
            let transcript = contracts::Transcript::from_bytes(text.as_bytes());
            if let Err(rejection) = checker.check(&transcript) {
                panic!(
                    "{}:{line}: the transcript is rejected: {rejection}",
                    page.display()
                );
            }
        }
    }
    assert!(checked > 0, "no doc page has a ```text transcript block");
    let page = "a\n```text transcript upto=3\nX 1\n```\n```text\nnot one\n```\n";
    assert_eq!(
        transcripts(page),
        [(3, vec![("upto".into(), "3".into())], "X 1\n".to_owned())]
    );
}
