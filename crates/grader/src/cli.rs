//! The grader's command line: its flags, checked and turned into a [`Request`] (or
//! a class to grade).
//!
//! Every flag that clap cannot check alone (one that only applies with another, a
//! missing exercise or command) is checked here, as a [`UsageError`] (exit 2).

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use contracts::{Exercise, Expectations};

use crate::conditions::RunCondition;
use crate::report::Format;
use crate::request::{ContainmentChoice, DEFAULT_MAX_PROCESSES, Request, Settings, Submission};
use crate::units::{MemoryLimit, parse_memory, parse_seconds, parse_size};
use crate::{UsageError, class};

/// Grade concurrent programs, in any language, against the exercises' contracts.
#[derive(Debug, clap::Parser)]
#[command(
    name = "concurrency-grader",
    version,
    after_long_help = "\
Examples:
  concurrency-grader ex04 -- python3 alice/ex04.py
  concurrency-grader ex04 --repeat 5 --format json -- ./bob-ex04
  concurrency-grader ex07 --workspace ../carol/ --loom
  concurrency-grader ex07 --notebook dave.ipynb
  concurrency-grader --class class.toml --jobs 4
  concurrency-grader --class class.toml --partition 2/3 --out part2
  concurrency-grader merge --out gradebook part1 part2 part3

