//! The environment every run gets: the same few variables on every machine, so
//! that a teacher's shell (`PYTHONUNBUFFERED`, `PYTHONHASHSEED`, `JAVA_TOOL_OPTIONS`…)
//! never decides a student's grade; and the interpreter a bare program word names,
//! found once and reported.
//!
//! A run has [`PINNED`] and nothing else of the grader's environment, plus what
//! `--env KEY=VALUE` (or a manifest's `env`) adds on purpose.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The variables every run has, whatever the grader's own environment holds:
/// `PATH` as the grader has it (so programs are found as the teacher finds them),
/// `HOME` and `TMPDIR` in the run's scratch folder, and a UTF-8 locale.
pub const PINNED: [&str; 5] = ["PATH", "HOME", "TMPDIR", "LANG", "LC_ALL"];

/// The locale every run has: UTF-8, the same on every machine.
const LOCALE: &str = "C.UTF-8";

/// What a report says of the runs' environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvironmentReport {
    /// The variables every run had, by name ([`PINNED`]).
    pub pinned: Vec<String>,
    /// Every variable a run had beyond them, and its value.
    pub added: BTreeMap<String, String>,
}

impl EnvironmentReport {
    /// The environment of runs given `added`: the pinned variables, and the two
    /// that bring the grader's module to Python runs.
    pub fn new(added: &BTreeMap<String, String>) -> Self {
        let module = ["PYTHONPATH", crate::python::LOG_ENV];
        Self {
            pinned: PINNED
                .iter()
                .chain(&module)
                .map(|&name| name.to_owned())
                .collect(),
            added: added.clone(),
        }
    }
}

/// Gives `command` the pinned environment, its scratch folder `scratch`, and
/// `added`: every other variable of the grader's environment is removed. (Removed
/// one by one rather than cleared, so that a runner that starts the program
/// through a helper of its own passes on exactly the same environment.)
pub(crate) fn pin(command: &mut Command, scratch: &Path, added: &BTreeMap<String, String>) {
    for (key, _) in std::env::vars_os() {
        if !added.contains_key(key.to_string_lossy().as_ref()) {
            command.env_remove(key);
        }
    }
    let path = std::env::var_os("PATH").unwrap_or_else(|| crate::program::DEFAULT_PATH.into());
    command
        .env("PATH", path)
        .env("HOME", scratch)
        .env("TMPDIR", scratch)
        .env("LANG", LOCALE)
        .env("LC_ALL", LOCALE);
    for (key, value) in added {
        command.env(key, value);
    }
}

/// `KEY=VALUE`, as `--env` and a manifest give it: a key that is not empty and
/// holds neither `=` nor a NUL, and a value without NUL.
pub fn parse_pair(text: &str) -> Result<(String, String), String> {
    let Some((key, value)) = text.split_once('=') else {
        return Err(format!("`{text}`: give KEY=VALUE"));
    };
    check_pair(key, value)?;
    Ok((key.to_owned(), value.to_owned()))
}

/// Whether `key` and `value` can be an environment variable.
pub fn check_pair(key: &str, value: &str) -> Result<(), String> {
    if key.is_empty() || key.contains('=') || key.contains('\0') || value.contains('\0') {
        return Err(format!(
            "`{key}={value}`: a variable's name must be non-empty, without `=`, and neither may hold a NUL"
        ));
    }
    Ok(())
}

/// The program a bare word named, as a report gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramReport {
    /// The word as given: `python3`.
    pub word: String,
    /// What runs: the real interpreter behind a version manager's shim for
    /// Python, else the file `PATH` gives.
    pub path: String,
    /// Its version, as it says it: `Python 3.11.7`.
    pub version: Option<String>,
}

/// A bare program word, found.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    /// What the report says of it.
    pub(crate) report: ProgramReport,
    /// Whether the runs start `report.path` rather than the word (a Python
    /// interpreter, looked up behind any shim).
    pub(crate) resolved: bool,
}

