//! `--workspace DIR`: a student's copy of the kit's workspace, built and graded
//! exercise by exercise, its loom models as a rubric item.
//!
//! The build runs contained like any run (a build script is the student's code
//! too), in a target directory of the grader's own (`--build-dir`), so the
//! student's folder is only read. Each exercise is then graded by running its
//! binary with the arguments of each of its registered runs (`contracts::runs`).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use contracts::runs::{self, OUTPUT_CAP};
use contracts::{Exercise, Expectations};
use runner::cargo::{Profile, build_command, executables, loom_command};
use runner::{Ending, Limits};

use crate::UsageError;
use crate::report::{Report, Step};
use crate::request::Settings;
use crate::single::run_case;

/// How long a student's workspace may take to build, or its loom models to run.
const BUILD_DEADLINE: Duration = Duration::from_secs(30 * 60);
/// How much of cargo's output is kept.
const BUILD_OUTPUT: usize = 64 << 20;
/// How many lines of the compiler's messages a build-error report shows.
const MESSAGE_LINES: usize = 40;

/// The exercises `--workspace` can grade: those with a checker and a registered run.
pub fn gradable() -> impl Iterator<Item = Exercise> {
    Exercise::ALL
        .into_iter()
        .filter(|ex| runs::of(*ex).next().is_some())
}

/// Where and how a workspace is graded.
#[derive(Debug)]
pub(crate) struct Workspace<'a> {
    /// The student's folder.
    pub(crate) dir: &'a Path,
    /// Run its loom models too.
    pub(crate) loom: bool,
    /// The grader's folder of builds.
    pub(crate) build_dir: &'a Path,
}

/// Builds and grades each of `exercises` in `workspace`; one report per exercise,
/// the loom item (when asked for) on the first.
pub(crate) fn grade_workspace(
    runner: &mut crate::Runner,
    workspace: &Workspace<'_>,
    exercises: &[Exercise],
    (expect, strict): (&Expectations, bool),
    settings: &Settings,
) -> anyhow::Result<Vec<Report>> {
    let Workspace {
        dir,
        loom,
        build_dir,
    } = *workspace;
    if !dir.join("Cargo.toml").is_file() {
        return Err(UsageError(format!(
            "{} is not a Cargo workspace (it has no Cargo.toml)",
            dir.display()
        ))
        .into());
    }
    if let Some(ex) = exercises.iter().find(|ex| !gradable().any(|g| g == **ex)) {
        return Err(UsageError(format!(
            "{ex} cannot be graded from a workspace yet: it has no registered run"
        ))
        .into());
    }
    let dir = std::path::absolute(dir)?;
    let target = target_dir(build_dir, &dir);
    // The registered runs print what run-all's do (ex03's primes below 2 M are more
    // than a mebibyte), so they get run-all's cap unless the grader's is larger.
    let mut settings = settings.clone();
    settings.output_limit = settings.output_limit.max(OUTPUT_CAP as u64);
    let settings = &settings;
    let mut reports = Vec::new();
    let mut loom = loom;
    for &exercise in exercises {
        // One build per exercise, so that one broken crate fails only its exercise.
        let (build, binaries) = build(runner, &dir, &target, exercise.package())?;
        let settings = &settings.for_exercise(exercise);
        let mut cases = Vec::new();
        if let Some(binary) = binaries.get(exercise.package()).filter(|_| build.passed) {
            for run in runs::of(exercise) {
                let mut expectations = run.fast.expectations();
                for (key, value) in expect.pairs() {
                    expectations = expectations.with(key, value);
                }
                let checker = exercise.checker_with(&expectations, strict)?;
                let mut command = vec![OsString::from(binary)];
                command.extend(run.fast.args.iter().map(OsString::from));
                cases.push(
                    run_case(
                        runner,
                        run.label.to_owned(),
                        &command,
                        (checker.as_ref(), exercise.contract().concurrency),
                        settings,
                    )?
                    .checked_with(exercise.applied(&expectations)),
                );
            }
        }
        // The loom item goes with the first exercise's report.
        let loom_step = match std::mem::take(&mut loom) {
            true => Some(run_loom(runner, &dir, &target)?),
            false => None,
        };
        reports.push(Report::new(
            exercise,
            (exercise.applied(expect), strict),
            Some(build),
            cases,
            loom_step,
            settings.report(),
        ));
    }
    Ok(reports)
}

