//! A class manifest (TOML), checked and turned into one grade request per student
//! and exercise.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use contracts::Exercise;
use serde::Deserialize;

use super::Job;
use crate::UsageError;
use crate::program;
use crate::request::{Request, Settings, Submission};
use crate::units::{parse_memory, parse_seconds, parse_size};

/// A class manifest, as written in TOML.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Manifest {
    /// Limits for every grade, overriding the command line's.
    #[serde(default)]
    defaults: Overrides,
    /// By exercise id (`ex04`).
    pub(super) exercises: BTreeMap<String, ExerciseEntry>,
    /// By student name.
    pub(super) students: BTreeMap<String, Student>,
    /// A rubric item for students who hand in a Rust workspace: its loom models.
    pub(super) loom: Option<LoomEntry>,
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
    output_only: Option<bool>,
    /// Variables every run has, beyond the pinned environment; an exercise's
    /// add to (and override) the defaults'.
    env: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(super) struct ExerciseEntry {
    /// Points for a `pass`.
    #[serde(default = "one")]
    weight: f64,
    /// The command for every student, with `{dir}` (the student's folder) and
    /// `{student}` (the name) filled in.
    command: Option<Vec<String>>,
    /// Each student's Jupyter notebook, with `{dir}` and `{student}` filled in:
    /// the exercise's answer is found in it (as `--notebook` finds it), for a
    /// student with no command of their own.
    notebook: Option<String>,
    /// Facts for the checker, as `--expect` gives them.
    #[serde(default)]
    expect: BTreeMap<String, String>,
    /// Check exact lines too (`strict = true`).
    #[serde(default)]
    strict: bool,
    #[serde(flatten)]
    overrides: Overrides,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Student {
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
pub(super) struct LoomEntry {
    /// Points for passing loom models.
    #[serde(default = "one")]
    pub(super) weight: f64,
}

/// The jobs of a manifest, in the order of the gradebook.
pub(super) struct Plan {
    /// Each exercise and its weight.
    pub(super) exercises: Vec<(Exercise, f64)>,
    pub(super) jobs: Vec<Job>,
}

/// Checks the manifest and turns it into jobs: paths are taken relative to `base`
/// (the manifest's folder), and workspace builds go below `build_dir`.
pub(super) fn plan(
    manifest: &Manifest,
    base: &Path,
    settings: &Settings,
    build_dir: &Path,
) -> anyhow::Result<Plan> {
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
        // The loom item is graded once per student, with their first workspace
        // exercise.
        let mut loom = manifest.loom.is_some();
        for (id, entry) in &manifest.exercises {
            let exercise: Exercise = id.parse()?;
            // The student's own command first, then their workspace, then the
            // exercise's command.
            let template = match (own.get(&exercise), &student.workspace) {
                (Some(own), _) => Some(*own),
                (None, Some(_)) => None,
                (None, None) => entry.command.as_ref(),
            };
            let mut missing = None;
            let notebook = match (template, &student.workspace, &entry.notebook) {
                (None, None, Some(notebook)) => Some(notebook),
                _ => None,
            };
            let submission = match (template, &student.workspace) {
                (None, None) if notebook.is_some() => {
                    let dir = student
                        .dir
                        .as_ref()
                        .map_or(base.to_path_buf(), |d| base.join(d));
                    let path = notebook.map_or(String::new(), |n| {
                        n.replace("{dir}", &dir.display().to_string())
                            .replace("{student}", name)
                    });
                    let path = base.join(path);
                    if !path.is_file() {
                        missing = Some(format!("{name} has no {}", path.display()));
                    }
                    Submission::Notebook { path, cell: None }
                }
                (Some(template), _) => {
                    let dir = student
                        .dir
                        .as_ref()
                        .map_or(base.to_path_buf(), |d| base.join(d));
                    let uses_dir = template.iter().any(|word| word.contains("{dir}"));
                    if uses_dir && !dir.is_dir() {
                        missing = Some(format!("{name}'s folder {} is not there", dir.display()));
                    }
                    let dir = dir.display().to_string();
                    let words: Vec<OsString> = template
                        .iter()
                        .map(|w| w.replace("{dir}", &dir).replace("{student}", name).into())
                        .collect();
                    if words.is_empty() {
                        return Err(UsageError(format!("{name} {id}: the command is empty")).into());
                    }
                    // A word made from the student's folder names their file.
                    let absent = template.iter().zip(&words).find(|(template, word)| {
                        template.contains("{dir}") && !base.join(word).exists()
                    });
                    if let (None, Some((_, word))) = (&missing, absent) {
                        missing = Some(format!("{name} has no {}", base.join(word).display()));
                    }
                    // Relative to the manifest's folder, not to wherever grade runs.
                    // A program from the student's folder is theirs: missing is
                    // `missing`, unrunnable a crash of their run. Any other is the
                    // teacher's, and must run.
                    let program = match template[0].contains("{dir}") {
                        true => program::absolute_arguments(base, &words[..1]).remove(0),
                        false => program::find(base, &words[0])
                            .map_err(|e| UsageError(format!("{name} {id}: {}", e.0)))?,
                    };
                    let mut prepared = vec![program];
                    prepared.extend(program::absolute_arguments(base, &words[1..]));
                    Submission::Command(prepared)
                }
                (None, Some(workspace)) => {
                    let dir = base.join(workspace);
                    if !dir.is_dir() {
                        missing =
                            Some(format!("{name}'s workspace {} is not there", dir.display()));
                    }
                    Submission::Workspace {
                        dir,
                        loom: std::mem::take(&mut loom),
                        build_dir: build_dir.to_path_buf(),
                    }
                }
                (None, None) => {
                    return Err(UsageError(format!(
                        "{name} has no command for {id}: give [exercises.{id}] a command or a notebook, or [students.{name}] a commands.{id} or a workspace"
                    ))
                    .into());
                }
            };
            jobs.push(Job {
                student: name.clone(),
                exercise,
                request: Request {
                    exercise: Some(exercise),
                    submission,
                    expect: entry.expect.clone().into_iter().collect(),
                    strict: entry.strict,
                    settings: merged(settings, &manifest.defaults, &entry.overrides)?,
                },
                alone: exercise.contract().timing_sensitive,
                weight: entry.weight,
                missing,
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
            merged.repeat = Some(repeat);
        }
        if let Some(timeout) = layer.timeout {
            merged.timeout = parse_seconds(&timeout.to_string()).map_err(UsageError)?;
        }
        if let Some(memory) = &layer.memory_limit {
            merged.memory_limit = parse_memory(memory).map_err(UsageError)?.0;
        }
        if let Some(output) = &layer.output_limit {
            merged.output_limit = parse_size(output).map_err(UsageError)?;
        }
        if let Some(output_only) = layer.output_only {
            merged.output_only = output_only;
        }
        for (key, value) in layer.env.iter().flatten() {
            crate::environment::check_pair(key, value).map_err(UsageError)?;
            merged.env.insert(key.clone(), value.clone());
        }
    }
    Ok(merged)
}