Verdicts: pass, wrong-output, crash, timeout, output-limit, flaky, build-error,
missing (a notebook with no answer to the question).
Exit status: 0 on pass, 1 on any other verdict, 2 on a usage error; with a
platform's result format (exercism, gradescope, prairielearn, github-classroom),
0 once the result is written.
See docs/grading.md in the kit."
)]
pub struct Cli {
    /// The exercise whose contract applies (ex04, 4 or ex04-locked-list). With
    /// --workspace it may be left out to grade every exercise the kit can check.
    exercise: Option<Exercise>,
    /// Run the command this many times (1 to 1000); some passing and some not is
    /// `flaky`. Default: the exercise's own number, set from how often the
    /// racy programs its question invites failed here (docs/grading.md).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1000))]
    repeat: Option<u32>,
    /// The conditions the runs go round, so that a race shows (comma-separated):
    /// `free` (every core), `one-core` (pinned to one CPU), `load` (a busy
    /// thread per core beside it), `low-priority` (nice 19), `preempt` (for
    /// Python, random pauses in the program's own code). Run k has the k-th,
    /// round and round; the report tallies failures by condition. Default:
    /// load, free, load, low-priority; for a Python program, preempt after each.
    #[arg(long, value_enum, value_delimiter = ',')]
    conditions: Vec<RunCondition>,
    /// The seed of every `preempt` run, to replay a failing run's pauses (each
    /// report gives its runs' seeds); without it each run draws its own. Only a
    /// Python program is preempted: for another, a seed is a usage error.
    #[arg(long, value_name = "SEED")]
    seed: Option<u64>,
    /// Each run's deadline in seconds (above 0, at most 86400). The program then
    /// gets SIGTERM, and SIGKILL one second later if it is still there.
    #[arg(long, value_name = "SECONDS", default_value = "60", value_parser = parse_seconds)]
    timeout: Duration,
    /// How the report is printed. Several, comma-separated, with --out: each is
    /// written to a file of its own in that folder, from the one grade.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "text")]
    format: Vec<Format>,
    /// The memory a run may use (`2GiB`, `512MiB`, or `unlimited`): its resident
    /// memory, all its processes together, where a memory cgroup can be made (the
    /// kernel then kills the process that passes it); else the private writable
    /// memory of each process (`RLIMIT_DATA`), where a runaway allocation fails
    /// instead.
    #[arg(long, value_name = "SIZE", default_value = "2GiB", value_parser = parse_memory)]
    memory_limit: MemoryLimit,
    /// The most tasks (processes and threads together) a run may have alive at
    /// once (1 to 100000). Reaching it ends the run as a `crash`, "process limit
    /// reached". Enforced by a pids cgroup where one can be made (see
    /// --containment); else, when not root, by the user's RLIMIT_NPROC.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_PROCESSES, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    max_processes: u32,
    /// How runs are contained. `strongest`: new PID, network and mount namespaces
    /// with the grader as their init, and process and memory caps from cgroups,
    /// wherever this machine allows them (every report says what was in force);
    /// `sweep`: the subreaper's sweep and per-process rlimits only.
    #[arg(long, value_enum, default_value_t = ContainmentChoice::Strongest)]
    containment: ContainmentChoice,
    /// Judge the output alone: do not fail a run whose processes and threads,
    /// counted in its namespace, fall short of what its question asks for (two
    /// processes at once for ex03, two threads for ex07, …).
    #[arg(long)]
    output_only: bool,
    /// The most stdout a run may print (`1MiB`, `64KiB`); past it the run is killed
    /// and the verdict is `output-limit`.
    #[arg(long, value_name = "SIZE", default_value = "1MiB", value_parser = parse_size)]
    output_limit: u64,
    /// A fact about the run the checker may rely on, e.g. `--expect adds=5`
    /// (`--list-expectations` shows an exercise's keys).
    #[arg(long = "expect", value_name = "KEY=VALUE", value_parser = parse_expectation)]
    expectations: Vec<(String, String)>,
    /// A variable every run has, beyond the few every run gets on every machine
    /// (PATH, HOME and TMPDIR in its scratch folder, LANG and LC_ALL C.UTF-8);
    /// nothing else of this shell's environment reaches a run. Repeatable.
    #[arg(long = "env", value_name = "KEY=VALUE", value_parser = crate::environment::parse_pair)]
    env: Vec<(String, String)>,
    /// Check exact lines too: every line of the output must be one of the
    /// contract's lines as its page shows them, instead of any line that states
    /// the facts (other lines being ignored as noise).
    #[arg(long)]
    strict: bool,
    /// List the expectation keys the exercise's checker understands, then exit.
    #[arg(long, conflicts_with_all = ["command", "workspace", "class"])]
    list_expectations: bool,
    /// Grade a Jupyter notebook as handed in: the answer to the exercise's
    /// question is found (after its heading, else by what its code does),
    /// assembled with the imports and definitions it uses from earlier cells
    /// (code in markdown lifted out, IPython's magics made plain Python), and run
    /// with python3. The report names the cells and why; no answer is `missing`.
    #[arg(long, value_name = "FILE.ipynb", conflicts_with_all = ["command", "workspace", "class"])]
    notebook: Option<PathBuf>,
    /// With --notebook: grade this cell (0-based, as the notebook's JSON counts
    /// them) instead of finding the answer.
    #[arg(long, value_name = "N")]
    cell: Option<usize>,
    /// Grade a student's copy of the kit's workspace: build it (release), then run
    /// its exercise binaries as the kit's run-all does. A failed build is
    /// `build-error`.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["command", "class"])]
    workspace: Option<PathBuf>,
    /// With --workspace: also run the workspace's loom models, as a rubric item of
    /// their own (reported beside the verdict; a failure makes the exit status 1).
    #[arg(long)]
    loom: bool,
    /// Where workspace builds go, one folder per student inside it. Default:
    /// `$CONCURRENCY_GRADER_BUILD_DIR` if set, else `$XDG_CACHE_HOME/concurrency-grader`
    /// (or `~/.cache/concurrency-grader`).
    #[arg(long, value_name = "DIR")]
    build_dir: Option<PathBuf>,
    /// Grade a whole class from a TOML manifest (see docs/grading.md) into a
    /// gradebook; the other options become the manifest's defaults.
    #[arg(long, value_name = "MANIFEST", conflicts_with_all = ["command", "exercise"])]
    class: Option<PathBuf>,
    /// With --class: how many grades run at once (1 to 256; default: the number of
    /// cores). Exercises that measure time always run alone.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=256))]
    jobs: Option<u32>,
    /// With --class: grade only the K-th of N shares of the class (each grade's
    /// share is a hash of its student and exercise), writing part.json to --out
    /// for `concurrency-grader merge`. For grading one class on N machines.
    /// `auto` reads the share from a batch engine: CONCURRENCY_GRADER_PART_INDEX
    /// (from 0) and CONCURRENCY_GRADER_PARTS (a GitHub Actions matrix sets them),
    /// a Slurm array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT), or a
    /// Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with
    /// CONCURRENCY_GRADER_PARTS).
    #[arg(long, value_name = "K/N|auto", value_parser = parse_partition)]
    partition: Option<class::Partition>,
    /// With --class: where the gradebook (gradebook.csv, gradebook.json) and each
    /// grade's JSON report go. Default: `gradebook` beside the manifest. For one
    /// grade: where each --format is written (report.txt, report.json, junit.xml,
    /// exercism.json, gradescope.json, prairielearn.json, github-classroom.json),
    /// the text report still printed.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// One whole grade request, as JSON: how a class hands a grade to a child
    /// grader. Not for people.
    #[arg(long, hide = true, exclusive = true)]
    request: Option<String>,
    /// The submission: a program and its arguments, after `--`. The program is
    /// found as a shell finds it (a word with a `/` from here, any other on
    /// PATH); one that cannot be found or run stops the grade (exit 2). Later
    /// words naming files here are made absolute, since each run has a scratch
    /// folder of its own.
    #[arg(last = true, value_name = "CMD")]
    command: Vec<OsString>,
}