/// A target directory below `build_dir` for the workspace at `dir`: one per
/// student folder, so that parallel grades of different students never share one.
fn target_dir(build_dir: &Path, dir: &Path) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    dir.hash(&mut hasher);
    let name = dir
        .file_name()
        .map_or("workspace".into(), |n| n.to_string_lossy());
    build_dir.join(format!("{name}-{:016x}", hasher.finish()))
}

/// Limits for the build and the loom models: long, and no memory limit (rustc
/// needs what it needs), but contained like any run.
fn build_limits() -> Limits {
    Limits {
        deadline: BUILD_DEADLINE,
        output_cap: BUILD_OUTPUT,
        ..Limits::default()
    }
}

/// Builds `package` of the workspace at `dir` in release; the build step and, when
/// it passed, the binaries' paths by name.
fn build(
    runner: &mut crate::Runner,
    dir: &Path,
    target: &Path,
    package: &str,
) -> anyhow::Result<(Step, BTreeMap<String, PathBuf>)> {
    let mut cargo = build_command(dir, &[package], Profile::Release);
    cargo.env("CARGO_TARGET_DIR", target).current_dir(dir);
    let started = Instant::now();
    let outcome = runner
        .reaper
        .run(cargo, &build_limits())
        .context("running cargo build")?;
    let seconds = started.elapsed().as_secs_f64();
    let binaries = executables(&String::from_utf8_lossy(&outcome.stdout));
    let step = match (outcome.ending, binaries.contains_key(package)) {
        (Ending::Exited(0), true) => Step {
            passed: true,
            seconds,
            detail: format!("built {package}"),
        },
        (Ending::Exited(0), false) => Step {
            passed: false,
            seconds,
            detail: format!("the workspace has no binary named `{package}`"),
        },
        (ending, _) => Step {
            passed: false,
            seconds,
            detail: compiler_messages(&outcome.stderr, ending),
        },
    };
    Ok((step, binaries))
}

/// The compiler's messages from a failed build: from the first `error` on, at most
/// [`MESSAGE_LINES`] lines, with a first line that says what failed.
fn compiler_messages(stderr: &[u8], ending: Ending) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<&str> = text.lines().collect();
    let first_error = lines
        .iter()
        .position(|line| line.starts_with("error"))
        .unwrap_or(0);
    let shown = &lines[first_error..lines.len().min(first_error + MESSAGE_LINES)];
    let headline = match ending {
        Ending::TimedOut => format!("the build ran past {} min", BUILD_DEADLINE.as_secs() / 60),
        _ => lines
            .get(first_error)
            .map_or("cargo build failed".to_owned(), |line| line.to_string()),
    };
    let mut message = headline;
    for line in shown.iter().skip(1) {
        message.push('\n');
        message.push_str(line);
    }
    message
}

/// Runs the workspace's loom models (as the kit's `cargo xtask loom` does).
fn run_loom(runner: &mut crate::Runner, dir: &Path, target: &Path) -> anyhow::Result<Step> {
    let command = loom_command(dir, &target.join("loom"))?;
    let started = Instant::now();
    let outcome = runner
        .reaper
        .run(command, &build_limits())
        .context("running the loom models")?;
    let passed = outcome.ending == Ending::Exited(0);
    let stdout = String::from_utf8_lossy(&outcome.stdout);
    let results: Vec<&str> = stdout
        .lines()
        .filter(|line| line.starts_with("test result:"))
        .collect();
    let detail = match passed {
        true => format!("{} model file(s) passed", results.len()),
        false => {
            let mut detail = format!("the loom models failed ({:?})", outcome.ending);
            for line in stdout
                .lines()
                .filter(|l| l.contains("FAILED") || l.contains("panicked"))
            {
                detail.push('\n');
                detail.push_str(line);
            }
            detail.push('\n');
            detail.push_str(&outcome.stderr_tail(MESSAGE_LINES));
            detail
        }
    };
    Ok(Step {
        passed,
        seconds: started.elapsed().as_secs_f64(),
        detail,
    })
}