/// What a bare program `word` (no `/`) names on `PATH`; `None` for a path, or a
/// word not on `PATH` (the grade has refused that one already).
///
/// A Python interpreter is asked for its own executable, so that a version
/// manager's shim (pyenv's, which needs variables the runs do not have) is
/// looked through once, here, with the grader's environment, and the runs start
/// the interpreter itself.
pub(crate) fn identify(word: &OsStr) -> Option<Found> {
    let text = word.to_str()?;
    if text.contains('/') {
        return None;
    }
    let on_path = std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(word))
        .find(|path| path.is_file())?;
    let python = crate::python::names_python(text);
    if python
        && let Some((path, version)) = ask(
            word,
            &[
                "-c",
                "import sys, platform; print(sys.executable); print('Python', platform.python_version())",
            ],
        )
        .and_then(|said| {
            let (path, version) = said.split_once('\n')?;
            Path::new(path)
                .is_absolute()
                .then(|| (path.to_owned(), version.trim().to_owned()))
        })
    {
        return Some(Found {
            report: ProgramReport {
                word: text.to_owned(),
                path,
                version: Some(version),
            },
            resolved: true,
        });
    }
    let path = std::fs::canonicalize(&on_path).unwrap_or(on_path);
    Some(Found {
        report: ProgramReport {
            word: text.to_owned(),
            path: path.display().to_string(),
            version: ask(word, &["--version"])
                .and_then(|said| said.lines().next().map(str::to_owned))
                .filter(|line| !line.trim().is_empty()),
        },
        resolved: false,
    })
}

/// What `program ARGS` prints (stdout, else stderr), trimmed, when it exits 0
/// within a few seconds.
fn ask(program: &OsStr, args: &[&str]) -> Option<String> {
    let mut command = Command::new(program);
    command.args(args);
    let limits = runner::Limits {
        deadline: Duration::from_secs(10),
        output_cap: 4096,
        ..runner::Limits::default()
    };
    let outcome = runner::run(command, &limits).ok()?;
    if outcome.ending != runner::Ending::Exited(0) {
        return None;
    }
    let said = match outcome.stdout.is_empty() {
        true => outcome.stderr,
        false => outcome.stdout,
    };
    Some(String::from_utf8_lossy(&said).trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_needs_a_name_and_an_equals_sign() {
        assert_eq!(
            parse_pair("PYTHONHASHSEED=0"),
            Ok(("PYTHONHASHSEED".into(), "0".into()))
        );
        assert_eq!(parse_pair("EMPTY="), Ok(("EMPTY".into(), String::new())));
        assert_eq!(parse_pair("A=b=c"), Ok(("A".into(), "b=c".into())));
        for bad in ["NOVALUE", "=value", "", "A\0B=1"] {
            assert!(parse_pair(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_run_has_the_pinned_variables_and_what_was_added_and_nothing_else() {
        let scratch = Path::new("/tmp/scratch");
        let added = BTreeMap::from([("GREETING".to_owned(), "hello".to_owned())]);
        let mut command = Command::new("env");
        pin(&mut command, scratch, &added);
        let set: BTreeMap<String, Option<String>> = command
            .get_envs()
            .map(|(k, v)| {
                (
                    k.to_string_lossy().into_owned(),
                    v.map(|v| v.to_string_lossy().into_owned()),
                )
            })
            .collect();
        assert_eq!(set["HOME"].as_deref(), Some("/tmp/scratch"));
        assert_eq!(set["TMPDIR"].as_deref(), Some("/tmp/scratch"));
        assert_eq!(set["LC_ALL"].as_deref(), Some("C.UTF-8"));
        assert_eq!(set["GREETING"].as_deref(), Some("hello"));
        // Every other variable of this process is removed.
        for (key, _) in std::env::vars() {
            if !PINNED.contains(&key.as_str()) && key != "GREETING" {
                assert_eq!(set.get(&key), Some(&None), "{key}");
            }
        }
    }
}
