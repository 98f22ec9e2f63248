//! `cargo xtask grade`: a verdict on a submission, in any language, that no
//! submission can hang, flood or outlive.
//!
//! One grade runs a command `--repeat` times, each run contained by
//! `test_kit::run::Subreaper` (deadline with a SIGTERM grace, output cap, per-process
//! memory and file-size limits, stdin from /dev/null, a fresh scratch directory as
//! working directory, and every process it started killed when it ends), judges each
//! transcript with the exercise's checker, and adds the runs up to one verdict
//! ([`report`]). [`workspace`] builds a student's copy of this workspace first;
//! [`class`] grades a whole class from a manifest, in parallel, into a gradebook.

mod class;
mod report;
mod workspace;

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::Context;
use test_kit::run::{Limits, Subreaper};
use test_kit::{Exercise, Expectations};

use crate::UsageError;
pub(crate) use report::Format;
use report::{Case, LimitsReport, Report, RunReport};

/// The arguments of `cargo xtask grade`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Examples:
  cargo xtask grade ex04 -- python3 alice/ex04.py
  cargo xtask grade ex04 --repeat 5 --format json -- ./bob-ex04
  cargo xtask grade ex07 --workspace ../carol/ --loom
  cargo xtask grade --class class.toml --jobs 4

Verdicts: pass, wrong-output, crash, timeout, output-limit, flaky, build-error.
Exit status: 0 on pass, 1 on any other verdict, 2 on a usage error.
See docs/grading.md.")]
pub(crate) struct GradeArgs {
    /// The exercise whose contract applies (ex04, 4 or ex04-locked-list). With
    /// --workspace it may be left out to grade every exercise the kit can check.
    exercise: Option<Exercise>,
    /// Run the command this many times; some passing and some not is `flaky`.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    repeat: u32,
    /// Each run's deadline in seconds. The program then gets SIGTERM, and SIGKILL
    /// one second later if it is still there.
    #[arg(long, value_name = "SECONDS", default_value = "60", value_parser = parse_seconds)]
    timeout: Duration,
    /// How the report is printed.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The address-space limit of each process of a run (`2GiB`, `512MiB`, or
    /// `unlimited`). A runaway allocation fails instead of exhausting the machine.
    #[arg(long, value_name = "SIZE", default_value = "2GiB", value_parser = parse_memory)]
    memory_limit: MemoryLimit,
    /// The most stdout a run may print (`1MiB`, `64KiB`); past it the run is killed
    /// and the verdict is `output-limit`.
    #[arg(long, value_name = "SIZE", default_value = "1MiB", value_parser = parse_size)]
    output_limit: u64,
    /// A fact about the run the checker may rely on, e.g. `--expect adds=5`
    /// (`cargo xtask check EX --list-expectations` lists an exercise's keys).
    #[arg(long = "expect", value_name = "KEY=VALUE", value_parser = crate::parse_expectation)]
    expectations: Vec<(String, String)>,
    /// Grade a student's copy of this workspace: build it (release), then run its
    /// exercise binaries as run-all does. A failed build is `build-error`.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["command", "class"])]
    workspace: Option<PathBuf>,
    /// With --workspace: also run the workspace's loom models, as a rubric item of
    /// their own (reported beside the verdict; a failure makes the exit status 1).
    #[arg(long)]
    loom: bool,
    /// Grade a whole class from a TOML manifest (see docs/grading.md) into a
    /// gradebook; the other options become the manifest's defaults.
    #[arg(long, value_name = "MANIFEST", conflicts_with_all = ["command", "exercise"])]
    class: Option<PathBuf>,
    /// With --class: how many grades run at once (default: the number of cores).
    /// Exercises that measure time always run alone.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=256))]
    jobs: Option<u32>,
    /// With --class: where the gradebook (gradebook.csv, gradebook.json) and each
    /// grade's JSON report go. Default: `gradebook` beside the manifest.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The submission: a program and its arguments, after `--`.
    #[arg(last = true, value_name = "CMD")]
    command: Vec<OsString>,
}

/// A memory limit, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MemoryLimit(pub(crate) Option<u64>);

/// Everything a grade's runs share: how often, and within what limits.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) repeat: usize,
    pub(crate) limits: Limits,
}

impl Settings {
    fn report(&self) -> LimitsReport {
        LimitsReport {
            timeout_seconds: self.limits.deadline.as_secs_f64(),
            term_grace_seconds: self.limits.term_grace.as_secs_f64(),
            output_limit_bytes: self.limits.output_cap,
            memory_limit_bytes: self.limits.memory,
            repeat: self.repeat,
        }
    }
}

/// The largest file a run may write: enough for any exercise (ex08's SVG plot is
/// kilobytes), small enough that a runaway writer cannot fill the disk.
const FILE_SIZE_LIMIT: u64 = 256 << 20;

