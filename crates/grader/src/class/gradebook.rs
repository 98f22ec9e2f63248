//! The gradebook: every student's verdict and points per exercise, as CSV, JSON
//! and a table for the terminal.

use std::collections::BTreeMap;

use contracts::{Exercise, Verdict};

use super::Grade;
use super::manifest::{Manifest, Plan};
use super::partition::Partition;

/// Every student's grades, and the totals.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub(super) struct Gradebook {
    exercises: Vec<(Exercise, f64)>,
    /// Each exercise's expectations applied (its defaults under the manifest's
    /// `expect`), and whether lines were strict.
    checked: BTreeMap<Exercise, (contracts::Expectations, bool)>,
    loom_weight: Option<f64>,
    /// Students in name order, each with their grade per exercise.
    students: Vec<(String, Vec<Grade>, Option<bool>)>,
}

impl Gradebook {
    pub(super) fn new(
        manifest: &Manifest,
        plan: &Plan,
        mut results: BTreeMap<(String, Exercise), Grade>,
    ) -> Self {
        let students = manifest
            .students
            .keys()
            .map(|name| {
                let grades: Vec<Grade> = plan
                    .exercises
                    .iter()
                    .map(|(ex, _)| {
                        results
                            .remove(&(name.clone(), *ex))
                            .unwrap_or_else(|| Grade::failed("not graded".into()))
                    })
                    .collect();
                let loom = grades.iter().find_map(|g| g.loom);
                (name.clone(), grades, loom)
            })
            .collect();
        let checked = plan
            .jobs
            .iter()
            .map(|job| {
                let applied = job.exercise.applied(&job.request.expect);
                (job.exercise, (applied, job.request.strict))
            })
            .collect();
        Self {
            exercises: plan.exercises.clone(),
            checked,
            loom_weight: manifest.loom.as_ref().map(|l| l.weight),
            students,
        }
    }

    /// The gradebook of the whole class from its parts' (each graded only its
    /// own share): every grade taken from the part whose share it is.
    pub(super) fn merge(parts: Vec<(Partition, Gradebook)>) -> Gradebook {
        let mut parts = parts.into_iter();
        let Some((_, mut whole)) = parts.next() else {
            unreachable!("merge is given at least one part")
        };
        // The first part's own grades stay; every other grade comes from its owner.
        // Parts of one manifest list the same students and exercises in the same
        // order, so a grade is at the same place in every part.
        for (partition, part) in parts {
            for (student, (name, grades, _)) in whole.students.iter_mut().enumerate() {
                for (exercise, (id, _)) in whole.exercises.iter().enumerate() {
                    if partition.owns(name, *id) {
                        grades[exercise] = part.students[student].1[exercise].clone();
                    }
                }
            }
        }
        for (_, grades, loom) in &mut whole.students {
            *loom = grades.iter().find_map(|g| g.loom);
        }
        whole
    }

    /// Whether every grade of `partition`'s share was given.
    pub(super) fn complete_share(&self, partition: Partition) -> bool {
        self.students.iter().all(|(name, grades, _)| {
            self.exercises
                .iter()
                .zip(grades)
                .all(|((ex, _), g)| !partition.owns(name, *ex) || g.verdict.is_some())
        })
    }

    fn max_points(&self) -> f64 {
        self.exercises.iter().map(|(_, w)| w).sum::<f64>() + self.loom_weight.unwrap_or(0.0)
    }

    fn loom_points(&self, loom: Option<bool>) -> f64 {
        match loom {
            Some(true) => self.loom_weight.unwrap_or(0.0),
            _ => 0.0,
        }
    }

    fn total(&self, grades: &[Grade], loom: Option<bool>) -> f64 {
        grades.iter().map(|g| g.points).sum::<f64>() + self.loom_points(loom)
    }

    /// Whether every grade was given (no job failed to produce a report).
    pub(super) fn complete(&self) -> bool {
        self.students
            .iter()
            .all(|(_, grades, _)| grades.iter().all(|g| g.verdict.is_some()))
    }

