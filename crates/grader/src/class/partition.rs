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
