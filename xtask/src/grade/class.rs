//! `cargo xtask grade --class MANIFEST`: a whole class, graded in parallel into a
//! gradebook.
//!
//! The manifest (TOML, see docs/grading.md) lists exercises (weight, command
//! template, expectations) and students (a folder, per-exercise commands, or a Rust
//! workspace). Each student × exercise is one *job*: this same program started as
//! `grade … --format json`, so every job is a separate process and its own
//! subreaper, and a job that misbehaves cannot disturb another. Jobs run `--jobs` at
//! a time; exercises that measure time run afterwards, one at a time. The gradebook
//! (CSV and JSON) gives each student's verdict and points per exercise.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use test_kit::run::{Ending, Limits, Subreaper};
use test_kit::{Exercise, Verdict};

use super::report::Report;
use super::{Settings, absolute_paths, parse_memory, parse_seconds, parse_size};
use crate::UsageError;

/// A class manifest, as written in TOML.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    /// Limits for every grade, overriding the command line's.
    #[serde(default)]
    defaults: Overrides,
    /// By exercise id (`ex04`).
    exercises: BTreeMap<String, ExerciseEntry>,
    /// By student name.
    students: BTreeMap<String, Student>,
    /// A rubric item for students who hand in a Rust workspace: its loom models.
    loom: Option<LoomEntry>,
}

