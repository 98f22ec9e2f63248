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

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::graded::{listing, release_grader, repeat_args, report};

/// One row of `answers.tsv`.
struct Row {
    notebook: String,
    question: u8,
    exercise: String,
    cells: BTreeSet<usize>,
    needs: BTreeSet<usize>,
    verdict: String,
}

/// Grades a class of `students` students, each handed one of the folder's
/// notebooks in turn, on `exercise`, with one grade per core at once; prints the
/// wall time beside the programs' own run time divided by the cores.
pub(crate) fn class(dir: &Path, students: u64, exercise: &str) -> anyhow::Result<bool> {
    let rows = listing(dir, "answers.tsv", parse)?;
    let notebooks: BTreeSet<&str> = rows.iter().map(|row| row.notebook.as_str()).collect();
    let notebooks: Vec<&str> = notebooks.into_iter().collect();
    anyhow::ensure!(
        !notebooks.is_empty(),
        "{}/answers.tsv lists no notebook",
        dir.display()
    );
    let grader = release_grader()?;
    let class = crate::workspace_root().join("target/notebook-class");
    let _ = std::fs::remove_dir_all(&class);
    std::fs::create_dir_all(&class).context("making target/notebook-class")?;
    let source = std::path::absolute(dir).context("reading the working directory")?;
    let mut manifest = format!("[exercises.{exercise}]\nnotebook = \"{{student}}.ipynb\"\n\n");
    for s in 0..students {
        let notebook = source.join(notebooks[(s as usize) % notebooks.len()]);
        std::os::unix::fs::symlink(&notebook, class.join(format!("s{s:03}.ipynb")))
            .context("linking a student's notebook")?;
        manifest.push_str(&format!("[students.s{s:03}]\n"));
    }
    std::fs::write(class.join("class.toml"), manifest).context("writing the manifest")?;
    let cores = sync_kit::cli::cores();
    let started = Instant::now();
    let status = std::process::Command::new(&grader)
        .current_dir(&class)
        .args([
            "--class",
            "class.toml",
            "--out",
            "book",
            "--jobs",
            &cores.to_string(),
        ])
        .stdout(std::process::Stdio::null())
        .status()
        .context("running the grader")?;
    let wall = started.elapsed();
    let mut own = Duration::ZERO;
    for s in 0..students {
        let path = class.join(format!("book/reports/s{s:03}/{exercise}.json"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let report: serde_json::Value = serde_json::from_str(&text)?;
        for case in report["cases"].as_array().into_iter().flatten() {
            for run in case["runs"].as_array().into_iter().flatten() {
                own += Duration::from_secs_f64(run["seconds"].as_f64().unwrap_or(0.0));
            }
        }
    }
    let ideal = own / u32::try_from(cores).unwrap_or(1);
    println!(
        "a class of {students} notebooks on {exercise}, {cores} grades at once: {:.1} s wall; the programs' own runs {:.1} s, {:.1} s over {cores} cores; wall / that = {:.2}",
        wall.as_secs_f64(),
        own.as_secs_f64(),
        ideal.as_secs_f64(),
        wall.as_secs_f64() / ideal.as_secs_f64().max(1e-9)
    );
    Ok(status.success())
}

/// Locates every listed answer (and grades the judged ones with `grade`).
pub(crate) fn notebooks(dir: &Path, grade: bool, repeat: Option<u32>) -> anyhow::Result<bool> {
    let rows = listing(dir, "answers.tsv", parse)?;
    let grader = if grade { Some(release_grader()?) } else { None };
    let (mut found, mut judged, mut judged_found, mut agree) = (0, 0, 0, 0);
    let mut spent = Duration::ZERO;
    // Each notebook read and parsed once, for all its rows.
    let mut notebooks: BTreeMap<&str, Result<Vec<notebook::Cell>, String>> = BTreeMap::new();
    for row in &rows {
        let path = dir.join(&row.notebook);
        let cells = match notebooks.get(row.notebook.as_str()) {
            Some(cells) => cells,
            None => {
                let bytes =
                    std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
                let started = Instant::now();
                let cells = notebook::read(&bytes).map_err(|e| e.to_string());
                spent += started.elapsed();
                notebooks.entry(&row.notebook).or_insert(cells)
            }
        };
        let started = Instant::now();
        let located = match cells {
            Ok(cells) => notebook::locate(cells, row.question, None).map_err(|e| e.to_string()),
            Err(why) => Err(why.clone()),
        };
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
            let mut args = vec![notebook_arg];
            args.extend(repeat_args(repeat));
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let graded = report(grader, &row.exercise, &args, &[] as &[&str], &row.notebook)?;
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
