//! Grading a submission from a test: the grader run on a program with a mark of
//! the test's own in its environment, its JSON report, and what it left running.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::Value;

use crate::marked::{MARK_ENV, left_after_grace};

/// A self-test submission: `tests/submissions/NAME`.
#[must_use]
pub fn submission(name: &str) -> String {
    crate::root()
        .join("tests/submissions")
        .join(name)
        .display()
        .to_string()
}

/// An accepted (`accept`) or rejected (`reject`) transcript of `exercise`, from
/// its checker's fixtures.
///
/// # Panics
///
/// For an exercise without such transcripts here.
#[must_use]
pub fn transcript(exercise: &str, kind: &str) -> String {
    let name = match (exercise, kind) {
        ("ex02", "accept") => "two-workers",
        ("ex02", _) => "causal-order-callback-first",
        ("ex03", "accept") => "course-ranges-in-order",
        ("ex03", _) => "wrong-primes-composite",
        ("ex04", "accept") => "leftover-item",
        ("ex04", _) => "removed-not-held-twice",
        ("ex05", "accept") => "program-order",
        ("ex05", _) => "condition-order-out-of-order",
        ("ex07", "accept") => "in-order",
        ("ex07", _) => "n-missing-empty-output",
        ("ex08", "accept") => "course-style",
        ("ex08", _) => "bad-breakdown-before-blocks",
        _ => panic!("no transcripts for {exercise}"),
    };
    crate::root()
        .join("crates/contracts/fixtures")
        .join(exercise)
        .join(kind)
        .join(format!("{name}.txt"))
        .display()
        .to_string()
}

/// Every exercise [`transcript`] has transcripts of.
pub const EXERCISES: [&str; 6] = ["ex02", "ex03", "ex04", "ex05", "ex07", "ex08"];

/// Runs the grader as `cargo xtask ARGS` would (ARGS start with `grade`), with
/// workspace builds in the kit's `target/grade/`, and returns its output.
#[must_use]
pub fn xtask(args: &[&str]) -> Output {
    grader_in(&crate::root(), args)
}

/// [`xtask`], run from the folder `dir`.
///
/// # Panics
///
/// When the grader does not start.
#[must_use]
pub fn grader_in(dir: &Path, args: &[&str]) -> Output {
    let args = args.strip_prefix(&["grade"]).unwrap_or(args);
    let mut command = Command::new(crate::grader());
    command.env(
        "CONCURRENCY_GRADER_BUILD_DIR",
        crate::root().join("target/grade"),
    );
    command
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the grader starts")
}

/// A fresh folder for one test, named after `name`.
///
/// # Panics
///
/// When it cannot be made.
#[must_use]
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("grade-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// The processes alive whose command line mentions `needle`, other than this one.
#[must_use]
pub fn processes_mentioning(needle: &str) -> Vec<String> {
    let me = std::process::id();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == me {
            continue;
        }
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains(needle) && crate::alive(pid) {
            found.push(format!("{pid}: {}", String::from_utf8_lossy(&cmdline)));
        }
    }
    found
}

/// Python's own interpreter, not a version manager's shim in front of it (whose
/// processes would be counted as the program's).
///
/// # Panics
///
/// When `python3` does not run.
pub fn python() -> String {
    static PYTHON: OnceLock<String> = OnceLock::new();
    PYTHON
        .get_or_init(|| {
            let output = Command::new("python3")
                .args(["-c", "import sys; print(sys.executable)"])
                .output()
                .expect("python3 runs");
            String::from_utf8(output.stdout)
                .expect("a path")
                .trim()
                .to_owned()
        })
        .clone()
}

/// What a grade gave.
#[derive(Debug)]
pub struct Graded {
    /// The grader's exit code.
    pub code: i32,
    /// Its JSON report.
    pub report: Value,
    /// The processes of the grade still alive after a short grace (killed now).
    pub left: Vec<u32>,
    /// The grader's own process id, which names the control groups it made.
    pub pid: u32,
}

impl Graded {
    /// The first run of the first case.
    #[must_use]
    pub fn run(&self) -> &Value {
        &self.report["cases"][0]["runs"][0]
    }

    /// Every run of the first case.
    ///
    /// # Panics
    ///
    /// When the report has no runs.
    #[must_use]
    pub fn runs(&self) -> &[Value] {
        self.report["cases"][0]["runs"].as_array().expect("runs")
    }
}

/// `--repeat 1`, unless `flags` already say how many runs: the flags a test
/// adds to grade one run where more are not what it tests (a grade's own number
/// of runs, the exercise's, is what `default_runs` tests).
#[must_use]
pub fn one_run_unless_asked(flags: &[&str]) -> &'static [&'static str] {
    match flags.contains(&"--repeat") {
        true => &[],
        false => &["--repeat", "1"],
    }
}

/// Grades `command` against `exercise` with `flags` and `--format json`, the
/// runs marked (`--env`) so that whatever of them is left is found, one run
/// unless `flags` ask for more ([`one_run_unless_asked`]).
///
/// # Panics
///
/// When the grader does not start or its report is not JSON.
pub fn grade(exercise: &str, flags: &[&str], command: &[&str]) -> Graded {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let mark = format!(
        "graded-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let grader = Command::new(crate::grader())
        .arg(exercise)
        .args(flags)
        .args(one_run_unless_asked(flags))
        .args([
            "--format",
            "json",
            "--env",
            &format!("{MARK_ENV}={mark}"),
            "--",
        ])
        .args(command)
        .env(MARK_ENV, &mark)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the grader starts");
    let pid = grader.id();
    let output = grader.wait_with_output().expect("the grader ends");
    let report = json_report(&output);
    Graded {
        code: output.status.code().unwrap_or(-1),
        report,
        left: left_after_grace(&mark),
        pid,
    }
}

/// A grader's JSON report on its stdout.
///
/// # Panics
///
/// When it is not JSON; the message holds both outputs.
#[must_use]
pub fn json_report(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Asserts that the grade ran with the strongest containment: namespaces and a
/// pids cgroup.
///
/// # Panics
///
/// When it did not, saying what it had.
pub fn assert_jailed(graded: &Graded) {
    let containment = &graded.report["containment"];
    assert!(
        containment["namespaces"] == true && containment["process_cap"].is_string(),
        "this test needs namespaces and a pids cgroup (root, or user namespaces and \
         delegated cgroups); the grader had: {containment:#}"
    );
}

/// The run cgroups the grader with process id `pid` made that are still there.
#[must_use]
pub fn cgroups_left(pid: u32) -> Vec<PathBuf> {
    let prefix = format!("concurrency-run-{pid}-");
    let mut left = Vec::new();
    for hierarchy in [
        "/sys/fs/cgroup/pids",
        "/sys/fs/cgroup/memory",
        "/sys/fs/cgroup",
    ] {
        left.extend(
            folders(PathBuf::from(hierarchy), 4)
                .into_iter()
                .filter(|path| {
                    path.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
                }),
        );
    }
    left
}

/// The folders under `dir`, down to `depth` levels below it.
fn folders(dir: PathBuf, depth: usize) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            if depth > 0 {
                found.extend(folders(path.clone(), depth - 1));
            }
            found.push(path);
        }
    }
    found
}
