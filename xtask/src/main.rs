//! xtask: the project's task runner, invoked as `cargo xtask <verb>`.
//!
//! `run-all` runs every exercise and checks its output against its contract;
//! `check` checks one captured transcript; `grade` grades a submission (or a class); `loom` runs sync-kit's model checks;
//! `bench` runs the benchmarks beside Python's figures; `ci` runs everything CI runs. The verbs live in their own modules; this file only
//! parses the command line and turns outcomes into exit codes (0 success, 1 failure,
//! 2 usage error).

mod bench;
mod check;
mod ci;
mod grade;
mod loom;
mod run_all;
#[cfg(test)]
mod tidy;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use test_kit::{Exercise, Expectations};

/// Tasks for the concurrency exercise kit: run, check and model-check the exercises.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Build every exercise (release), run each with a deadline, check its output
    /// against its contract, and print a table. Exits 1 if any run fails.
    RunAll {
        /// Use the course's real timings instead of fast ones (ex04 then takes ~10 s).
        #[arg(long)]
        full: bool,
        /// Run only these exercises (ex04, 4 or ex04-locked-list); default: all.
        #[arg(value_name = "EXERCISE")]
        only: Vec<Exercise>,
    },
    /// Check a captured transcript against an exercise's contract. Exits 0 when it
    /// is accepted, 1 when it is rejected (the broken rule and line on stdout),
    /// 2 on a usage error.
    Check {
        /// The exercise whose contract applies (ex04, 4 or ex04-locked-list).
        exercise: Exercise,
        /// The transcript file, or `-` for standard input.
        #[arg(value_name = "FILE|-", default_value = "-")]
        file: PathBuf,
        /// A fact about the run the checker may rely on, e.g. `--expect adds=5`.
        /// `cargo xtask check EX --list-expectations` shows an exercise's keys.
        #[arg(long = "expect", value_name = "KEY=VALUE", value_parser = parse_expectation)]
        expectations: Vec<(String, String)>,
        /// List the expectation keys the exercise's checker understands, then exit.
        #[arg(long)]
        list_expectations: bool,
    },
    /// Grade a submission in any language: run it contained (deadline, output and
    /// memory limits, nothing left running), check each run against the exercise's
    /// contract, and give one verdict. Exits 0 only on `pass`.
    Grade(Box<grade::GradeArgs>),
    /// Run sync-kit's loom model checks, negative controls included, in their own
    /// target directory. LOOM_MAX_PREEMPTIONS sets the bound (default 3).
    Loom,
    /// Run the benchmarks (release, divan) and, when python3 is present, Python's
    /// timings of the same work, one after the other. Prints numbers; asserts none.
    Bench {
        /// Skip Python's figures.
        #[arg(long)]
        no_python: bool,
        /// Only these exercises' benchmarks; default: all.
        #[arg(value_name = "EXERCISE")]
        only: Vec<Exercise>,
    },
    /// Everything CI runs: fmt check, clippy -D warnings, the workspace tests, loom
    /// and run-all, with each step's time.
    Ci,
}

pub(crate) fn parse_expectation(text: &str) -> Result<(String, String), String> {
    Expectations::parse_pair(text).map_err(|e| e.to_string())
}

/// A mistake in the command line that clap could not see: exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct UsageError(String);

/// The workspace's root folder (xtask lives one level below it).
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.task {
        Task::RunAll { full, only } => run_all::run_all(full, &only),
        Task::Check {
            exercise,
            file,
            expectations,
            list_expectations,
        } => match list_expectations {
            true => check::list_expectations(exercise),
            false => check::check(exercise, &file, expectations.into_iter().collect()),
        },
        Task::Grade(args) => grade::grade(*args),
        Task::Loom => loom::loom(),
        Task::Bench { no_python, only } => bench::bench(&only, !no_python),
        Task::Ci => ci::ci(),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) if error.is::<UsageError>() || error.is::<test_kit::UsageError>() => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
