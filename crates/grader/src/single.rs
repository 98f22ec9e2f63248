//! One program graded: run `repeat` times, each run contained, each transcript
//! judged, the runs added up to one verdict.
//!
//! Each run happens in a fresh scratch directory (also `TMPDIR`) under the grade's
//! [`Subreaper`], with stdin from /dev/null and the request's limits.

use std::ffi::OsString;
use std::process::Command;

use anyhow::Context;
use contracts::concurrency::Concurrency;
use contracts::{Exercise, Expectations};

use crate::UsageError;
use crate::conditions::RunCondition;
use crate::environment;
use crate::python;
use crate::report::{self, Case, Preempt, Report, RunReport};
use crate::request::Settings;
use crate::scratch::Scratch;

/// Grades `command` (whose words naming files are absolute) against `exercise`'s
/// contract.
pub(crate) fn grade_command(
    runner: &mut crate::Runner,
    exercise: Exercise,
    command: &[OsString],
    (expect, strict): (&Expectations, bool),
    settings: &Settings,
) -> anyhow::Result<Report> {
    if command.is_empty() {
        return Err(UsageError("no command to grade".into()).into());
    }
    let checker = exercise.checker_with(expect, strict)?;
    let settings = &settings.for_exercise(exercise);
    let case = run_case(
        runner,
        exercise.id().to_owned(),
        command,
        (checker.as_ref(), exercise.contract().concurrency),
        settings,
    )?
    .checked_with(exercise.applied(expect));
    Ok(Report::new(
        exercise,
        (exercise.applied(expect), strict),
        None,
        vec![case],
        None,
        settings.report(),
    ))
}

/// Runs `command` `settings.repeat` times, each in a scratch directory of its own
/// under `runner`, and judges each run with `checker`, and by the processes and
/// threads it had against the `minimum` its question needs.
pub(crate) fn run_case(
    runner: &mut crate::Runner,
    name: String,
    command: &[OsString],
    (checker, minimum): (&dyn contracts::Checker, Concurrency),
    settings: &Settings,
) -> anyhow::Result<Case> {
    let shown: Vec<String> = command
        .iter()
        .map(|word| word.to_string_lossy().into_owned())
        .collect();
    let mut runs = Vec::new();
    let mut outputs = Vec::new();
    // A bare interpreter's word is looked up once: a Python behind a version
    // manager's shim runs as the interpreter itself, which needs nothing of the
    // grader's environment.
    let program = environment::identify(&command[0]);
    let mix = match settings.conditions.is_empty() {
        true => crate::conditions::default_mix(python::runs_python(command)),
        false => &settings.conditions[..],
    };
    let start = match &program {
        Some(found) if found.resolved => OsString::from(&found.report.path),
        _ => command[0].clone(),
    };
    let mut timed_out = false;
    for (run, condition) in mix
        .iter()
        .cycle()
        .take(settings.runs() as usize)
        .enumerate()
    {
        let limits = condition.limits(settings.limits());
        let scratch = Scratch::new()?;
        let mut process = Command::new(&start);
        // Nothing that changes how the program behaves (buffering included) is
        // set beyond the pinned environment: what it prints here is what it
        // prints anywhere.
        process.args(&command[1..]).current_dir(scratch.path());
        environment::pin(&mut process, scratch.path(), &settings.env);
        let log = runner.python.prepare(&mut process, run);
        let seed = (*condition == RunCondition::Preempt)
            .then(|| settings.seed.unwrap_or_else(|| python::fresh_seed(run)));
        if let Some(seed) = seed {
            process.env(python::PREEMPT_ENV, seed.to_string());
        }
        let load = condition.start();
        let ran = runner.reaper.run_jailed(process, &limits, &runner.jail);
        drop(load);
        match ran {
            Ok(outcome) => {
                let python::Logged { work, preempted } = python::read(&log);
                let judgement = contracts::judge(&outcome, checker);
                let judgement = match settings.output_only {
                    true => judgement,
                    false => {
                        let judgement = contracts::concurrency::judge(
                            judgement,
                            outcome.tasks.as_ref(),
                            minimum,
                        );
                        contracts::work::judge(judgement, work.as_ref(), minimum)
                    }
                };
                timed_out = judgement.verdict == contracts::Verdict::Timeout;
                let mut report = RunReport::new(&outcome, &judgement).under(*condition);
                report.work = work;
                report.preempt = seed.map(|seed| Preempt {
                    seed,
                    active: preempted,
                });
                runs.push(report);
                outputs.push((
                    String::from_utf8_lossy(&outcome.stdout).into_owned(),
                    String::from_utf8_lossy(&outcome.stderr).into_owned(),
                ));
            }
            Err(error) if could_not_start(&error) => {
                runs.push(RunReport::not_started(&error).under(*condition));
                outputs.push(Default::default());
            }
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("running {}", report::shell_words(&shown)));
            }
        }
        scratch.remove();
        // A program that hung once has failed the grade: more runs would each
        // cost the whole deadline and could not make it pass.
        if timed_out {
            break;
        }
    }
    let planned = settings.runs() as usize;
    let mut case = Case::new(name, shown, runs, outputs);
    case.not_run = planned - case.runs.len();
    case.program = program.map(|found| found.report);
    Ok(case)
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
