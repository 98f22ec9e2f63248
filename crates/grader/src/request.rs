//! A grade request: everything one grade needs, as one typed value.
//!
//! The command line builds one ([`crate::cli`]), and a class builds one per student
//! and exercise and hands it whole to a child grader process as JSON, so a new
//! setting is added here and nowhere else.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use contracts::{Exercise, Expectations};
use runner::Limits;
use serde::{Deserialize, Serialize};

use crate::conditions::{PREEMPT_SLOWDOWN, RunCondition};
use crate::report::LimitsReport;

/// One grade: which contract, what to run, and within what limits.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Request {
    /// The exercise whose contract applies. A workspace may leave it out, to grade
    /// every exercise the kit can grade from a workspace.
    pub exercise: Option<Exercise>,
    /// What is graded.
    pub submission: Submission,
    /// Facts about the runs that the checker may rely on (`--expect KEY=VALUE`).
    pub expect: Expectations,
    /// Whether every line must also be one of the contract's exact lines.
    #[serde(default)]
    pub strict: bool,
    /// How often, and within what limits.
    pub settings: Settings,
}

/// What a grade runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Submission {
    /// A program in any language and its arguments, run as given. Words naming
    /// files are already absolute.
    Command(Vec<OsString>),
    /// A Jupyter notebook, whose answer to the exercise's question is found,
    /// assembled and run with Python.
    Notebook {
        /// The notebook (absolute).
        path: PathBuf,
        /// The cell to take instead of finding it (`--cell`).
        cell: Option<usize>,
    },
    /// A student's copy of this workspace, built and run exercise by exercise.
    Workspace {
        /// The workspace's folder (absolute).
        dir: PathBuf,
        /// Also run its loom models as a rubric item.
        loom: bool,
        /// Where its builds go: one folder per student below it.
        build_dir: PathBuf,
    },
}

/// How many runs a grade makes, and the limits of each.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// How many times the program runs; some passing and some not is `flaky`.
    /// `None`: the exercise's own number ([`Settings::for_exercise`]).
    #[serde(default)]
    pub repeat: Option<u32>,
    /// Each run's deadline; SIGKILL follows SIGTERM after a grace of one second.
    pub timeout: Duration,
    /// The memory limit of a run, or none (see `--memory-limit`).
    pub memory_limit: Option<u64>,
    /// The most stdout a run may print.
    pub output_limit: u64,
    /// The most tasks (processes and threads) a run may have alive at once, where
    /// a process cap can be had.
    #[serde(default = "default_max_processes")]
    pub max_processes: u32,
    /// How runs are contained: the strongest this machine allows, or the
    /// subreaper's sweep alone.
    #[serde(default)]
    pub containment: ContainmentChoice,
    /// Judge the output alone: no run fails for having fewer processes or threads
    /// than its question asks for.
    #[serde(default)]
    pub output_only: bool,
    /// The conditions the runs go round, one run after another; empty: the
    /// default mix for the program's language ([`crate::conditions::default_mix`]).
    #[serde(default)]
    pub conditions: Vec<RunCondition>,
    /// Variables every run has beyond the pinned environment (`--env KEY=VALUE`).
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// The seed of every `preempt` run (`--seed`); each draws its own without.
    #[serde(default)]
    pub seed: Option<u64>,
}

/// How strongly runs are contained.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum ContainmentChoice {
    /// Namespaces and control groups where the machine allows them, else the sweep.
    #[default]
    Strongest,
    /// The subreaper's sweep and rlimits only, as on a machine that allows no more.
    Sweep,
}

/// The process cap when none is given: far above what any exercise starts, far
/// below what takes a machine down.
pub const DEFAULT_MAX_PROCESSES: u32 = 512;

fn default_max_processes() -> u32 {
    DEFAULT_MAX_PROCESSES
}

/// The largest file a run may write: enough for any exercise (ex08's SVG plot is
/// kilobytes), small enough that a runaway writer cannot fill the disk.
const FILE_SIZE_LIMIT: u64 = 256 << 20;

impl Settings {
    /// The runner's limits for each run.
    pub fn limits(&self) -> Limits {
        Limits {
            deadline: self.timeout,
            output_cap: usize::try_from(self.output_limit).unwrap_or(usize::MAX),
            memory: self.memory_limit,
            file_size: Some(FILE_SIZE_LIMIT),
            ..Limits::default()
        }
    }

    /// The limits as a report states them.
    pub(crate) fn report(&self) -> LimitsReport {
        let limits = self.limits();
        LimitsReport {
            timeout_seconds: limits.deadline.as_secs_f64(),
            term_grace_seconds: limits.term_grace.as_secs_f64(),
            output_limit_bytes: limits.output_cap,
            memory_limit_bytes: limits.memory,
            max_processes: self.max_processes,
            repeat: self.runs() as usize,
        }
    }

    /// These settings for a grade of `exercise`: its own number of runs where
    /// none was asked for.
    pub(crate) fn for_exercise(&self, exercise: Exercise) -> Self {
        Self {
            repeat: Some(self.repeat.unwrap_or(exercise.contract().default_runs)),
            ..self.clone()
        }
    }

    /// How many runs a grade makes: those asked for, else the most any
    /// exercise makes by default (settings are made [`Settings::for_exercise`]
    /// before a grade runs).
    pub(crate) fn runs(&self) -> u32 {
        self.repeat.unwrap_or_else(|| {
            Exercise::ALL
                .iter()
                .map(|exercise| exercise.contract().default_runs)
                .max()
                .unwrap_or(1)
        })
    }

    /// The longest a whole grade of these settings can take, runs and grace
    /// included (a preempted run's deadline is longer).
    pub(crate) fn longest(&self) -> Duration {
        let preempt =
            self.conditions.is_empty() || self.conditions.contains(&RunCondition::Preempt);
        let deadline = match preempt {
            true => self.timeout * PREEMPT_SLOWDOWN,
            false => self.timeout,
        };
        let per_run = deadline + self.limits().term_grace + Duration::from_secs(5);
        per_run * self.runs()
    }
}
