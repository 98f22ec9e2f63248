//! The grader's module for Python runs (`sitecustomize.py`), written once per
//! grade into a folder of its own and put first on every run's `PYTHONPATH`; what
//! it logged of a run is read back as who did the program's work
//! ([`contracts::work::Work`]).
//!
//! It prints nothing and changes nothing the program does. A program that is not
//! Python never loads it, nor does a Python started with `-I`, `-E` or `-S`: its
//! run has no log, and no verdict rests on one.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::Context;
use std::process::Command;

use contracts::work::Work;

use crate::scratch::Scratch;

/// The module's source.
const SOURCE: &str = include_str!("sitecustomize.py");

/// The variable that tells the module where to log.
pub(crate) const LOG_ENV: &str = "CONCURRENCY_GRADER_WORK_LOG";

/// The variable that asks the module for a `preempt` run's pauses, and their seed.
pub(crate) const PREEMPT_ENV: &str = "CONCURRENCY_GRADER_PREEMPT";

/// The module's folder for one grade, removed on drop.
#[derive(Debug)]
pub(crate) struct PythonModule {
    dir: Scratch,
}

impl PythonModule {
    /// Writes the module into a new folder of this grade's.
    pub(crate) fn new() -> anyhow::Result<Self> {
        let dir = Scratch::new()?;
        let module = dir.path().join("sitecustomize.py");
        std::fs::write(&module, SOURCE).with_context(|| format!("writing {}", module.display()))?;
        Ok(Self { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Gives `command` (whose environment is pinned already) the module, first
    /// on `PYTHONPATH`, and the log of run `run`; returns the log's path.
    pub(crate) fn prepare(&self, command: &mut Command, run: usize) -> PathBuf {
        let log = self.path().join(format!("run-{run}.log"));
        let _ = std::fs::remove_file(&log);
        let mut path = self.path().as_os_str().to_owned();
        let added = command
            .get_envs()
            .find(|(key, _)| *key == "PYTHONPATH")
            .and_then(|(_, value)| value.map(std::ffi::OsStr::to_owned));
        if let Some(added) = added.filter(|added| !added.is_empty()) {
            path.push(":");
            path.push(added);
        }
        command.env("PYTHONPATH", path).env(LOG_ENV, &log);
        log
    }
}

impl Drop for PythonModule {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(self.path());
    }
}

/// What the module logged of a run.
#[derive(Debug, Default)]
pub(crate) struct Logged {
    /// Who did the work; `None` when no Python process loaded the module.
    pub(crate) work: Option<Work>,
    /// Whether some process of the run paused at random for a `preempt` run.
    pub(crate) preempted: bool,
}

/// What the run that logged to `log` logged (the log is removed).
pub(crate) fn read(log: &Path) -> Logged {
    let Ok(text) = std::fs::read_to_string(log) else {
        return Logged::default();
    };
    let _ = std::fs::remove_file(log);
    Logged {
        work: Work::parse(&text),
        preempted: text.lines().any(|line| line.starts_with("preempt ")),
    }
}

/// A seed for a `preempt` run none was given for: the clock's nanoseconds,
/// mixed with this grade's pid and the run's number.
pub(crate) fn fresh_seed(run: usize) -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_nanos() as u64);
    (now ^ (u64::from(std::process::id()) << 32) ^ run as u64) % 1_000_000_000
}

/// Whether `command` runs Python, as far as can be told before it runs: its
/// program is an interpreter (`python3`, `/usr/bin/python3.11`, `pypy3`), or a
/// script whose `#!` line names one. A program that starts Python some other
/// way (a shell script that runs `python3`) is not known for Python here, and
/// gets the plain mix.
pub(crate) fn runs_python(command: &[OsString]) -> bool {
    let Some(program) = command.first() else {
        return false;
    };
    let named = Path::new(program)
        .file_name()
        .and_then(|name| name.to_str())
        .is_some_and(names_python);
    named || shebang_names_python(Path::new(program))
}

/// Whether a program's name is a Python interpreter's (`python3.11`, `pypy3`).
pub(crate) fn names_python(name: &str) -> bool {
    name.starts_with("python") || name.starts_with("pypy")
}

/// Whether the file at `path` starts with a `#!` line that names Python.
fn shebang_names_python(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 128];
    let Ok(read) = std::fs::File::open(path).and_then(|mut file| file.read(&mut head)) else {
        return false;
    };
    let head = &head[..read];
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    line.starts_with(b"#!")
        && String::from_utf8_lossy(line)
            .split(['/', ' ', '\t'])
            .any(names_python)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_is_known_by_its_interpreter_or_its_scripts_first_line() {
        let dir = Scratch::new().unwrap();
        let script = dir.path().join("answer");
        std::fs::write(&script, "#!/usr/bin/env python3\nprint(1)\n").unwrap();
        let shell = dir.path().join("run.sh");
        std::fs::write(&shell, "#!/bin/sh\npython3 answer.py\n").unwrap();
        let words =
            |words: &[&str]| -> Vec<OsString> { words.iter().map(OsString::from).collect() };
        assert!(runs_python(&words(&["/usr/bin/python3.11", "a.py"])));
        assert!(runs_python(&words(&["pypy3", "a.py"])));
        assert!(runs_python(&words(&[script.to_str().unwrap()])));
        assert!(!runs_python(&words(&[shell.to_str().unwrap()])));
        assert!(!runs_python(&words(&["java", "-cp", ".", "Ex07"])));
        assert!(!runs_python(&[]));
        dir.remove();
    }
}
