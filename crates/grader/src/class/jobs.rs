//! Running a class's jobs: each a child grader process handed its request whole,
//! `--jobs` at a time, with progress on a terminal.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use contracts::{Exercise, Verdict};
use runner::{Ending, Limits};
use sync_kit::process::interrupt;

use super::{Grade, Job};
use crate::report::Report;
use crate::request::{Request, Submission};

/// Runs the jobs, `parallel` at a time and the timing-sensitive ones alone after
/// the rest; each result by (student, exercise).
pub(super) fn run_jobs(
    jobs: Vec<&Job>,
    parallel: usize,
    out: &Path,
) -> BTreeMap<(String, Exercise), Grade> {
    let progress = Progress::new(jobs.len());
    let results = Mutex::new(BTreeMap::new());
    let (together, alone): (Vec<&Job>, Vec<&Job>) = jobs.into_iter().partition(|job| !job.alone);
    for (batch, width) in [(together, parallel), (alone, 1)] {
        let queue = Mutex::new(batch.into_iter());
        let workers_done = AtomicUsize::new(0);
        let width = width.max(1);
        std::thread::scope(|scope| {
            for _ in 0..width {
                scope.spawn(|| {
                    while interrupt::received().is_none() {
                        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                        let Some(job) = next else { break };
                        let started = Instant::now();
                        let grade = run_job(job, out);
                        // A grade stopped by the second Ctrl-C was not given.
                        if stopped() && grade.verdict.is_none() {
                            continue;
                        }
                        progress.finished(job, &grade, started.elapsed());
                        results
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .insert((job.student.clone(), job.exercise), grade);
                    }
                    workers_done.fetch_add(1, Ordering::SeqCst);
                });
            }
            scope.spawn(|| {
                stop_on_second_interrupt(|| workers_done.load(Ordering::SeqCst) == width)
            });
        });
    }
    progress.done();
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// Whether a second Ctrl-C (or SIGTERM) asked for the grades running to stop.
fn stopped() -> bool {
    interrupt::count() >= 2
}

/// Until `finished` says the workers are done: once a second Ctrl-C comes, ends
/// every grade running (each child grader's SIGTERM ends it, and its runs with
/// it), again at each look, so that none started at that moment is missed.
fn stop_on_second_interrupt(finished: impl Fn() -> bool) {
    while !finished() {
        if stopped() {
            let _ = runner::signal_children(runner::Signal::TERM);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs one job (this program, handed the job's request) and reads its report.
fn run_job(job: &Job, out: &Path) -> Grade {
    if let Some(why) = &job.missing {
        return Grade::missing(why.clone());
    }
    let failed = Grade::failed;
    let request = match serde_json::to_string(&job.request) {
        Ok(request) => request,
        Err(e) => return failed(format!("the grade request could not be written: {e}")),
    };
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return failed(format!("cannot find the grader: {e}")),
    };
    let mut command = Command::new(exe);
    command.arg("--request").arg(request);
    let limits = Limits {
        deadline: deadline(&job.request),
        output_cap: 256 << 20,
        ..Limits::default()
    };
    let outcome = match runner::run(command, &limits) {
        Ok(outcome) => outcome,
        Err(e) => return failed(format!("the grade could not run: {e}")),
    };
    if !matches!(outcome.ending, Ending::Exited(0 | 1)) {
        let why = outcome.stderr_tail(3);
        return failed(format!(
            "the grade itself failed ({:?}): {why}",
            outcome.ending
        ));
    }
    let reports: Vec<Report> = match serde_json::Deserializer::from_slice(&outcome.stdout)
        .into_iter()
        .collect()
    {
        Ok(reports) => reports,
        Err(e) => return failed(format!("the grade's report is not JSON: {e}")),
    };
    let Some(report) = reports.into_iter().next() else {
        return failed(format!(
            "the grade printed no report: {}",
            outcome.stderr_tail(3)
        ));
    };
    let relative = format!("reports/{}/{}.json", safe_name(&job.student), job.exercise);
    let saved = std::fs::create_dir_all(out.join("reports").join(safe_name(&job.student)))
        .and_then(|()| std::fs::write(out.join(&relative), &outcome.stdout));
    Grade {
        verdict: Some(report.verdict),
        points: if report.verdict == Verdict::Pass {
            job.weight
        } else {
            0.0
        },
        summary: report.summary.clone(),
        loom: report.loom.as_ref().map(|loom| loom.passed),
        report: saved.is_ok().then_some(relative),
    }
}

/// The longest a job may take, after which it is stopped as broken: its runs, and
/// an hour more for a workspace's build and loom models.
fn deadline(request: &Request) -> Duration {
    let build = match request.submission {
        Submission::Workspace { .. } => Duration::from_secs(60 * 60),
        Submission::Command(_) | Submission::Notebook { .. } => Duration::ZERO,
    };
    request.settings.longest() + Duration::from_secs(30) + build
}

/// A student's name as a file name: letters, digits, `-`, `_` and `.` kept.
fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The progress of a class: a bar on a terminal, a line per grade otherwise.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    done: Mutex<usize>,
}

impl Progress {
    fn new(total: usize) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{elapsed_precise} [{bar:30}] {pos}/{len} {wide_msg}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        Self {
            bar,
            total,
            done: Mutex::new(0),
        }
    }

    fn finished(&self, job: &Job, grade: &Grade, took: Duration) {
        let verdict = grade.verdict.map_or("error", Verdict::name);
        let line = format!(
            "{} {}: {verdict} ({:.1} s)",
            job.student,
            job.exercise,
            took.as_secs_f64()
        );
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        *done += 1;
        match &self.bar {
            Some(bar) => {
                bar.set_message(line);
                bar.inc(1);
            }
            None => eprintln!("[{}/{}] {line}", *done, self.total),
        }
    }

    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
