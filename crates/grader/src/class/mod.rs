//! `--class MANIFEST`: a whole class, graded in parallel into a gradebook.
//!
//! The [`manifest`] (TOML, see docs/grading.md) lists exercises (weight, command
//! template, expectations) and students (a folder, per-exercise commands, or a Rust
//! workspace), and becomes one [`Request`] per student × exercise: a *job*. Each
//! job runs as a child grader process that receives its request whole
//! ([`jobs`]), so every job is its own subreaper and one that misbehaves cannot
//! disturb another. Jobs run `--jobs` at a time; exercises that measure time run
//! afterwards, one at a time. The [`gradebook`] (CSV and JSON) gives each
//! student's verdict and points per exercise.

mod gradebook;
mod jobs;
mod manifest;
mod partition;
mod parts;

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context;
use contracts::{Exercise, Verdict};
use runner::Subreaper;
use serde::Serialize;

use crate::UsageError;
use crate::request::{Request, Settings};
use gradebook::Gradebook;
use manifest::Manifest;
pub use partition::Partition;

/// A class to grade, as the command line gives it.
#[derive(Debug)]
pub struct ClassRequest {
    /// The manifest's path.
    pub manifest: PathBuf,
    /// Where the gradebook goes; `gradebook` beside the manifest by default.
    pub out: Option<PathBuf>,
    /// How many grades run at once.
    pub jobs: usize,
    /// Settings for every grade, before the manifest's own.
    pub settings: Settings,
    /// Where workspace students' builds go.
    pub build_dir: PathBuf,
    /// Grade only this share of the class, for `merge` to put together.
    pub partition: Option<Partition>,
}

/// One student × exercise grade to run.
#[derive(Debug)]
struct Job {
    student: String,
    exercise: Exercise,
    /// What the child grader is asked to do.
    request: Request,
    /// Its exercise measures time: run it with nothing else running.
    alone: bool,
    /// The points a pass earns.
    weight: f64,
    /// Why there is nothing to grade (the student's folder or file is not there).
    missing: Option<String>,
}

/// What became of one job.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
struct Grade {
    verdict: Option<Verdict>,
    points: f64,
    summary: String,
    /// The loom rubric item's result, for workspace students when the manifest has one.
    loom: Option<bool>,
    /// The grade's report, relative to the gradebook folder.
    report: Option<String>,
}

impl Grade {
    /// A student who handed nothing in for the job: `missing`, and why.
    fn missing(summary: String) -> Self {
        Self {
            verdict: Some(Verdict::Missing),
            ..Self::failed(summary)
        }
    }

    /// A job that gave no verdict, and why.
    fn failed(summary: String) -> Self {
        Self {
            verdict: None,
            points: 0.0,
            summary,
            loom: None,
            report: None,
        }
    }
}

/// Grades the class; `Ok(true)` when every grade could be given (the verdicts
/// themselves are the gradebook's business, not the exit status's).
pub fn grade_class(class: &ClassRequest) -> anyhow::Result<bool> {
    let manifest = &class.manifest;
    let text = std::fs::read_to_string(manifest)
        .map_err(|e| UsageError(format!("cannot read {}: {e}", manifest.display())))?;
    let parsed: Manifest =
        toml::from_str(&text).map_err(|e| UsageError(format!("{}: {e}", manifest.display())))?;
    let base = match manifest.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let base = std::path::absolute(&base)?;
    let plan = manifest::plan(&parsed, &base, &class.settings, &class.build_dir)?;
    let out = class
        .out
        .as_ref()
        .map_or_else(|| base.join("gradebook"), PathBuf::clone);
    std::fs::create_dir_all(out.join("reports"))
        .with_context(|| format!("creating {}", out.display()))?;

    // Anything a crashed grade left behind is re-parented here, and swept at the end.
    let mut reaper = Subreaper::claim().context("becoming the grades' subreaper")?;
    sync_kit::process::interrupt::watch_twice().context("watching for Ctrl-C")?;
    let share: Vec<&Job> = plan
        .jobs
        .iter()
        .filter(|job| {
            class
                .partition
                .is_none_or(|p| p.owns(&job.student, job.exercise))
        })
        .collect();
    let results = jobs::run_jobs(share, class.jobs, &out);
    reaper
        .sweep_after(std::time::Duration::from_secs(2))
        .context("sweeping after the grades")?;
    if sync_kit::process::interrupt::received().is_some() {
        eprintln!(
            "interrupted: the gradebook holds the {} grade(s) finished; the others say `not graded`",
            results.len()
        );
    }

    let book = Gradebook::new(&parsed, &plan, results);
    if let Some(partition) = class.partition {
        let complete = book.complete_share(partition);
        let part = parts::Part {
            identity: parts::Identity {
                manifest: text,
                settings: class.settings.clone(),
                kit_version: env!("CARGO_PKG_VERSION").to_owned(),
            },
            partition,
            containment: Some(crate::containment_here(&class.settings)?),
            book,
        };
        parts::write(&out, &part)?;
        writeln!(
            std::io::stdout().lock(),
            "part {}/{} of the class: {}",
            partition.k,
            partition.n,
            out.join(parts::PART_FILE).display()
        )
        .context("writing where the part went")?;
        return Ok(complete);
    }
    publish(&book, &out)
}

/// Merges the parts in `parts` (each the `--out` of a `--partition K/N` grade)
/// into the gradebook of the whole class in `out`; `Ok(true)` when every grade
/// was given.
pub fn merge(parts: &[PathBuf], out: &Path) -> anyhow::Result<bool> {
    std::fs::create_dir_all(out.join("reports"))
        .with_context(|| format!("creating {}", out.display()))?;
    let book = parts::merge(parts, out)?;
    publish(&book, out)
}

/// Writes `book` into `out` as CSV and JSON, and prints its table.
fn publish(book: &Gradebook, out: &Path) -> anyhow::Result<bool> {
    write(&out.join("gradebook.csv"), &book.csv())?;
    write(
        &out.join("gradebook.json"),
        &(serde_json::to_string_pretty(&book.json())? + "\n"),
    )?;
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "{}gradebook: {}",
        book.table(),
        out.join("gradebook.csv").display()
    )
    .context("writing the gradebook's table")?;
    Ok(book.complete())
}

fn write(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}