/// Settings that a manifest may give for all grades or for one exercise.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Overrides {
    repeat: Option<u32>,
    /// Seconds.
    timeout: Option<f64>,
    memory_limit: Option<String>,
    output_limit: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ExerciseEntry {
    /// Points for a `pass`.
    #[serde(default = "one")]
    weight: f64,
    /// The command for every student, with `{dir}` (the student's folder) and
    /// `{student}` (the name) filled in.
    command: Option<Vec<String>>,
    /// Facts for the checker, as `--expect` gives them.
    #[serde(default)]
    expect: BTreeMap<String, String>,
    #[serde(flatten)]
    overrides: Overrides,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Student {
    /// The student's folder, relative to the manifest: `{dir}` in commands.
    dir: Option<PathBuf>,
    /// Commands by exercise id, replacing the exercise's template.
    #[serde(default)]
    commands: BTreeMap<String, Vec<String>>,
    /// A Rust copy of this workspace, relative to the manifest: built and graded
    /// with `--workspace` for every exercise the student has no own command for.
    workspace: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LoomEntry {
    #[serde(default = "one")]
    weight: f64,
}

/// One student × exercise grade to run.
#[derive(Debug)]
struct Job {
    student: String,
    exercise: Exercise,
    /// The arguments of `xtask` for this grade.
    args: Vec<OsString>,
    /// Its exercise measures time: run it with nothing else running.
    alone: bool,
    /// The points a pass earns.
    weight: f64,
    /// The longest the grade may take, after which it is stopped as broken.
    deadline: Duration,
}

/// What became of one job.
#[derive(Debug, Clone, Serialize)]
struct Grade {
    verdict: Option<Verdict>,
    points: f64,
    summary: String,
    /// The loom rubric item's result, for workspace students when the manifest has one.
    loom: Option<bool>,
    /// The grade's report, relative to the gradebook folder.
    report: Option<String>,
}

/// Grades the class in `manifest`; `Ok(true)` when every grade could be given (the
/// verdicts themselves are the gradebook's business, not the exit status's).
pub(crate) fn grade_class(
    manifest: &Path,
    out: Option<&Path>,
    jobs: usize,
    settings: &Settings,
) -> anyhow::Result<bool> {
    let text = std::fs::read_to_string(manifest)
        .map_err(|e| UsageError(format!("cannot read {}: {e}", manifest.display())))?;
    let parsed: Manifest =
        toml::from_str(&text).map_err(|e| UsageError(format!("{}: {e}", manifest.display())))?;
    let base = match manifest.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let base = std::path::absolute(&base)?;
    let plan = plan(&parsed, &base, settings)?;
    let out = out.map_or_else(|| base.join("gradebook"), Path::to_path_buf);
    std::fs::create_dir_all(out.join("reports"))
        .with_context(|| format!("creating {}", out.display()))?;

    // Anything a crashed grade left behind is re-parented here, and swept at the end.
    let mut reaper = Subreaper::claim().context("becoming the grades' subreaper")?;
    let results = run_jobs(&plan.jobs, jobs, &out);
    reaper.sweep().context("sweeping after the grades")?;

    let book = Gradebook::new(&parsed, &plan, results);
    std::fs::write(out.join("gradebook.csv"), book.csv())?;
    std::fs::write(
        out.join("gradebook.json"),
        serde_json::to_string_pretty(&book.json())? + "\n",
    )?;
    print!("{}", book.table());
    println!("gradebook: {}", out.join("gradebook.csv").display());
    Ok(book.complete())
}

/// The jobs of a manifest, in the order of the gradebook.
struct Plan {
    exercises: Vec<(Exercise, f64)>,
    jobs: Vec<Job>,
}

/// Checks the manifest and turns it into jobs.
fn plan(manifest: &Manifest, base: &Path, settings: &Settings) -> anyhow::Result<Plan> {
    let mut exercises = Vec::new();
    for (id, entry) in &manifest.exercises {
        let exercise: Exercise = id.parse()?;
        // Fails early, as a usage error, on an exercise without a checker or on
        // expectations it does not understand.
        exercise.checker(&entry.expect.clone().into_iter().collect())?;
        if !(entry.weight.is_finite() && entry.weight >= 0.0) {
            return Err(UsageError(format!("{id}: weight must be a number ≥ 0")).into());
        }
        if exercises.iter().any(|(seen, _)| *seen == exercise) {
            return Err(UsageError(format!("{exercise} is listed twice (as `{id}` too)")).into());
        }
        exercises.push((exercise, entry.weight));
    }
    if exercises.is_empty() || manifest.students.is_empty() {
        return Err(UsageError("the manifest lists no exercises or no students".into()).into());
    }
    let mut jobs = Vec::new();
    for (name, student) in &manifest.students {
        // The student's own commands, by exercise however the manifest spells it.
        let mut own = BTreeMap::new();
        for (key, command) in &student.commands {
            let exercise: Exercise = key.parse()?;
            if !exercises.iter().any(|(listed, _)| *listed == exercise) {
                return Err(UsageError(format!(
                    "{name} has a command for {exercise}, which the manifest's [exercises] does not list"
                ))
                .into());
            }
            own.insert(exercise, command);
        }
        for (id, entry) in &manifest.exercises {
            let exercise: Exercise = id.parse()?;
            let limits = merged(settings, &manifest.defaults, &entry.overrides)?;
            let mut args: Vec<OsString> = vec![
                "grade".into(),
                exercise.id().into(),
                "--format".into(),
                "json".into(),
                "--repeat".into(),
                limits.repeat.to_string().into(),
                "--timeout".into(),
                format!("{}", limits.limits.deadline.as_secs_f64()).into(),
                "--memory-limit".into(),
                limits
                    .limits
                    .memory
                    .map_or("unlimited".into(), |m| m.to_string())
                    .into(),
                "--output-limit".into(),
                limits.limits.output_cap.to_string().into(),
            ];
            for (key, value) in &entry.expect {
                args.extend(["--expect".into(), format!("{key}={value}").into()]);
            }
            let dir = student.dir.as_ref().map(|d| base.join(d));
            // The student's own command first, then their workspace, then the
            // exercise's command.
            let template = match (own.get(&exercise), &student.workspace) {
                (Some(own), _) => Some(*own),
                (None, Some(_)) => None,
                (None, None) => entry.command.as_ref(),
            };
            let per_run =
                limits.limits.deadline + limits.limits.term_grace + Duration::from_secs(5);
            let mut deadline = per_run * limits.repeat as u32 + Duration::from_secs(30);
            match (template, &student.workspace) {
                (Some(template), _) => {
                    let dir_text = dir
                        .as_ref()
                        .unwrap_or(&base.to_path_buf())
                        .display()
                        .to_string();
                    let words: Vec<OsString> = template
                        .iter()
                        .map(|w| {
                            w.replace("{dir}", &dir_text)
                                .replace("{student}", name)
                                .into()
                        })
                        .collect();
                    if words.is_empty() {
                        return Err(UsageError(format!("{name} {id}: the command is empty")).into());
                    }
                    args.push("--".into());
                    // Relative to the manifest's folder, not to wherever grade runs.
                    args.extend(absolute_paths(base, &words));
                }
                (None, Some(workspace)) => {
                    args.extend(["--workspace".into(), base.join(workspace).into()]);
                    // The loom item is graded once per student, with their first
                    // workspace exercise.
                    let graded = jobs
                        .iter()
                        .any(|j: &Job| j.student == *name && j.args.iter().any(|a| a == "--loom"));
                    if manifest.loom.is_some() && !graded {
                        args.push("--loom".into());
                    }
                    // A build and loom models come first: allow for them.
                    deadline += Duration::from_secs(60 * 60);
                }
                (None, None) => {
                    return Err(UsageError(format!(
                        "{name} has no command for {id}: give [exercises.{id}] a command, or [students.{name}] a commands.{id} or a workspace"
                    ))
                    .into());
                }
            }
            jobs.push(Job {
                student: name.clone(),
                exercise,
                args,
                alone: exercise.contract().is_some_and(|c| c.timing_sensitive),
                weight: entry.weight,
                deadline,
            });
        }
    }
    Ok(Plan { exercises, jobs })
}

/// The command line's settings, overridden by the manifest's defaults, then by the
/// exercise's own.
fn merged(settings: &Settings, defaults: &Overrides, own: &Overrides) -> anyhow::Result<Settings> {
    let mut merged = settings.clone();
    for layer in [defaults, own] {
        if let Some(repeat) = layer.repeat {
            if !(1..=1000).contains(&repeat) {
                return Err(UsageError(format!("repeat = {repeat}: give 1 to 1000")).into());
            }
            merged.repeat = repeat as usize;
        }
        if let Some(timeout) = layer.timeout {
            merged.limits.deadline = parse_seconds(&timeout.to_string()).map_err(UsageError)?;
        }
        if let Some(memory) = &layer.memory_limit {
            merged.limits.memory = parse_memory(memory).map_err(UsageError)?.0;
        }
        if let Some(output) = &layer.output_limit {
            let bytes = parse_size(output).map_err(UsageError)?;
            merged.limits.output_cap = usize::try_from(bytes).unwrap_or(usize::MAX);
        }
    }
    Ok(merged)
}

/// Runs the jobs, `parallel` at a time and the timing-sensitive ones alone after
/// the rest; each result by (student, exercise).
fn run_jobs(jobs: &[Job], parallel: usize, out: &Path) -> BTreeMap<(String, Exercise), Grade> {
    let progress = Progress::new(jobs.len());
    let results = Mutex::new(BTreeMap::new());
    let (together, alone): (Vec<&Job>, Vec<&Job>) = jobs.iter().partition(|job| !job.alone);
    for (batch, width) in [(together, parallel), (alone, 1)] {
        let queue = Mutex::new(batch.into_iter());
        std::thread::scope(|scope| {
            for _ in 0..width.max(1) {
                scope.spawn(|| {
                    loop {
                        let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                        let Some(job) = next else { break };
                        let started = Instant::now();
                        let grade = run_job(job, out);
                        progress.finished(job, &grade, started.elapsed());
                        results
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .insert((job.student.clone(), job.exercise), grade);
                    }
                });
            }
        });
    }
    progress.done();
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// Runs one job (a `grade --format json` of this program) and reads its report.
fn run_job(job: &Job, out: &Path) -> Grade {
    let failed = |summary: String| Grade {
        verdict: None,
        points: 0.0,
        summary,
        loom: None,
        report: None,
    };
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return failed(format!("cannot find the grader: {e}")),
    };
    let mut command = Command::new(exe);
    command.args(&job.args);
    let limits = Limits {
        deadline: job.deadline,
        output_cap: 256 << 20,
        ..Limits::default()
    };
    let outcome = match test_kit::run::run(command, &limits) {
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
        return failed("the grade printed no report".into());
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

/// Every student's grades, and the totals.
struct Gradebook {
    exercises: Vec<(Exercise, f64)>,
    loom_weight: Option<f64>,
    /// Students in name order, each with their grade per exercise.
    students: Vec<(String, Vec<Grade>, Option<bool>)>,
}

impl Gradebook {
    fn new(
        manifest: &Manifest,
        plan: &Plan,
        mut results: BTreeMap<(String, Exercise), Grade>,
    ) -> Self {
        let students = manifest
            .students
            .keys()
            .map(|name| {
                let grades: Vec<Grade> = plan
                    .exercises
                    .iter()
                    .map(|(ex, _)| {
                        results.remove(&(name.clone(), *ex)).unwrap_or(Grade {
                            verdict: None,
                            points: 0.0,
                            summary: "not graded".into(),
                            loom: None,
                            report: None,
                        })
                    })
                    .collect();
                let loom = grades.iter().find_map(|g| g.loom);
                (name.clone(), grades, loom)
            })
            .collect();
        Self {
            exercises: plan.exercises.clone(),
            loom_weight: manifest.loom.as_ref().map(|l| l.weight),
            students,
        }
    }

    fn max_points(&self) -> f64 {
        self.exercises.iter().map(|(_, w)| w).sum::<f64>() + self.loom_weight.unwrap_or(0.0)
    }

    fn loom_points(&self, loom: Option<bool>) -> f64 {
        match loom {
            Some(true) => self.loom_weight.unwrap_or(0.0),
            _ => 0.0,
        }
    }

    fn total(&self, grades: &[Grade], loom: Option<bool>) -> f64 {
        grades.iter().map(|g| g.points).sum::<f64>() + self.loom_points(loom)
    }

    /// Whether every grade was given (no job failed to produce a report).
    fn complete(&self) -> bool {
        self.students
            .iter()
            .all(|(_, grades, _)| grades.iter().all(|g| g.verdict.is_some()))
    }

    fn csv(&self) -> String {
        let mut header = vec!["student".to_owned()];
        for (ex, _) in &self.exercises {
            header.push(ex.id().to_owned());
            header.push(format!("{ex}_points"));
        }
        if self.loom_weight.is_some() {
            header.extend(["loom".to_owned(), "loom_points".to_owned()]);
        }
        header.extend(["total".to_owned(), "max".to_owned()]);
        let mut out = header.join(",") + "\n";
        for (name, grades, loom) in &self.students {
            let mut row = vec![csv_field(name)];
            for grade in grades {
                row.push(grade.verdict.map_or("error", Verdict::name).to_owned());
                row.push(points(grade.points));
            }
            if self.loom_weight.is_some() {
                row.push(loom_text(*loom).to_owned());
                row.push(points(self.loom_points(*loom)));
            }
            row.push(points(self.total(grades, *loom)));
            row.push(points(self.max_points()));
            out.push_str(&row.join(","));
            out.push('\n');
        }
        out
    }

    fn json(&self) -> serde_json::Value {
        let exercises: serde_json::Map<String, serde_json::Value> = self
            .exercises
            .iter()
            .map(|(ex, w)| (ex.id().to_owned(), serde_json::json!({ "weight": w })))
            .collect();
        let students: Vec<serde_json::Value> = self
            .students
            .iter()
            .map(|(name, grades, loom)| {
                let by_exercise: serde_json::Map<String, serde_json::Value> = self
                    .exercises
                    .iter()
                    .zip(grades)
                    .map(|((ex, _), grade)| (ex.id().to_owned(), serde_json::json!(grade)))
                    .collect();
                serde_json::json!({
                    "name": name,
                    "grades": by_exercise,
                    "loom": loom,
                    "total": self.total(grades, *loom),
                })
            })
            .collect();
        serde_json::json!({
            "max": self.max_points(),
            "exercises": exercises,
            "loom_weight": self.loom_weight,
            "students": students,
        })
    }

    /// The gradebook as a table for the terminal.
    fn table(&self) -> String {
        let mut out = format!("{:<16}", "student");
        for (ex, w) in &self.exercises {
            out.push_str(&format!(" {:<13}", format!("{ex} ({})", points(*w))));
        }
        if let Some(w) = self.loom_weight {
            out.push_str(&format!(" {:<13}", format!("loom ({})", points(w))));
        }
        out.push_str(" total\n");
        for (name, grades, loom) in &self.students {
            out.push_str(&format!("{name:<16}"));
            for grade in grades {
                out.push_str(&format!(
                    " {:<13}",
                    grade.verdict.map_or("error", Verdict::name)
                ));
            }
            if self.loom_weight.is_some() {
                out.push_str(&format!(" {:<13}", loom_text(*loom)));
            }
            out.push_str(&format!(
                " {}/{}\n",
                points(self.total(grades, *loom)),
                points(self.max_points())
            ));
        }
        for (name, grades, _) in &self.students {
            for ((ex, _), grade) in self.exercises.iter().zip(grades) {
                if grade.verdict.is_none() {
                    out.push_str(&format!("error: {name} {ex}: {}\n", grade.summary));
                }
            }
        }
        out
    }
}

fn loom_text(loom: Option<bool>) -> &'static str {
    match loom {
        Some(true) => "pass",
        Some(false) => "fail",
        None => "-",
    }
}

/// Points without a needless `.0`.
fn points(points: f64) -> String {
    format!("{points}")
}

/// A CSV field, quoted when it must be.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
