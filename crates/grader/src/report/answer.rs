//! Where a notebook's answer was found, as every report format gives it.

use serde::{Deserialize, Serialize};

/// Where a notebook's answer was found, for the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerReport {
    /// The notebook, as given.
    pub notebook: String,
    /// The cells the answer is in (0-based, as Jupyter's JSON counts them).
    pub cells: Vec<usize>,
    /// Earlier cells its imports and definitions came from.
    pub needs: Vec<usize>,
    /// Why those cells.
    pub why: String,
    /// What was changed to make them run.
    pub notes: Vec<String>,
    /// The answer's first line of code.
    pub first_line: String,
}

impl AnswerReport {
    /// `NOTEBOOK cell N (`FIRST LINE`): WHY`, as every report says it.
    pub fn describe(&self) -> String {
        let cells: Vec<String> = self.cells.iter().map(ToString::to_string).collect();
        format!(
            "{} cell {} (`{}`): {}",
            self.notebook,
            cells.join(", "),
            self.first_line,
            self.why
        )
    }
}