/// Runs `cargo xtask grade`; `Ok(true)` when the exit status is to be 0.
pub(crate) fn grade(args: GradeArgs) -> anyhow::Result<bool> {
    let settings = Settings {
        repeat: args.repeat as usize,
        limits: Limits {
            deadline: args.timeout,
            output_cap: usize::try_from(args.output_limit).unwrap_or(usize::MAX),
            memory: args.memory_limit.0,
            file_size: Some(FILE_SIZE_LIMIT),
            ..Limits::default()
        },
    };
    let expect: Expectations = args.expectations.into_iter().collect();
    let needs = |given: bool, flag: &str, needed: bool, other: &str| match given && !needed {
        true => Err(UsageError(format!("{flag} only applies with {other}"))),
        false => Ok(()),
    };
    needs(args.loom, "--loom", args.workspace.is_some(), "--workspace")?;
    needs(
        args.jobs.is_some(),
        "--jobs",
        args.class.is_some(),
        "--class",
    )?;
    needs(args.out.is_some(), "--out", args.class.is_some(), "--class")?;
    if args.class.is_some() && !expect.is_empty() {
        return Err(UsageError(
            "with --class, give expectations in the manifest: [exercises.EX] expect = { … }".into(),
        )
        .into());
    }
    if let Some(manifest) = &args.class {
        if args.format != Format::Text {
            return Err(UsageError(
                "--format applies to one grade; --class writes its gradebook as CSV and JSON, and each grade's report as JSON".into(),
            )
            .into());
        }
        let jobs = args.jobs.map_or_else(cores, |jobs| jobs as usize);
        return class::grade_class(manifest, args.out.as_deref(), jobs, &settings);
    }
    let reports = match &args.workspace {
        Some(dir) => {
            let exercises = match (args.exercise, args.format) {
                (Some(exercise), _) => vec![exercise],
                (None, Format::Text) => workspace::gradable().collect(),
                (None, _) => {
                    return Err(UsageError(
                        "--format json, junit and exercism give one exercise's report: name the exercise".into(),
                    )
                    .into());
                }
            };
            let mut reaper = Subreaper::claim().context("becoming the runs' subreaper")?;
            workspace::grade_workspace(&mut reaper, dir, &exercises, &expect, args.loom, &settings)?
        }
        None => vec![grade_command(
            args.exercise,
            &args.command,
            &expect,
            &settings,
        )?],
    };
    let mut stdout = std::io::stdout().lock();
    for report in &reports {
        stdout
            .write_all(report.render(args.format).as_bytes())
            .context("writing the report")?;
    }
    Ok(reports.iter().all(Report::passed))
}

/// Grades one command (`grade EX -- CMD…`).
fn grade_command(
    exercise: Option<Exercise>,
    command: &[OsString],
    expect: &Expectations,
    settings: &Settings,
) -> anyhow::Result<Report> {
    let Some(exercise) = exercise else {
        return Err(UsageError(
            "name the exercise: `cargo xtask grade EX -- CMD…` (or use --workspace or --class)"
                .into(),
        )
        .into());
    };
    if command.is_empty() {
        return Err(UsageError(
            "no command to grade: give it after `--`, e.g. `cargo xtask grade ex04 -- python3 ex04.py`".into(),
        )
        .into());
    }
    let checker = exercise.checker(expect)?;
    let mut reaper = Subreaper::claim().context("becoming the runs' subreaper")?;
    let here = std::env::current_dir().context("reading the working directory")?;
    let command = absolute_paths(&here, command);
    let case = run_case(
        &mut reaper,
        exercise.id().to_owned(),
        &command,
        checker.as_ref(),
        settings,
    )?;
    Ok(Report::new(
        exercise,
        None,
        vec![case],
        None,
        settings.report(),
    ))
}

/// The number of cores, the default for `--jobs`.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// Runs `command` `settings.repeat` times, each in a scratch directory of its own
/// under `reaper`, and judges each run with `checker`.
pub(crate) fn run_case(
    reaper: &mut Subreaper,
    name: String,
    command: &[OsString],
    checker: &dyn test_kit::Checker,
    settings: &Settings,
) -> anyhow::Result<Case> {
    let shown: Vec<String> = command
        .iter()
        .map(|word| word.to_string_lossy().into_owned())
        .collect();
    let mut runs = Vec::new();
    let mut outputs = Vec::new();
    for _ in 0..settings.repeat {
        let scratch = Scratch::new()?;
        let mut process = Command::new(&command[0]);
        process
            .args(&command[1..])
            .current_dir(scratch.path())
            .env("TMPDIR", scratch.path())
            // Python block-buffers a pipe: without this, a run killed at its
            // deadline would show none of what it printed.
            .env("PYTHONUNBUFFERED", "1");
        match reaper.run(process, &settings.limits) {
            Ok(outcome) => {
                let judgement = test_kit::judge(&outcome, checker);
                runs.push(RunReport::new(&outcome, &judgement));
                outputs.push((
                    String::from_utf8_lossy(&outcome.stdout).into_owned(),
                    String::from_utf8_lossy(&outcome.stderr).into_owned(),
                ));
            }
            Err(error) if could_not_start(&error) => {
                runs.push(RunReport::not_started(&error));
                outputs.push(Default::default());
            }
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("running {}", report::shell_words(&shown)));
            }
        }
        scratch.remove();
    }
    Ok(Case::new(name, shown, runs, outputs))
}

