//! A class graded on several machines: `--partition K/N` grades the K-th of N
//! shares of the class's grades, and `merge` puts the parts back together into
//! the gradebook the whole class would have given.
//!
//! A grade's share is a hash of its student and exercise, so adding a student adds
//! grades to the shares without moving anyone else's. Each part writes
//! `part.json`: what identifies the grading (the manifest's text, the settings,
//! the kit's version), its share, and its gradebook, in which only its own share
//! is graded. `merge` refuses parts that do not belong together, or a missing or
//! doubled part.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::Context;
use contracts::Exercise;
use serde::{Deserialize, Serialize};

use super::gradebook::Gradebook;
use crate::UsageError;
use crate::request::Settings;

/// The file a part writes beside its reports.
pub(super) const PART_FILE: &str = "part.json";

/// The K-th of N shares of a class (K from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partition {
    /// Which share, from 1.
    pub k: u32,
    /// Of how many.
    pub n: u32,
}

impl FromStr for Partition {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let usage = || format!("`{text}`: give K/N, the K-th of N shares, with 1 ≤ K ≤ N ≤ 1000");
        let (k, n) = text.split_once('/').ok_or_else(usage)?;
        let (k, n): (u32, u32) = (
            k.trim().parse().map_err(|_| usage())?,
            n.trim().parse().map_err(|_| usage())?,
        );
        match 1 <= k && k <= n && n <= 1000 {
            true => Ok(Self { k, n }),
            false => Err(usage()),
        }
    }
}

impl Partition {
    /// Whether the grade of `student` on `exercise` is this share's.
    pub(super) fn owns(self, student: &str, exercise: Exercise) -> bool {
        share(student, exercise, self.n) == self.k
    }
}

/// The share (1 to `n`) of a grade: FNV-1a over the student's name and the
/// exercise's id, the same on every machine and in every version of Rust.
fn share(student: &str, exercise: Exercise, n: u32) -> u32 {
    let bytes = student.bytes().chain([0]).chain(exercise.id().bytes());
    let hash = bytes.fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % u64::from(n)) as u32 + 1
}

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
    for (dir, _) in &parts {
        copy_reports(&dir.join("reports"), &out.join("reports"))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_are_k_of_n() {
        assert_eq!("2/3".parse(), Ok(Partition { k: 2, n: 3 }));
        assert_eq!(" 1 / 1 ".parse(), Ok(Partition { k: 1, n: 1 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "1/1001", ""] {
            assert!(bad.parse::<Partition>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_grade_has_exactly_one_share_and_the_shares_are_spread() {
        let students: Vec<String> = (0..300).map(|i| format!("student{i}")).collect();
        let mut counts = [0usize; 3];
        for student in &students {
            for exercise in [Exercise::Ex03, Exercise::Ex04, Exercise::Ex07] {
                let owners: Vec<u32> = (1..=3)
                    .filter(|&k| Partition { k, n: 3 }.owns(student, exercise))
                    .collect();
                assert_eq!(owners.len(), 1, "{student} {exercise}");
                counts[owners[0] as usize - 1] += 1;
            }
        }
        // 900 grades in 3 shares: each near 300.
        assert!(
            counts.iter().all(|&c| (250..=350).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn a_share_depends_only_on_its_student_and_exercise() {
        // Fixed values: the same on every machine, so parts graded apart agree.
        assert_eq!(share("alice", Exercise::Ex04, 1), 1);
        let alice = share("alice", Exercise::Ex04, 7);
        assert_eq!(alice, share("alice", Exercise::Ex04, 7));
        assert_ne!(
            (1..=7)
                .map(|n| share("alice", Exercise::Ex04, n))
                .collect::<Vec<_>>(),
            (1..=7)
                .map(|n| share("bob", Exercise::Ex04, n))
                .collect::<Vec<_>>(),
        );
    }
}
