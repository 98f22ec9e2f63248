//! `cargo xtask notebooks DIR`: finds every listed answer in a folder of real
//! notebooks and compares the cells chosen with the ones a person listed.
//!
//! `DIR/answers.tsv` lists, per notebook and question, the cells that hold the
//! answer and the earlier cells it needs (columns `notebook`, `question` as
//! `Q7`, `exercise`, `answer_cells`, `needs_cells`, `teacher_verdict`, …). For
//! each row the verb locates the answer as the grader's `--notebook` does, prints
//! each difference, and the figures: answers found in a listed cell, of all and
//! of those a teacher judged, and the time taken per notebook to find and
//! assemble. With `--grade`, each judged answer is also graded, and the verdicts
//! compared with the teacher's. Exits 1 when a judged answer's cell differs.

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use sync_kit::cli::UsageError;

use crate::graded::{release_grader, report};

/// One row of `answers.tsv`.
struct Row {
    notebook: String,
    question: u8,
    exercise: String,
    cells: BTreeSet<usize>,
    needs: BTreeSet<usize>,
    verdict: String,
}

/// Locates every listed answer (and grades the judged ones with `grade`).
pub(crate) fn notebooks(dir: &Path, grade: bool) -> anyhow::Result<bool> {
    let listing = dir.join("answers.tsv");
    let text = std::fs::read_to_string(&listing)
        .map_err(|error| UsageError(format!("cannot read {}: {error}", listing.display())))?;
    let rows = parse(&text).map_err(|why| UsageError(format!("{}: {why}", listing.display())))?;
    let grader = if grade { Some(release_grader()?) } else { None };
    let (mut found, mut judged, mut judged_found, mut agree) = (0, 0, 0, 0);
    let mut spent = Duration::ZERO;
    let mut notebooks = BTreeSet::new();
    for row in &rows {
        let path = dir.join(&row.notebook);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        notebooks.insert(&row.notebook);
        let started = Instant::now();
        let located = notebook::read(&bytes)
            .map_err(|e| e.to_string())
            .and_then(|cells| {
                notebook::locate(&cells, row.question, None).map_err(|e| e.to_string())
            });
        spent += started.elapsed();
        let is_judged = row.verdict != "unjudged";
        judged += usize::from(is_judged);
        let answer = match located {
            Ok(answer) => answer,
            Err(why) => {
                println!("  not found: {} Q{}: {why}", row.notebook, row.question);
                continue;
            }
        };
        let right = answer.cells.iter().all(|cell| row.cells.contains(cell));
        let needs: BTreeSet<usize> = answer.needs.iter().copied().collect();
        if right {
            found += 1;
            judged_found += usize::from(is_judged);
        } else {
            println!(
                "  other cell: {} Q{}: chose {:?} ({}), listed {:?}",
                row.notebook, row.question, answer.cells, answer.why, row.cells
            );
        }
        if right && needs != row.needs {
            println!(
                "  other needs: {} Q{}: took {:?}, listed {:?}",
                row.notebook, row.question, needs, row.needs
            );
        }
        if let (Some(grader), true) = (&grader, is_judged) {
            let path = std::path::absolute(&path).context("reading the working directory")?;
            let notebook_arg = format!("--notebook={}", path.display());
            let graded = report(
                grader,
                &row.exercise,
                &[notebook_arg.as_str()],
                &[] as &[&str],
                &row.notebook,
            )?;
            let verdict = graded["verdict"].as_str().unwrap_or("none");
            let agrees = match row.verdict.as_str() {
                "pass" => verdict == "pass",
                "fail" => verdict != "pass",
                _ => true,
            };
            agree += usize::from(agrees);
            if !agrees {
                println!(
                    "  disagree: {} Q{}: teacher {}, grader {verdict}",
                    row.notebook, row.question, row.verdict
                );
            }
        }
    }
    println!(
        "{}: {found}/{} answers found in a listed cell ({judged_found}/{judged} of those judged); {:.1} ms per notebook to read, find and assemble ({} notebooks)",
        dir.display(),
        rows.len(),
        spent.as_secs_f64() * 1000.0 / notebooks.len().max(1) as f64,
        notebooks.len()
    );
    if grade {
        println!("verdicts: {agree}/{judged} agree with the teacher's");
    }
    Ok(judged_found == judged && (!grade || agree == judged))
}

/// Reads `answers.tsv`.
fn parse(text: &str) -> Result<Vec<Row>, String> {
    let mut lines = text.lines().enumerate();
    let Some((_, header)) = lines.next() else {
        return Err("it is empty".into());
    };
    let columns: Vec<&str> = header.split('\t').collect();
    let column = |name: &str| {
        columns
            .iter()
            .position(|c| *c == name)
            .ok_or_else(|| format!("no `{name}` column"))
    };
    let [notebook, question, exercise, cells, needs, verdict] = [
        column("notebook")?,
        column("question")?,
        column("exercise")?,
        column("answer_cells")?,
        column("needs_cells")?,
        column("teacher_verdict")?,
    ];
    let mut rows = Vec::new();
    for (number, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let field = |at: usize| fields.get(at).copied().unwrap_or("");
        let bad = |what: &str| format!("line {}: {what}", number + 1);
        let indexes = |text: &str| -> Result<BTreeSet<usize>, String> {
            text.split(',')
                .filter(|item| !item.trim().is_empty())
                .map(|item| item.trim().parse().map_err(|_| bad("cells are numbers")))
                .collect()
        };
        rows.push(Row {
            notebook: field(notebook).to_owned(),
            question: field(question)
                .trim_start_matches('Q')
                .parse()
                .map_err(|_| bad("the question is Q1 to Q8"))?,
            exercise: field(exercise).to_owned(),
            cells: indexes(field(cells))?,
            needs: indexes(field(needs))?,
            verdict: field(verdict).to_owned(),
        });
    }
    Ok(rows)
}