/// Whether a runner error means the program itself could not be started (missing,
/// not executable): the submission's fault, reported as a crash.
fn could_not_start(error: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        error.kind(),
        NotFound | PermissionDenied | InvalidInput | ExecutableFileBusy
    ) || error.raw_os_error() == Some(8) // ENOEXEC: not a program, no `#!` line
}

/// The command with every word that names an existing file or directory relative to
/// `base` made absolute, since the runs happen in a scratch directory
/// (`python3 alice/ex04.py` still finds `alice/ex04.py`).
pub(crate) fn absolute_paths(base: &Path, command: &[OsString]) -> Vec<OsString> {
    command
        .iter()
        .map(|word| {
            let path = Path::new(word);
            let resolved = base.join(path);
            match path.is_relative() && !word.is_empty() && resolved.exists() {
                true => resolved.into_os_string(),
                false => word.clone(),
            }
        })
        .collect()
}

/// A fresh, empty directory for one run, removed afterwards.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> anyhow::Result<Self> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir().join(format!("xtask-grade-{}-{n}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Self(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(e).with_context(|| format!("creating {}", path.display()));
                }
            }
        }
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// Removes the directory; the run may have left files (or removed write
    /// permission), which is said on stderr rather than failing the grade.
    fn remove(self) {
        if let Err(error) = std::fs::remove_dir_all(&self.0) {
            eprintln!(
                "warning: could not remove the scratch directory {}: {error}",
                self.0.display()
            );
        }
    }
}

/// `--timeout`: seconds, whole or not, more than 0 and at most a day.
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err(format!(
            "`{text}`: give a number of seconds above 0 and at most 86400"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// A size: a whole number with an optional unit, `B`, `KiB`/`K`, `MiB`/`M`,
/// `GiB`/`G` (powers of 1024), or `kB`, `MB`, `GB` (powers of 1000).
pub(crate) fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let multiplier: u64 = match unit.trim() {
        "" | "B" => 1,
        "K" | "KiB" => 1 << 10,
        "M" | "MiB" => 1 << 20,
        "G" | "GiB" => 1 << 30,
        "kB" | "KB" => 1_000,
        "MB" => 1_000_000,
        "GB" => 1_000_000_000,
        _ => {
            return Err(format!(
                "`{text}`: the unit is not one of B, KiB, MiB, GiB, kB, MB, GB"
            ));
        }
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(multiplier))
        .filter(|&bytes| bytes > 0)
        .ok_or_else(|| format!("`{text}` is not a size above 0 (e.g. 2GiB, 512MiB)"))
}

/// `--memory-limit`: a size, or `unlimited`.
fn parse_memory(text: &str) -> Result<MemoryLimit, String> {
    match text {
        "unlimited" | "none" => Ok(MemoryLimit(None)),
        _ => parse_size(text).map(|bytes| MemoryLimit(Some(bytes))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_binary_and_decimal_units() {
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("2G"), Ok(2 << 30));
        assert_eq!(parse_size("512 MiB"), Ok(512 << 20));
        assert_eq!(parse_size("64KiB"), Ok(64 << 10));
        assert_eq!(parse_size("1MB"), Ok(1_000_000));
        assert_eq!(parse_size("4096"), Ok(4096));
        for bad in ["", "0", "-1", "2 GB!", "1.5G", "99999999999999999999", "G"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_memory("unlimited"), Ok(MemoryLimit(None)));
    }

    #[test]
    fn timeouts_are_positive_and_bounded() {
        assert_eq!(parse_seconds("1.5"), Ok(Duration::from_millis(1500)));
        for bad in ["0", "-3", "nan", "inf", "1e9", "soon"] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn words_naming_existing_paths_become_absolute() {
        let here = std::env::current_dir().unwrap();
        let command: Vec<OsString> = ["python3", "src", "--n", "no-such-file"]
            .map(OsString::from)
            .to_vec();
        let absolute = absolute_paths(&here, &command);
        assert_eq!(absolute[0], "python3");
        assert_eq!(absolute[1], here.join("src").into_os_string());
        assert_eq!(absolute[2..], command[2..]);
    }
}
