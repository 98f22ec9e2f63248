//! The grader: a verdict on a submission, in any language, against one of the
//! exercises' contracts, that no submission can hang, flood or outlive.
//!
//! A [`Request`] says what to grade: a command run `repeat` times ([`single`]), or a
//! student's copy of the kit's workspace, built first ([`workspace`]). Each run is
//! contained by `runner::Subreaper` (deadline with a SIGTERM grace, output
//! cap, per-process memory and file-size limits, stdin from /dev/null, a fresh
//! scratch directory, and every process it started killed when it ends), judged
//! by the exercise's checker, and the runs add up to one [`Report`]. A whole class
//! is graded from a manifest into a gradebook ([`class`]). The command line
//! ([`cli`]) turns flags into one of these.

pub mod class;
pub mod cli;
pub mod conditions;
pub mod environment;
pub mod ipynb;
mod program;
mod python;
pub mod report;
pub mod request;
mod scratch;
mod single;
mod units;
mod workspace;

use anyhow::Context;
use runner::Subreaper;
use runner::jail::Jail;

pub use report::{Format, Report};
pub use request::{Request, Settings, Submission};
pub use workspace::gradable;

/// A mistake in the command line or a manifest that clap could not see: exit code 2.
pub use sync_kit::cli::UsageError;

/// Whether `error` is the caller's mistake (exit 2) rather than a failure.
pub fn is_usage_error(error: &anyhow::Error) -> bool {
    error.is::<UsageError>() || error.is::<contracts::RequestError>()
}

/// Grades what `request` asks for: one report, or one per exercise for a workspace
/// graded without naming an exercise. This process becomes the runs' subreaper,
/// which it can be once.
pub fn grade(request: &Request) -> anyhow::Result<Vec<Report>> {
    let mut runner = Runner::new(&request.settings)?;
    let mut reports = grade_with(&mut runner, request)?;
    for report in &mut reports {
        report.containment = Some(runner.jail.containment().clone());
        report.environment = Some(environment::EnvironmentReport::new(&request.settings.env));
    }
    Ok(reports)
}

/// How strongly runs are contained on this machine with `settings`, in words:
/// what a class's part records of the machine it ran on.
pub(crate) fn containment_here(settings: &Settings) -> anyhow::Result<String> {
    Ok(probe_jail(settings)?.containment().describe())
}

/// The jail runs get here with `settings`, this program as its helper.
fn probe_jail(settings: &Settings) -> anyhow::Result<Jail> {
    let helper = std::env::current_exe().context("finding the grader's own program")?;
    let strongest = settings.containment == request::ContainmentChoice::Strongest;
    Ok(Jail::probe(&helper, settings.max_processes, strongest))
}

/// What runs a grade's programs: this process as their subreaper, and the jail
/// they run in.
#[derive(Debug)]
pub(crate) struct Runner {
    pub(crate) reaper: Subreaper,
    pub(crate) jail: Jail,
    /// The module every Python run loads, to tell who did its work.
    pub(crate) python: python::PythonModule,
}

impl Runner {
    /// Claims the subreaper and finds how strongly runs can be contained here,
    /// with this program as the jail's helper.
    fn new(settings: &Settings) -> anyhow::Result<Self> {
        let reaper = Subreaper::claim().context("becoming the runs' subreaper")?;
        let jail = probe_jail(settings)?;
        let python = python::PythonModule::new().context("writing the module for Python runs")?;
        Ok(Self {
            reaper,
            jail,
            python,
        })
    }
}

/// [`grade`] with `runner`.
fn grade_with(runner: &mut Runner, request: &Request) -> anyhow::Result<Vec<Report>> {
    let named = || {
        request
            .exercise
            .ok_or_else(|| UsageError("name the exercise whose contract applies".into()))
    };
    match &request.submission {
        Submission::Command(command) => {
            let exercise = named()?;
            let report = single::grade_command(
                runner,
                exercise,
                command,
                (&request.expect, request.strict),
                &request.settings,
            )?;
            Ok(vec![report])
        }
        Submission::Notebook { path, cell } => {
            let exercise = named()?;
            let report = ipynb::grade_notebook(
                runner,
                exercise,
                (path, *cell),
                (&request.expect, request.strict),
                &request.settings,
            )?;
            Ok(vec![report])
        }
        Submission::Workspace {
            dir,
            loom,
            build_dir,
        } => {
            let exercises = match request.exercise {
                Some(exercise) => vec![exercise],
                None => gradable().collect(),
            };
            let workspace = workspace::Workspace {
                dir,
                loom: *loom,
                build_dir,
            };
            workspace::grade_workspace(
                runner,
                &workspace,
                &exercises,
                (&request.expect, request.strict),
                &request.settings,
            )
        }
    }
}
