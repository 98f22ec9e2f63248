//! A notebook's cells, read from its JSON (nbformat 4, or 3's worksheets).

use serde_json::Value;

use crate::NotebookError;

/// What a cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Code, run by the kernel.
    Code,
    /// Markdown (or a heading cell of nbformat 3): prose, sometimes with code in it.
    Markdown,
    /// Raw text, never run.
    Raw,
}

/// One cell: its kind and its source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// What it is.
    pub kind: Kind,
    /// Its source, lines joined.
    pub source: String,
}

/// Reads the cells of a notebook's JSON text.
pub fn read(text: &[u8]) -> Result<Vec<Cell>, NotebookError> {
    let json: Value =
        serde_json::from_slice(text).map_err(|e| NotebookError::NotJson(e.to_string()))?;
    let Some(object) = json.as_object() else {
        return Err(NotebookError::NotANotebook(
            "its JSON is not an object".into(),
        ));
    };
    let cells = match (object.get("cells"), object.get("worksheets")) {
        (Some(cells), _) => cells,
        // nbformat 3: the cells of its first worksheet.
        (None, Some(sheets)) => sheets
            .get(0)
            .and_then(|sheet| sheet.get("cells"))
            .ok_or_else(|| NotebookError::NotANotebook("its worksheet has no cells".into()))?,
        (None, None) => {
            return Err(NotebookError::NotANotebook(
                "it has no `cells` (nor nbformat 3's `worksheets`)".into(),
            ));
        }
    };
    let Some(cells) = cells.as_array() else {
        return Err(NotebookError::NotANotebook(
            "its `cells` is not a list".into(),
        ));
    };
    cells
        .iter()
        .enumerate()
        .map(|(index, cell)| {
            let kind = match cell.get("cell_type").and_then(Value::as_str) {
                Some("code") => Kind::Code,
                Some("markdown" | "heading") => Kind::Markdown,
                Some("raw") => Kind::Raw,
                other => {
                    return Err(NotebookError::NotANotebook(format!(
                        "cell {index} has the type {other:?}, not code, markdown or raw"
                    )));
                }
            };
            // nbformat 4 says `source`, 3's code cells `input`; a string or a list of lines.
            let source = match cell.get("source").or_else(|| cell.get("input")) {
                Some(Value::String(text)) => text.clone(),
                Some(Value::Array(lines)) => lines.iter().filter_map(Value::as_str).collect(),
                None => String::new(),
                Some(_) => {
                    return Err(NotebookError::NotANotebook(format!(
                        "cell {index}'s source is neither text nor a list of lines"
                    )));
                }
            };
            Ok(Cell { kind, source })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_shapes_of_source_and_both_formats() {
        let v4 = br##"{"nbformat": 4, "cells": [
            {"cell_type": "markdown", "source": ["# Q7\n", "Write it"]},
            {"cell_type": "code", "source": "print(1)", "outputs": []}]}"##;
        let cells = read(v4).unwrap();
        assert_eq!(cells[0].source, "# Q7\nWrite it");
        assert_eq!(cells[1].kind, Kind::Code);
        let v3 = br#"{"nbformat": 3, "worksheets": [{"cells": [
            {"cell_type": "heading", "source": ["Q4"]},
            {"cell_type": "code", "input": ["import threading\n"]}]}]}"#;
        let cells = read(v3).unwrap();
        assert_eq!(cells[0].kind, Kind::Markdown);
        assert_eq!(cells[1].source, "import threading\n");
    }

    #[test]
    fn what_is_not_a_notebook_is_said() {
        assert!(matches!(
            read(b"{\"cells\": ["),
            Err(NotebookError::NotJson(_))
        ));
        assert!(matches!(
            read(b"[1, 2]"),
            Err(NotebookError::NotANotebook(_))
        ));
        assert!(matches!(
            read(b"{\"a\": 1}"),
            Err(NotebookError::NotANotebook(_))
        ));
        let bad_type = br#"{"cells": [{"cell_type": "sound", "source": ""}]}"#;
        assert!(matches!(
            read(bad_type),
            Err(NotebookError::NotANotebook(_))
        ));
    }
}
