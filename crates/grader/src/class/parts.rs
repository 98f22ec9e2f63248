//! The parts of a class graded on several machines, and their merge.
//!
//! Each part writes `part.json`: what identifies the grading (the manifest's text,
//! the settings, the kit's version), its share, and its gradebook, in which only
//! its own share is graded. `merge` puts the parts back together into the
//! gradebook the whole class would have given, and refuses parts that do not
//! belong together, or a missing or doubled part.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::gradebook::Gradebook;
use super::partition::Partition;
use crate::UsageError;
use crate::request::Settings;

/// The file a part writes beside its reports.
pub(super) const PART_FILE: &str = "part.json";

/// What must be the same for parts to make one gradebook.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Identity {
    /// The manifest's text, whole.
    pub(super) manifest: String,
    /// The command line's settings, before the manifest's own.
    pub(super) settings: Settings,
    /// The grader's version (and so its contracts').
    pub(super) kit_version: String,
}

/// One part's file.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Part {
    pub(super) identity: Identity,
    pub(super) partition: Partition,
    /// How the part's runs were contained on the machine it ran on.
    #[serde(default)]
    pub(super) containment: Option<String>,
    /// The class's gradebook with this part's share graded.
    pub(super) book: Gradebook,
}

/// Writes `part` to `out`.
pub(super) fn write(out: &Path, part: &Part) -> anyhow::Result<()> {
    let path = out.join(PART_FILE);
    let text = serde_json::to_string_pretty(part)? + "\n";
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
}

/// Reads the parts in `dirs`, checks that they are the N parts of one grading,
/// and merges their gradebooks; also copies each part's reports into `out`.
pub(super) fn merge(dirs: &[PathBuf], out: &Path) -> anyhow::Result<Gradebook> {
    let mut parts = Vec::new();
    for dir in dirs {
        let path = dir.join(PART_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            UsageError(format!(
                "{}: {e} (a part is the --out folder of a grade --partition K/N)",
                path.display()
            ))
        })?;
        let part: Part = serde_json::from_str(&text)
            .map_err(|e| UsageError(format!("{} is not a part: {e}", path.display())))?;
        parts.push((dir, part));
    }
    let Some((first_dir, first)) = parts.first() else {
        return Err(UsageError("name the parts to merge".into()).into());
    };
    let n = first.partition.n;
    for (dir, part) in &parts[1..] {
        let differs = |what: &str| {
            UsageError(format!(
                "{} and {} are parts of different gradings: their {what} differ",
                first_dir.display(),
                dir.display()
            ))
        };
        if part.identity.kit_version != first.identity.kit_version {
            return Err(differs("kit versions").into());
        }
        if part.identity.manifest != first.identity.manifest {
            return Err(differs("manifests").into());
        }
        if part.identity.settings != first.identity.settings {
            return Err(differs("settings").into());
        }
        if part.partition.n != n {
            return Err(differs("numbers of parts").into());
        }
    }
    let mut seen = BTreeSet::new();
    for (dir, part) in &parts {
        if !seen.insert(part.partition.k) {
            return Err(UsageError(format!(
                "part {}/{n} is given twice (again in {})",
                part.partition.k,
                dir.display()
            ))
            .into());
        }
    }
    let missing: Vec<String> = (1..=n)
        .filter(|k| !seen.contains(k))
        .map(|k| format!("{k}/{n}"))
        .collect();
    if !missing.is_empty() {
        return Err(UsageError(format!("part(s) {} missing", missing.join(", "))).into());
    }
    for (dir, part) in &parts {
        copy_reports(&dir.join("reports"), &out.join("reports"))?;
        // Machines differ: say how each part's runs were contained.
        let containment = part.containment.as_deref().unwrap_or("not recorded");
        println!(
            "part {}/{n} ({}): contained by: {containment}",
            part.partition.k,
            dir.display()
        );
    }
    let books = parts
        .into_iter()
        .map(|(_, part)| (part.partition, part.book))
        .collect();
    Ok(Gradebook::merge(books))
}

/// Copies the report folders of `from` (one per student) into `to`.
fn copy_reports(from: &Path, to: &Path) -> anyhow::Result<()> {
    let Ok(students) = std::fs::read_dir(from) else {
        return Ok(());
    };
    for student in students.flatten() {
        let target = to.join(student.file_name());
        std::fs::create_dir_all(&target)
            .with_context(|| format!("creating {}", target.display()))?;
        for report in std::fs::read_dir(student.path())?.flatten() {
            let destination = target.join(report.file_name());
            std::fs::copy(report.path(), &destination)
                .with_context(|| format!("writing {}", destination.display()))?;
        }
    }
    Ok(())
}
