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
