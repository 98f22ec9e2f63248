//! The registered runs: how run-all and the grader's `--workspace` mode run each
//! exercise, fast or with the course's real timings, and what its checker may then
//! expect of the output.

use std::time::Duration;

use crate::{Exercise, Expectations};

/// One registered run of an exercise, in its fast and its full form.
#[derive(Debug)]
pub struct Run {
    /// What the table calls it: the exercise id, or the id and a variant.
    pub label: &'static str,
    /// The exercise it runs.
    pub exercise: Exercise,
    /// The default: seconds in all.
    pub fast: Invocation,
    /// `--full`: the course's real timings or sizes.
    pub full: Invocation,
}

/// How to run an exercise once, and what its checker may then expect.
#[derive(Debug)]
pub struct Invocation {
    /// The binary's arguments.
    pub args: &'static [&'static str],
    /// Facts about this run for the checker, e.g. the counts that `args` ask for.
    pub expect: &'static [(&'static str, &'static str)],
    /// How long the run may take before it is killed as hung.
    pub deadline: Duration,
}

impl Invocation {
    /// [`Invocation::expect`] as the checker takes it.
    pub fn expectations(&self) -> Expectations {
        self.expect
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }
}

/// Every registered run, in course order.
pub const RUNS: &[Run] = &[
    Run {
        label: "ex01",
        exercise: Exercise::Ex01,
        fast: Invocation {
            args: &["--quick", "--repeat", "1"],
            expect: &[("python", "no")],
            deadline: Duration::from_secs(20),
        },
        full: Invocation {
            args: &["--repeat", "3", "--python"],
            expect: &[],
            deadline: Duration::from_secs(120),
        },
    },
    Run {
        label: "ex02",
        exercise: Exercise::Ex02,
        fast: Invocation {
            args: &["--workers", "2"],
            expect: &[],
            deadline: Duration::from_secs(15),
        },
        full: Invocation {
            args: &["--workers", "8"],
            expect: &[],
            deadline: Duration::from_secs(30),
        },
    },
    Run {
        label: "ex03",
        exercise: Exercise::Ex03,
        fast: Invocation {
            args: &[],
            expect: &[("limit", "4000"), ("ranges", "4")],
            deadline: Duration::from_secs(10),
        },
        full: Invocation {
            args: &["--workers", "4"],
            expect: &[("limit", "4000"), ("ranges", "4")],
            deadline: Duration::from_secs(30),
        },
    },
    Run {
        // The benchmark's workload: primes below 2,000,000 in 64 ranges on 2 processes.
        label: "ex03 2M",
        exercise: Exercise::Ex03,
        fast: Invocation {
            args: &["--limit", "2000000", "--ranges", "64", "--workers", "2"],
            expect: &[("limit", "2000000"), ("ranges", "64")],
            deadline: Duration::from_secs(20),
        },
        full: Invocation {
            args: &["--limit", "20000000", "--ranges", "256", "--workers", "2"],
            expect: &[("limit", "20000000"), ("ranges", "256")],
            deadline: Duration::from_secs(120),
        },
    },
    Run {
        label: "ex04",
        exercise: Exercise::Ex04,
        fast: Invocation {
            args: &["--add-every", "10", "--remove-every", "20"],
            expect: &[("adds", "5"), ("removes", "5"), ("order", "fifo")],
            deadline: Duration::from_secs(10),
        },
        full: Invocation {
            args: &[],
            expect: &[("adds", "5"), ("removes", "5"), ("order", "fifo")],
            deadline: Duration::from_secs(30),
        },
    },
    Run {
        // Intervals of 0: the threads contend for the lock as hard as they can.
        label: "ex04 contended",
        exercise: Exercise::Ex04,
        fast: Invocation {
            args: &[
                "--adds",
                "200",
                "--removes",
                "250",
                "--add-every",
                "0",
                "--remove-every",
                "0",
            ],
            expect: &[("adds", "200"), ("removes", "250"), ("order", "fifo")],
            deadline: Duration::from_secs(10),
        },
        full: Invocation {
            args: &[
                "--adds",
                "2000",
                "--removes",
                "2500",
                "--add-every",
                "0",
                "--remove-every",
                "0",
            ],
            expect: &[("adds", "2000"), ("removes", "2500"), ("order", "fifo")],
            deadline: Duration::from_secs(30),
        },
    },
    Run {
        label: "ex05",
        exercise: Exercise::Ex05,
        fast: Invocation {
            args: &[],
            expect: &[],
            deadline: Duration::from_secs(10),
        },
        full: Invocation {
            args: &["--increments", "1000000"],
            expect: &[],
            deadline: Duration::from_secs(30),
        },
    },
    Run {
        label: "ex06",
        exercise: Exercise::Ex06,
        fast: Invocation {
            args: &[],
            expect: &[],
            deadline: Duration::from_secs(10),
        },
        full: Invocation {
            // Tighter limits: the supervisor gives up after 2 restarts, and the
            // overrunning tasks are cut at 20 ms.
            args: &["--restarts", "2", "--timeout", "20"],
            expect: &[],
            deadline: Duration::from_secs(30),
        },
    },
    Run {
        label: "ex07",
        exercise: Exercise::Ex07,
        fast: Invocation {
            args: &["--as-completed"],
            expect: &[("upto", "10")],
            deadline: Duration::from_secs(10),
        },
        full: Invocation {
            args: &["--upto", "2000", "--as-completed"],
            expect: &[("upto", "2000")],
            deadline: Duration::from_secs(30),
        },
    },
    Run {
        label: "ex07 rayon",
        exercise: Exercise::Ex07,
        fast: Invocation {
            args: &["--upto", "300", "--engine", "rayon", "--workers", "2"],
            expect: &[("upto", "300")],
            deadline: Duration::from_secs(10),
        },
        full: Invocation {
            args: &["--upto", "2000", "--engine", "rayon", "--workers", "2"],
            expect: &[("upto", "2000")],
            deadline: Duration::from_secs(30),
        },
    },
    Run {
        label: "ex08",
        exercise: Exercise::Ex08,
        fast: Invocation {
            args: &["--sizes", "2,4,8", "--detail", "--repeat", "3"],
            expect: &[("sizes", "2,4,8")],
            deadline: Duration::from_secs(10),
        },
        full: Invocation {
            args: &["--sizes", "2,4,8", "--detail", "--repeat", "21"],
            expect: &[("sizes", "2,4,8")],
            deadline: Duration::from_secs(30),
        },
    },
];

/// The registered runs of `exercise`.
pub fn of(exercise: Exercise) -> impl Iterator<Item = &'static Run> {
    RUNS.iter().filter(move |run| run.exercise == exercise)
}

/// Output cap for the runs: generous, since a contended ex04 prints long lists.
pub const OUTPUT_CAP: usize = 64 << 20;
