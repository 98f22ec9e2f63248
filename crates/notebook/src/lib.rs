//! Finding one question's answer in a student's Jupyter notebook, and assembling
//! it into a program.
//!
//! A notebook answers the course's questions in order, each after its heading.
//! [`locate`] takes the cells after question N's heading (its segment) and
//! chooses the code cell that does what an answer to N does ([`signs`]); with no
//! code cell there, the code a markdown cell of the segment holds; with no
//! heading for N (or one heading for every question at once), the code cell
//! anywhere that does what an answer to N does and answers no other question.
//! The program is the answer, after the imports and definitions it uses from
//! earlier cells, with IPython's magics made plain Python.
//!
//! ```
//! let json = br#"{"cells": [
//!   {"cell_type": "code", "source": "import math"},
//!   {"cell_type": "markdown", "source": "**Question 7**"},
//!   {"cell_type": "code", "source": "from concurrent.futures import ThreadPoolExecutor\nwith ThreadPoolExecutor() as ex:\n    print(list(ex.map(math.factorial, range(1, 11))))"}
//! ]}"#;
//! let cells = notebook::read(json).unwrap();
//! let answer = notebook::locate(&cells, 7, None).unwrap();
//! assert_eq!(answer.cells, [2]);
//! assert_eq!(answer.needs, [0]);
//! assert!(answer.program.starts_with("import math\n"));
//! ```

mod cells;
mod markdown;
mod python;
mod questions;
mod signs;

use std::collections::BTreeSet;

pub use cells::{Cell, Kind, read};

/// Why a file is no notebook this can read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NotebookError {
    /// Its text is not JSON.
    #[error("not a notebook: its text is not JSON ({0})")]
    NotJson(String),
    /// Its JSON is not a notebook's.
    #[error("not a notebook: {0}")]
    NotANotebook(String),
}

/// A question's answer, found and assembled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The cells the answer is in (0-based, as in the notebook's `cells`).
    pub cells: Vec<usize>,
    /// Earlier cells it takes imports and definitions from.
    pub needs: Vec<usize>,
    /// The program: the needed statements, then the answer.
    pub program: String,
    /// Why these cells, in words.
    pub why: String,
    /// What was changed to make it run: code lifted out of markdown, magics,
    /// prose lines.
    pub notes: Vec<String>,
    /// The answer's first line of code, to name it in a report.
    pub first_line: String,
}

/// What was looked for when no answer was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no answer to question {question}: {looked_for}")]
pub struct Missing {
    /// The question.
    pub question: u8,
    /// What was looked for, in words.
    pub looked_for: String,
}

/// Finds question `question`'s answer in `cells` (or takes cell `forced`), and
/// assembles its program.
pub fn locate(cells: &[Cell], question: u8, forced: Option<usize>) -> Result<Answer, Missing> {
    let missing = |looked_for: String| Missing {
        question,
        looked_for,
    };
    if let Some(cell) = forced {
        let chosen = cells.get(cell).ok_or_else(|| {
            missing(format!(
                "cell {cell} was asked for, but the notebook has {} cells",
                cells.len()
            ))
        })?;
        let code = source_code(chosen, chosen.source.as_str())
            .ok_or_else(|| missing(format!("cell {cell} was asked for, but it holds no code")))?;
        return Ok(assemble(
            cells,
            cell,
            code,
            format!("cell {cell}, as asked"),
            &[],
        ));
    }
    let segments = Segments::of(cells);
    let labelled: Vec<Option<usize>> = (1..=8)
        .map(|n| segments.labelled_answer(cells, n))
        .collect();
    if let Some(cell) = labelled[usize::from(question) - 1] {
        let how = segments.how(question).unwrap_or("its heading");
        let code = source_code(&cells[cell], &cells[cell].source).unwrap_or_default();
        let why = format!("the code cell after question {question}'s heading (found by {how})");
        return Ok(assemble(cells, cell, code, why, &labelled));
    }
    // No code under a heading: an answer a code cell elsewhere copies (a notebook
    // whose one markdown cell holds every question), else the markdown's own code.
    let others: BTreeSet<usize> = labelled.iter().flatten().copied().collect();
    let copied = (0..cells.len())
        .filter(|i| cells[*i].kind == Kind::Code && !others.contains(i))
        .filter_map(|i| {
            let (score, enough) = signs::score(question, &cells[i].source);
            enough.then_some((score, std::cmp::Reverse(i)))
        })
        .max()
        .map(|(_, std::cmp::Reverse(i))| i);
    if let Some(part) = segments.markdown_part(cells, question)
        && copied.is_none()
        && let Some((code, fenced)) = markdown::code(part.1)
    {
        let why = format!(
            "the code in markdown cell {} under question {question}'s heading",
            part.0
        );
        let note = match fenced {
            true => format!("code lifted out of markdown cell {} (fenced)", part.0),
            false => format!("code lifted out of markdown cell {} (no fence)", part.0),
        };
        let mut answer = assemble(cells, part.0, code, why, &labelled);
        answer.notes.insert(0, note);
        return Ok(answer);
    }
    if let Some(cell) = copied {
        let why = match segments.how(question) {
            Some(_) => format!(
                "no code under question {question}'s heading; cell {cell} does what its answer does"
            ),
            None => {
                format!("no heading for question {question}; cell {cell} does what its answer does")
            }
        };
        return Ok(assemble(
            cells,
            cell,
            cells[cell].source.clone(),
            why,
            &labelled,
        ));
    }
    Err(missing(match segments.how(question) {
        Some(how) => format!(
            "its heading was found (by {how}), but no code under it, in markdown or code, and no other cell does what its answer does"
        ),
        None => "no heading names it (`Q{question}`, `Question {question}`, its text), and no code cell does what its answer does".replace("{question}", &question.to_string()),
    }))
}

