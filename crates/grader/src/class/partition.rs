//! A class graded on several machines: `--partition K/N` grades the K-th of N
//! shares of the class's grades ([`Partition`]).
//!
//! A grade's share is a hash of its student and exercise, so adding a student adds
//! grades to the shares without moving anyone else's; `parts.rs` writes each
//! part and merges them.

use std::str::FromStr;

use contracts::Exercise;
use serde::{Deserialize, Serialize};

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

/// The grader's own variables: the 0-based index of this part and how many
/// parts there are (a GitHub Actions matrix sets them from `strategy.job-index`
/// and `strategy.job-total`; a Kubernetes Indexed Job's count comes from the
/// second).
pub(super) const PART_INDEX_ENV: &str = "CONCURRENCY_GRADER_PART_INDEX";
/// How many parts (see [`PART_INDEX_ENV`]).
pub(super) const PARTS_ENV: &str = "CONCURRENCY_GRADER_PARTS";

impl Partition {
    /// The share a batch engine gives this process, read from `var` (the
    /// environment), for `--partition auto`, with the engine's name: the
    /// grader's own variables, a Slurm array, or a Kubernetes Indexed Job, tried
    /// in that order.
    ///
    /// # Errors
    ///
    /// None of them is there, or what is there is not a share.
    pub fn from_engine(
        var: impl Fn(&str) -> Option<String>,
    ) -> Result<(Self, &'static str), String> {
        let number = |name: &str| -> Result<Option<u32>, String> {
            var(name)
                .filter(|text| !text.trim().is_empty())
                .map(|text| {
                    text.trim()
                        .parse()
                        .map_err(|_| format!("{name}={text} is not a whole number"))
                })
                .transpose()
        };
        let share = |index: u32, count: Option<u32>, count_name: &str, engine: &'static str| {
            let n = count.ok_or_else(|| {
                format!("{engine}: the index is set, but not {count_name}, the number of parts")
            })?;
            match index < n && n <= 1000 {
                true => Ok((Self { k: index + 1, n }, engine)),
                false => Err(format!(
                    "{engine}: part index {index} of {n} parts is not one of them (0 to {})",
                    n.saturating_sub(1)
                )),
            }
        };
        if let Some(index) = number(PART_INDEX_ENV)? {
            return share(
                index,
                number(PARTS_ENV)?,
                PARTS_ENV,
                "the grader's variables",
            );
        }
        if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
            // Arrays may start anywhere (`--array=1-4`): the share is counted from the first.
            let first = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
            let index = id.checked_sub(first).ok_or_else(|| {
                format!("a Slurm array: task {id} is below the array's first, {first}")
            })?;
            let count = number("SLURM_ARRAY_TASK_COUNT")?;
            return share(index, count, "SLURM_ARRAY_TASK_COUNT", "a Slurm array");
        }
        if let Some(index) = number("JOB_COMPLETION_INDEX")? {
            return share(
                index,
                number(PARTS_ENV)?,
                PARTS_ENV,
                "a Kubernetes Indexed Job",
            );
        }
        Err(format!(
            "--partition auto found no part: set {PART_INDEX_ENV} and {PARTS_ENV} (a GitHub Actions matrix), or run it as a Slurm array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with {PARTS_ENV})"
        ))
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        }
    }

    #[test]
    fn each_engine_gives_its_share() {
        let found = |pairs: &[(&str, &str)]| Partition::from_engine(env(pairs));
        assert_eq!(
            found(&[(PART_INDEX_ENV, "0"), (PARTS_ENV, "3")]),
            Ok((Partition { k: 1, n: 3 }, "the grader's variables"))
        );
        assert_eq!(
            found(&[
                ("SLURM_ARRAY_TASK_ID", "4"),
                ("SLURM_ARRAY_TASK_MIN", "1"),
                ("SLURM_ARRAY_TASK_COUNT", "4")
            ]),
            Ok((Partition { k: 4, n: 4 }, "a Slurm array"))
        );
        assert_eq!(
            found(&[
                ("SLURM_ARRAY_TASK_ID", "0"),
                ("SLURM_ARRAY_TASK_COUNT", "2")
            ]),
            Ok((Partition { k: 1, n: 2 }, "a Slurm array"))
        );
        assert_eq!(
            found(&[("JOB_COMPLETION_INDEX", "2"), (PARTS_ENV, "3")]),
            Ok((Partition { k: 3, n: 3 }, "a Kubernetes Indexed Job"))
        );
        // The grader's own variables win over an engine's.
        assert_eq!(
            found(&[
                (PART_INDEX_ENV, "1"),
                (PARTS_ENV, "2"),
                ("JOB_COMPLETION_INDEX", "0")
            ])
            .map(|(p, _)| p),
            Ok(Partition { k: 2, n: 2 })
        );
    }

    #[test]
    fn a_missing_count_or_an_index_past_it_is_said() {
        let found = |pairs: &[(&str, &str)]| Partition::from_engine(env(pairs));
        assert!(found(&[]).unwrap_err().contains("found no part"));
        assert!(
            found(&[("JOB_COMPLETION_INDEX", "0")])
                .unwrap_err()
                .contains(PARTS_ENV)
        );
        assert!(
            found(&[(PART_INDEX_ENV, "3"), (PARTS_ENV, "3")])
                .unwrap_err()
                .contains("not one of them")
        );
        assert!(
            found(&[("SLURM_ARRAY_TASK_ID", "x")])
                .unwrap_err()
                .contains("not a whole number")
        );
        assert!(
            found(&[
                ("SLURM_ARRAY_TASK_ID", "0"),
                ("SLURM_ARRAY_TASK_MIN", "1"),
                ("SLURM_ARRAY_TASK_COUNT", "2")
            ])
            .is_err()
        );
    }

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
