//! A student's notebook graded as handed in: the answer to the exercise's
//! question found and assembled (the `notebook` crate), written to a scratch
//! folder, and graded as a Python program; the report says which cells, why, and
//! what was changed to make them run. A notebook with no answer is `missing`,
//! saying what was looked for.

use std::ffi::OsString;
use std::path::Path;

use contracts::{Exercise, Expectations, Verdict};

use crate::UsageError;
use crate::report::{AnswerReport, Report};
use crate::request::Settings;
use crate::scratch::Scratch;

/// The question an exercise answers: the course numbers them alike.
fn question(exercise: Exercise) -> u8 {
    u8::try_from(exercise.number()).unwrap_or(0)
}

/// Checks that `path` is a notebook this can read: a usage error if not, for a
/// teacher who named it.
pub(crate) fn check_readable(path: &Path) -> Result<(), UsageError> {
    let bytes = std::fs::read(path)
        .map_err(|error| UsageError(format!("cannot read {}: {error}", path.display())))?;
    notebook::read(&bytes)
        .map(drop)
        .map_err(|error| UsageError(format!("{}: {error}", path.display())))
}

/// Reads and locates `exercise`'s answer in the notebook at `path` (or takes cell
/// `cell`): the answer, or why there is none (what was looked for, or why the
/// file is no notebook: in a class, the student's file).
pub(crate) fn locate(
    path: &Path,
    exercise: Exercise,
    cell: Option<usize>,
) -> Result<notebook::Answer, String> {
    let bytes = std::fs::read(path).map_err(|error| format!("cannot read it: {error}"))?;
    let cells = notebook::read(&bytes).map_err(|error| error.to_string())?;
    notebook::locate(&cells, question(exercise), cell).map_err(|missing| missing.to_string())
}

/// Grades the answer to `exercise` in the notebook at `path`.
pub(crate) fn grade_notebook(
    runner: &mut crate::Runner,
    exercise: Exercise,
    (path, cell): (&Path, Option<usize>),
    (expect, strict): (&Expectations, bool),
    settings: &Settings,
) -> anyhow::Result<Report> {
    let answer = match locate(path, exercise, cell) {
        Ok(answer) => answer,
        Err(missing) => {
            let mut report = Report::new(
                exercise,
                (exercise.applied(expect), strict),
                None,
                Vec::new(),
                None,
                settings.for_exercise(exercise).report(),
            );
            report.verdict = Verdict::Missing;
            report.summary = format!("{}: {missing}", path.display());
            return Ok(report);
        }
    };
    let folder = Scratch::new()?;
    let program = folder.path().join(format!("{}.py", exercise.id()));
    std::fs::write(&program, &answer.program)
        .map_err(|error| anyhow::anyhow!("writing the assembled program: {error}"))?;
    let command = [OsString::from("python3"), program.into_os_string()];
    let mut report =
        crate::single::grade_command(runner, exercise, &command, (expect, strict), settings)?;
    folder.remove();
    // The program was assembled in a folder now gone: name what it came from
    // (the `answer` says which cells).
    for case in &mut report.cases {
        case.command = vec!["python3".to_owned(), path.display().to_string()];
    }
    report.answer = Some(AnswerReport {
        notebook: path.display().to_string(),
        cells: answer.cells,
        needs: answer.needs,
        why: answer.why,
        notes: answer.notes,
        first_line: answer.first_line,
    });
    Ok(report)
}

/// Writes the answer to each of `exercises` in the notebook at `path` into `out`
/// as `STEM.EXNN.py`, and prints what it took for each; `Ok(false)` when an
/// answer was not found.
pub fn extract(path: &Path, out: &Path, exercises: &[Exercise]) -> anyhow::Result<bool> {
    check_readable(path)?;
    std::fs::create_dir_all(out)
        .map_err(|error| UsageError(format!("cannot make {}: {error}", out.display())))?;
    let stem = path.file_stem().map_or_else(
        || "notebook".to_owned(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    let mut all_found = true;
    for &exercise in exercises {
        match locate(path, exercise, None) {
            Ok(answer) => {
                let file = out.join(format!("{stem}.{}.py", exercise.id()));
                std::fs::write(&file, &answer.program)
                    .map_err(|error| anyhow::anyhow!("writing {}: {error}", file.display()))?;
                let cells: Vec<String> = answer.cells.iter().map(ToString::to_string).collect();
                println!(
                    "{}: {} from cell {}: {}",
                    exercise.id(),
                    file.display(),
                    cells.join(", "),
                    answer.why
                );
                for note in &answer.notes {
                    println!("  {note}");
                }
            }
            Err(missing) => {
                all_found = false;
                println!("{}: missing: {missing}", exercise.id());
            }
        }
    }
    Ok(all_found)
}