/// A cell's code: a code cell's source, or the code a markdown cell holds.
fn source_code(cell: &Cell, text: &str) -> Option<String> {
    match cell.kind {
        Kind::Code => (!text.trim().is_empty()).then(|| text.to_owned()),
        Kind::Markdown => markdown::code(text).map(|(code, _)| code),
        Kind::Raw => None,
    }
}

/// Which question each cell comes under.
struct Segments {
    markers: Vec<questions::Marker>,
    /// Per cell, the question whose segment it is in.
    of_cell: Vec<Option<u8>>,
}

impl Segments {
    fn of(cells: &[Cell]) -> Self {
        let markers = questions::markers(cells);
        let mut of_cell = vec![None; cells.len()];
        let mut current = None;
        for (index, slot) in of_cell.iter_mut().enumerate() {
            let here: BTreeSet<u8> = markers
                .iter()
                .filter(|m| m.cell == index)
                .map(|m| m.question)
                .collect();
            // One cell heading three questions or more is the question sheet:
            // what follows it answers none in particular.
            current = match here.len() {
                0 => current,
                1 | 2 => markers
                    .iter()
                    .rev()
                    .find(|m| m.cell == index)
                    .map(|m| m.question),
                _ => None,
            };
            *slot = current;
        }
        Self { markers, of_cell }
    }

    fn how(&self, question: u8) -> Option<&'static str> {
        self.markers
            .iter()
            .find(|m| m.question == question)
            .map(|m| m.how)
    }

    /// The code cell of question `n`'s segment that best does what its answer
    /// does (the first, on a tie).
    fn labelled_answer(&self, cells: &[Cell], n: u8) -> Option<usize> {
        (0..cells.len())
            .filter(|&i| self.of_cell[i] == Some(n))
            .filter(|&i| cells[i].kind == Kind::Code && !cells[i].source.trim().is_empty())
            .map(|i| {
                let (score, enough) = signs::score(n, &cells[i].source);
                (enough, score, std::cmp::Reverse(i))
            })
            .max()
            .map(|(_, _, std::cmp::Reverse(i))| i)
    }

    /// Question `n`'s part of a markdown cell: from its heading to the next
    /// question's, in the cell that holds the heading, or a markdown cell of its
    /// segment.
    fn markdown_part<'c>(&self, cells: &'c [Cell], n: u8) -> Option<(usize, &'c str)> {
        for marker in self.markers.iter().filter(|m| m.question == n) {
            let cell = &cells[marker.cell];
            if cell.kind != Kind::Markdown {
                continue;
            }
            let end = self
                .markers
                .iter()
                .filter(|m| m.cell == marker.cell && m.at > marker.at)
                .map(|m| m.at)
                .min()
                .unwrap_or(cell.source.len());
            let part = &cell.source[marker.at..end];
            if markdown::code(part).is_some() {
                return Some((marker.cell, part));
            }
        }
        (0..cells.len())
            .filter(|&i| self.of_cell[i] == Some(n) && cells[i].kind == Kind::Markdown)
            .find(|&i| markdown::code(&cells[i].source).is_some())
            .map(|i| (i, cells[i].source.as_str()))
    }
}

/// The program of the answer `code` in cell `cell`: the imports and definitions
/// it uses from earlier cells (only imports from another question's answer),
/// then the answer, magics made plain.
fn assemble(
    cells: &[Cell],
    cell: usize,
    code: String,
    why: String,
    answers: &[Option<usize>],
) -> Answer {
    let (answer, mut notes) = python::plain(&code);
    let mut missing: BTreeSet<String> = python::used(&answer)
        .difference(&python::bound(&answer))
        .cloned()
        .collect();
    let others: BTreeSet<usize> = answers
        .iter()
        .flatten()
        .copied()
        .filter(|&c| c != cell)
        .collect();
    // (cell, statement index, text), nearest cell first, gathered then sorted.
    let mut taken: Vec<(usize, usize, String)> = Vec::new();
    for earlier in (0..cell).rev() {
        if cells[earlier].kind != Kind::Code || missing.is_empty() {
            continue;
        }
        let (code, _) = python::plain(&cells[earlier].source);
        let statements = python::statements(&code);
        for (index, statement) in statements.iter().enumerate().rev() {
            let import =
                statement.text.starts_with("import ") || statement.text.starts_with("from ");
            if !statement.definition || (others.contains(&earlier) && !import) {
                continue;
            }
            if statement.binds.iter().any(|name| missing.contains(name)) {
                for name in &statement.binds {
                    missing.remove(name);
                }
                let bound = python::bound(&statement.text);
                missing.extend(python::used(&statement.text).difference(&bound).cloned());
                taken.push((earlier, index, statement.text.clone()));
            }
        }
    }
    taken.sort();
    let needs: Vec<usize> = taken
        .iter()
        .map(|(cell, _, _)| *cell)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !needs.is_empty() {
        let list: Vec<String> = needs.iter().map(usize::to_string).collect();
        notes.insert(
            0,
            format!(
                "imports and definitions taken from cell {}",
                list.join(", ")
            ),
        );
    }
    let mut program: String = taken.into_iter().map(|(_, _, text)| text).collect();
    program.push_str(&answer);
    let first_line = answer
        .lines()
        .find(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .unwrap_or("")
        .trim()
        .to_owned();
    Answer {
        cells: vec![cell],
        needs,
        program,
        why,
        notes,
        first_line,
    }
}
