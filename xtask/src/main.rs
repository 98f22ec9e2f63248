//! xtask: the kit's build tool, invoked as `cargo xtask <verb>`.
//!
//! `run-all` runs every exercise and checks its output against its contract;
//! `check` checks one captured transcript; `grade` hands its arguments to the
//! grader (`crates/grader`); `loom` runs sync-kit's model checks; `bench` runs the
//! benchmarks beside Python's figures; `races` measures how often the grader's
//! racy self-test submissions fail under each run condition; `answers` grades
//! a folder of answers with a teacher's verdicts; `notebooks` finds the
//! answers in a folder of notebooks; `mutants` runs
//! mutation testing; `ci` runs everything CI runs. The verbs live
//! in their own modules; this file only parses the command line and turns outcomes
//! into exit codes (0 success, 1 failure, 2 usage error).

mod answers;
mod bench;
mod check;
mod ci;
mod grade;
mod graded;
mod loom;
mod mutants;
mod notebooks;
mod races;
mod run_all;
mod summary;
#[cfg(test)]
mod tidy;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use contracts::{Exercise, Expectations};
use sync_kit::cli::UsageError;

fn main() -> ExitCode {
    // `grade` takes the grader's own flags, which clap here does not know: they go
    // to the grader as they are.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|verb| verb == "grade") {
        return grade::delegate(&args[2..]);
    }
    let cli = Cli::parse();
    let outcome = match cli.task {
        Task::RunAll { full, format, only } => run_all::run_all(full, format, &only),
        Task::Check {
            exercise,
            file,
            expectations,
            strict,
            list_expectations,
        } => match list_expectations {
            true => check::list_expectations(exercise),
            false => check::check(exercise, &file, expectations.into_iter().collect(), strict),
        },
        // Only reached when clap parsed `grade` itself (its arguments then had no
        // flags); it goes to the grader all the same.
        Task::Grade { args } => {
            let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
            return grade::delegate(&args);
        }
        Task::Loom => loom::loom(),
        Task::Bench { no_python, only } => bench::bench(&only, !no_python),
        Task::Ci { only, skip } => ci::ci(&only, &skip),
        Task::Mutants { files, jobs } => mutants::mutants(&files, jobs),
        Task::Races { runs, grades, only } => races::races(runs, grades, &only),
        Task::Answers { dir, repeat } => answers::answers(&dir, repeat),
        Task::Notebooks {
            dir,
            grade,
            class: None,
            repeat,
            ..
        } => notebooks::notebooks(&dir, grade, repeat),
        Task::Notebooks {
            dir,
            class: Some(students),
            exercise,
            ..
        } => notebooks::class(&dir, students, &exercise),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        // A reader that stopped reading (`| head`) needs no message.
        Err(error) if sync_kit::cli::reader_gone(error.as_ref()) => ExitCode::FAILURE,
        Err(error) if error.is::<UsageError>() || error.is::<contracts::RequestError>() => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Tasks for the concurrency exercise kit: run, check, grade and model-check the exercises.
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
        /// How the results are printed: a table, JSON, or JUnit XML.
        #[arg(long, value_enum, default_value_t = run_all::Format::Text)]
        format: run_all::Format,
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
        /// Check exact lines too: every line must be one of the contract's lines,
        /// instead of any line that states the facts (others ignored as noise).
        #[arg(long)]
        strict: bool,
        /// List the expectation keys the exercise's checker understands, then exit.
        #[arg(long)]
        list_expectations: bool,
    },
    /// Grade a submission in any language, or a class: runs the grader
    /// (`crates/grader`, installable as `concurrency-grader`) with these arguments.
    /// `cargo xtask grade --help` shows its flags.
    Grade {
        /// The grader's arguments.
        #[arg(num_args = 0.., allow_hyphen_values = true)]
        args: Vec<String>,
    },
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
    /// Mutation testing with cargo-mutants (installed on first use): each mutant
    /// changes one operator or body, and the file's package is built and tested.
    /// Reports the survivors not listed, with a reason, in mutants-equivalent.txt.
    /// Slow: minutes per file; not part of `ci`.
    Mutants {
        /// The source files to mutate; default: the primitives, the checkers and
        /// the process pool.
        #[arg(long = "file", value_name = "PATH")]
        files: Vec<PathBuf>,
        /// Mutants built and tested at once, each in its own copy of the tree.
        /// The process tests mostly wait, so 2 nearly halves their time on two
        /// cores.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=16))]
        jobs: u32,
    },
    /// How often the grader's self-test racy submissions fail under each
    /// condition its repeats can run under (with a 95 % interval), and how many
    /// default grades (the exercise's own runs and mix) catch each. Prints a
    /// table; asserts nothing. Takes about a minute per 100 runs.
    Races {
        /// Runs per submission and condition.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000))]
        runs: u32,
        /// Default grades per submission.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(0..=1000))]
        grades: u32,
        /// Measure only the submissions whose file name holds one of these
        /// (repeatable); all of them when none is given.
        #[arg(long)]
        only: Vec<String>,
    },
    /// Grade a folder of answers whose verdicts a teacher wrote down (its
    /// `expected.tsv`: exercise, file, pass|fail|either, seconds a run may take),
    /// and print how often the grader agrees. Python, JavaScript, Java, C and C++
    /// answers are run by their extension. Exits 1 on any disagreement.
    Answers {
        /// The folder holding `expected.tsv` and the answers.
        dir: PathBuf,
        /// Runs per grade; default: each exercise's own.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1000))]
        repeat: Option<u32>,
    },
    /// Find every answer a folder of real notebooks lists (its `answers.tsv`:
    /// notebook, question, exercise, answer_cells, needs_cells, teacher_verdict)
    /// as the grader's --notebook does, and print where the cells chosen differ
    /// from the listed ones, and the time it took. Exits 1 when a judged answer's
    /// cell differs (or, with --grade, its verdict).
    Notebooks {
        /// The folder holding `answers.tsv` and the notebooks.
        dir: PathBuf,
        /// Also grade each judged answer and compare with the teacher's verdict.
        #[arg(long, conflicts_with = "class")]
        grade: bool,
        /// With --grade: runs per grade; default: each exercise's own.
        #[arg(long, requires = "grade", value_parser = clap::value_parser!(u32).range(1..=1000))]
        repeat: Option<u32>,
        /// Instead, grade a class of this many students, each handed one of the
        /// notebooks in turn, and print its wall time beside the programs' own
        /// run time over the cores.
        #[arg(long, value_name = "STUDENTS", value_parser = clap::value_parser!(u64).range(1..=10000))]
        class: Option<u64>,
        /// With --class: the exercise graded.
        #[arg(long, default_value = "ex07", requires = "class")]
        exercise: String,
    },
    /// Everything CI runs: fmt check, clippy -D warnings, the workspace tests, loom
    /// and run-all, with each step's time.
    Ci {
        /// Run only these steps.
        #[arg(long, value_enum, num_args = 1.., value_name = "STEP", conflicts_with = "skip")]
        only: Vec<ci::Step>,
        /// Run every step but these.
        #[arg(long, value_enum, num_args = 1.., value_name = "STEP")]
        skip: Vec<ci::Step>,
    },
}

fn parse_expectation(text: &str) -> Result<(String, String), String> {
    Expectations::parse_pair(text).map_err(|e| e.to_string())
}

/// The workspace's root folder (xtask lives one level below it).
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}