/// `concurrency-grader merge`: the gradebook of a class graded in parts.
#[derive(Debug, clap::Parser)]
#[command(
    name = "concurrency-grader merge",
    bin_name = "concurrency-grader merge",
    version,
    after_long_help = "\
Example, a class graded on three machines, then merged:
  concurrency-grader --class class.toml --partition 1/3 --out part1   # machine 1
  concurrency-grader --class class.toml --partition 2/3 --out part2   # machine 2
  concurrency-grader --class class.toml --partition 3/3 --out part3   # machine 3
  concurrency-grader merge --out gradebook part1 part2 part3

The parts must all come from the same manifest, settings and grader version, and
every part must be there exactly once."
)]
pub struct MergeCli {
    /// Where the merged gradebook (gradebook.csv, gradebook.json, reports/) goes.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The parts: the --out folders of `--class … --partition K/N`, one per K.
    #[arg(value_name = "PART", required = true)]
    parts: Vec<PathBuf>,
}

impl MergeCli {
    /// The merge it asks for.
    pub fn action(self) -> Action {
        Action::Merge {
            parts: self.parts,
            out: self.out,
        }
    }
}

/// `concurrency-grader extract`: a notebook's answers as Python programs.
#[derive(Debug, clap::Parser)]
#[command(
    name = "concurrency-grader extract",
    bin_name = "concurrency-grader extract",
    version,
    after_long_help = "\
Example, each answer of Alice's notebook as a program of its own:
  concurrency-grader extract --notebook alice.ipynb --out extracted
writes extracted/alice.ex04.py, extracted/alice.ex07.py, … for every question whose
answer it finds (as `--notebook` finds it for a grade), and says for each exercise
which cells it took and why, or what it looked for. The programs are what a
similarity checker (JPlag, Dolos) reads."
)]
pub struct ExtractCli {
    /// The notebook.
    #[arg(long, value_name = "FILE.ipynb")]
    notebook: PathBuf,
    /// Where the programs go (made if needed).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Only these exercises' answers; default: every exercise's.
    #[arg(value_name = "EXERCISE")]
    exercises: Vec<Exercise>,
}