    pub(super) fn csv(&self) -> String {
        let mut header = vec!["student".to_owned()];
        for (ex, _) in &self.exercises {
            header.push(ex.id().to_owned());
            header.push(format!("{ex}_points"));
            header.push(format!("{ex}_summary"));
        }
        if self.loom_weight.is_some() {
            header.extend(["loom".to_owned(), "loom_points".to_owned()]);
        }
        header.extend(["total".to_owned(), "max".to_owned()]);
        let mut out = header.join(",") + "\n";
        for (name, grades, loom) in &self.students {
            let mut row = vec![csv_field(name)];
            for grade in grades {
                row.push(grade.verdict.map_or("error", Verdict::name).to_owned());
                row.push(points(grade.points));
                row.push(csv_field(&grade.summary));
            }
            if self.loom_weight.is_some() {
                row.push(loom_text(*loom).to_owned());
                row.push(points(self.loom_points(*loom)));
            }
            row.push(points(self.total(grades, *loom)));
            row.push(points(self.max_points()));
            out.push_str(&row.join(","));
            out.push('\n');
        }
        out
    }

    pub(super) fn json(&self) -> serde_json::Value {
        let exercises: serde_json::Map<String, serde_json::Value> = self
            .exercises
            .iter()
            .map(|(ex, w)| {
                let (expectations, strict) = &self.checked[ex];
                let entry = serde_json::json!({
                    "weight": w,
                    "expectations": expectations,
                    "strict": strict,
                });
                (ex.id().to_owned(), entry)
            })
            .collect();
        let students: Vec<serde_json::Value> = self
            .students
            .iter()
            .map(|(name, grades, loom)| {
                let by_exercise: serde_json::Map<String, serde_json::Value> = self
                    .exercises
                    .iter()
                    .zip(grades)
                    .map(|((ex, _), grade)| (ex.id().to_owned(), serde_json::json!(grade)))
                    .collect();
                serde_json::json!({
                    "name": name,
                    "grades": by_exercise,
                    "loom": loom,
                    "total": self.total(grades, *loom),
                })
            })
            .collect();
        serde_json::json!({
            "max": self.max_points(),
            "exercises": exercises,
            "loom_weight": self.loom_weight,
            "students": students,
        })
    }

    /// The gradebook as a table for the terminal.
    pub(super) fn table(&self) -> String {
        let mut out = format!("{:<16}", "student");
        for (ex, w) in &self.exercises {
            out.push_str(&format!(" {:<13}", format!("{ex} ({})", points(*w))));
        }
        if let Some(w) = self.loom_weight {
            out.push_str(&format!(" {:<13}", format!("loom ({})", points(w))));
        }
        out.push_str(" total\n");
        for (name, grades, loom) in &self.students {
            out.push_str(&format!("{name:<16}"));
            for grade in grades {
                out.push_str(&format!(
                    " {:<13}",
                    grade.verdict.map_or("error", Verdict::name)
                ));
            }
            if self.loom_weight.is_some() {
                out.push_str(&format!(" {:<13}", loom_text(*loom)));
            }
            out.push_str(&format!(
                " {}/{}\n",
                points(self.total(grades, *loom)),
                points(self.max_points())
            ));
        }
        for (name, grades, _) in &self.students {
            for ((ex, _), grade) in self.exercises.iter().zip(grades) {
                match grade.verdict {
                    None => out.push_str(&format!("error: {name} {ex}: {}\n", grade.summary)),
                    Some(Verdict::Missing) => {
                        out.push_str(&format!("missing: {name} {ex}: {}\n", grade.summary))
                    }
                    Some(_) => {}
                }
            }
        }
        for (ex, (expectations, strict)) in &self.checked {
            let mut pairs = expectations.words();
            if *strict {
                pairs.push("exact lines".to_owned());
            }
            if !pairs.is_empty() {
                out.push_str(&format!("{ex} checked with: {}\n", pairs.join(", ")));
            }
        }
        out
    }
}

fn loom_text(loom: Option<bool>) -> &'static str {
    match loom {
        Some(true) => "pass",
        Some(false) => "fail",
        None => "-",
    }
}

/// Points without a needless `.0`.
fn points(points: f64) -> String {
    format!("{points}")
}

/// A CSV field, quoted when it must be.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}