impl ExtractCli {
    /// The extraction it asks for.
    pub fn action(self) -> Action {
        let exercises = match self.exercises.is_empty() {
            true => Exercise::ALL.to_vec(),
            false => self.exercises,
        };
        Action::Extract {
            notebook: self.notebook,
            out: self.out,
            exercises,
        }
    }
}

/// Where and how a grade's reports go.
#[derive(Debug)]
pub struct Output {
    /// The formats: one when printed, any with `folder`.
    pub formats: Vec<Format>,
    /// The folder each format is written to, as a file of its own.
    pub folder: Option<PathBuf>,
}

impl Output {
    /// One format, printed.
    fn printed(format: Format) -> Self {
        Self {
            formats: vec![format],
            folder: None,
        }
    }
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Action {
    /// Merge a class's parts into one gradebook.
    Merge {
        /// The parts' folders.
        parts: Vec<PathBuf>,
        /// Where the gradebook goes.
        out: PathBuf,
    },
    /// Write a notebook's answers as programs.
    Extract {
        /// The notebook.
        notebook: PathBuf,
        /// Where the programs go.
        out: PathBuf,
        /// The exercises whose answers are wanted.
        exercises: Vec<Exercise>,
    },
    /// Grade one submission and print its report(s) as `format`, or write them
    /// in each format to a folder.
    Grade(Request, Output),
    /// Grade a class into a gradebook.
    Class(class::ClassRequest),
    /// Print an exercise's expectation keys.
    ListExpectations(Exercise),
}

impl Cli {
    /// The action the flags ask for, or the usage error they make.
    pub fn action(self) -> anyhow::Result<Action> {
        if let Some(json) = &self.request {
            let request = serde_json::from_str(json)
                .map_err(|e| UsageError(format!("--request is not a grade request: {e}")))?;
            return Ok(Action::Grade(request, Output::printed(Format::Json)));
        }
        if self.list_expectations {
            let exercise = self.exercise.ok_or_else(|| {
                UsageError(
                    "--list-expectations needs an exercise: `--list-expectations ex04`".into(),
                )
            })?;
            return Ok(Action::ListExpectations(exercise));
        }
        let settings = Settings {
            repeat: self.repeat,
            timeout: self.timeout,
            memory_limit: self.memory_limit.0,
            output_limit: self.output_limit,
            max_processes: self.max_processes,
            containment: self.containment,
            output_only: self.output_only,
            conditions: self.conditions,
            env: self.env.into_iter().collect(),
            seed: self.seed,
        };
        let excluded = !settings.conditions.is_empty()
            && !settings.conditions.contains(&RunCondition::Preempt);
        if self.seed.is_some() && excluded {
            return Err(UsageError(
                "--seed replays `preempt` runs: give --conditions with preempt among them".into(),
            )
            .into());
        }
        let expect: Expectations = self.expectations.into_iter().collect();
        let needs = |given: bool, flag: &str, needed: bool, other: &str| match given && !needed {
            true => Err(UsageError(format!("{flag} only applies with {other}"))),
            false => Ok(()),
        };
        needs(self.loom, "--loom", self.workspace.is_some(), "--workspace")?;
        needs(
            self.jobs.is_some(),
            "--jobs",
            self.class.is_some(),
            "--class",
        )?;
        if self.format.len() > 1 && self.out.is_none() && self.class.is_none() {
            return Err(UsageError(
                "several formats are written to files: give --out DIR as well".into(),
            )
            .into());
        }
        let text_only = self.format == [Format::Text];
        needs(
            self.partition.is_some(),
            "--partition",
            self.class.is_some(),
            "--class",
        )?;
        needs(
            self.build_dir.is_some(),
            "--build-dir",
            self.class.is_some() || self.workspace.is_some(),
            "--workspace or --class",
        )?;
        needs(
            self.cell.is_some(),
            "--cell",
            self.notebook.is_some(),
            "--notebook",
        )?;
        let build_dir = std::path::absolute(self.build_dir.unwrap_or_else(default_build_dir))
            .context("reading the working directory")?;
        if let Some(manifest) = self.class {
            if !expect.is_empty() {
                return Err(UsageError(
                    "with --class, give expectations in the manifest: [exercises.EX] expect = { … }".into(),
                )
                .into());
            }
            if !text_only {
                return Err(UsageError(
                    "--format applies to one grade; --class writes its gradebook as CSV and JSON, and each grade's report as JSON".into(),
                )
                .into());
            }
            return Ok(Action::Class(class::ClassRequest {
                manifest,
                out: self.out,
                jobs: self
                    .jobs
                    .map_or_else(sync_kit::cli::cores, |jobs| jobs as usize),
                settings,
                build_dir,
                partition: self.partition,
            }));
        }
        let submission = match (self.workspace, self.notebook) {
            (_, Some(path)) => {
                if self.exercise.is_none() {
                    return Err(UsageError(
                        "name the exercise whose answer to grade: `concurrency-grader ex07 --notebook alice.ipynb`".into(),
                    )
                    .into());
                }
                crate::ipynb::check_readable(&path)?;
                Submission::Notebook {
                    path: std::path::absolute(path).context("reading the working directory")?,
                    cell: self.cell,
                }
            }
            (Some(dir), None) => {
                if self.exercise.is_none() && !text_only {
                    return Err(UsageError(
                        "--format json, junit and exercism give one exercise's report: name the exercise".into(),
                    )
                    .into());
                }
                Submission::Workspace {
                    dir: std::path::absolute(dir).context("reading the working directory")?,
                    loom: self.loom,
                    build_dir,
                }
            }
            (None, None) => {
                if self.exercise.is_none() {
                    return Err(UsageError(
                        "name the exercise: `concurrency-grader EX -- CMD…` (or use --workspace, --notebook or --class)".into(),
                    )
                    .into());
                }
                if self.command.is_empty() {
                    return Err(UsageError(
                        "no command to grade: give it after `--`, e.g. `concurrency-grader ex04 -- python3 ex04.py`".into(),
                    )
                    .into());
                }
                let here = std::env::current_dir().context("reading the working directory")?;
                let command = crate::program::prepare(&here, &self.command)?;
                // Only a Python program is preempted: a seed would replay nothing.
                if self.seed.is_some() && !crate::python::runs_python(&command) {
                    return Err(UsageError(
                        "--seed replays the pauses of `preempt` runs, which only a Python program gets; this program is not one".into(),
                    )
                    .into());
                }
                Submission::Command(command)
            }
        };
        let request = Request {
            exercise: self.exercise,
            submission,
            expect,
            strict: self.strict,
            settings,
        };
        let output = Output {
            formats: self.format,
            folder: self.out,
        };
        Ok(Action::Grade(request, output))
    }
}

/// The environment variable that names the build folder when `--build-dir` does
/// not; the kit's `cargo xtask grade` sets it to the kit's `target/grade`.
pub const BUILD_DIR_ENV: &str = "CONCURRENCY_GRADER_BUILD_DIR";

/// Where workspace builds go unless `--build-dir` says: [`BUILD_DIR_ENV`], or else
/// the user's cache folder, so that a second grade of the same student builds only
/// what changed.
fn default_build_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(BUILD_DIR_ENV).filter(|dir| !dir.is_empty()) {
        return PathBuf::from(dir);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    cache.join("concurrency-grader")
}

/// `--expect KEY=VALUE`.
fn parse_expectation(text: &str) -> Result<(String, String), String> {
    Expectations::parse_pair(text).map_err(|e| e.to_string())
}

/// `K/N` as a [`class::Partition`], or `auto`: the share a batch engine gives
/// this process, from its variables.
fn parse_partition(text: &str) -> Result<class::Partition, String> {
    match text.trim() {
        "auto" => class::Partition::from_engine(|name| std::env::var(name).ok())
            .map(|(partition, _)| partition),
        _ => text.parse(),
    }
}
