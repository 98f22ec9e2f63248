//! `cargo xtask run-all`: every exercise, run for real and checked against its contract.
//!
//! [`RUNS`] registers how each exercise is run: the arguments for a fast run (the
//! default, seconds in all) and for the course's real timings (`--full`), what the
//! checker may expect of such a run, and a deadline. The binaries are built once, in
//! release; each run goes through `test_kit::run`, so a hang is killed at its
//! deadline and no exercise process outlives run-all.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Context;
use test_kit::cargo::{Profile, build_binaries};
use test_kit::run::{self, Limits};
use test_kit::{Exercise, Expectations, Verdict, judge};

use crate::{UsageError, workspace_root};

/// One registered run of an exercise, in its fast and its full form.
#[derive(Debug)]
pub(crate) struct Run {
    /// What the table calls it: the exercise id, or the id and a variant.
    pub(crate) label: &'static str,
    pub(crate) exercise: Exercise,
    /// The default: seconds in all.
    pub(crate) fast: Invocation,
    /// `--full`: the course's real timings or sizes.
    pub(crate) full: Invocation,
}

/// How to run an exercise once, and what its checker may then expect.
#[derive(Debug)]
pub(crate) struct Invocation {
    pub(crate) args: &'static [&'static str],
    /// Facts about this run for the checker, e.g. the counts that `args` ask for.
    pub(crate) expect: &'static [(&'static str, &'static str)],
    pub(crate) deadline: Duration,
}

impl Invocation {
    pub(crate) fn expectations(&self) -> Expectations {
        self.expect
            .iter()
            .map(|&(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }
}

/// Every registered run, in course order.
pub(crate) const RUNS: &[Run] = &[
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
        // Design §9's row: primes below 2,000,000 in 64 ranges on 2 processes.
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
            expect: &[("adds", "5"), ("removes", "5")],
            deadline: Duration::from_secs(10),
        },
        full: Invocation {
            args: &[],
            expect: &[("adds", "5"), ("removes", "5")],
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
            expect: &[("adds", "200"), ("removes", "250")],
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
            expect: &[("adds", "2000"), ("removes", "2500")],
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

/// Output cap for the runs: generous, since a contended ex04 prints long lists.
pub(crate) const OUTPUT_CAP: usize = 64 << 20;

/// Runs the registered runs of `only` (all when empty); `Ok(true)` when all pass.
pub(crate) fn run_all(full: bool, only: &[Exercise]) -> anyhow::Result<bool> {
    let runs: Vec<&Run> = RUNS
        .iter()
        .filter(|run| only.is_empty() || only.contains(&run.exercise))
        .collect();
    if runs.is_empty() {
        let names: Vec<String> = only.iter().map(ToString::to_string).collect();
        return Err(UsageError(format!("no registered runs for {} yet", names.join(", "))).into());
    }
    let mut packages: Vec<&str> = runs.iter().map(|run| run.exercise.package()).collect();
    packages.sort_unstable();
    packages.dedup();
    eprintln!("building {} in release…", packages.join(", "));
    let binaries = build_binaries(&workspace_root(), &packages, Profile::Release)?;

    println!("{:<16} {:<13} {:>9}  detail", "exercise", "verdict", "wall");
    let started = Instant::now();
    let mut failures = Vec::new();
    for run in runs {
        let invocation = if full { &run.full } else { &run.fast };
        let checker = run.exercise.checker(&invocation.expectations())?;
        let binary = &binaries[run.exercise.package()];
        let mut command = std::process::Command::new(binary);
        command.args(invocation.args);
        let outcome = run::run(
            command,
            &Limits {
                deadline: invocation.deadline,
                output_cap: OUTPUT_CAP,
                ..Limits::default()
            },
        )
        .with_context(|| format!("running {}", binary.display()))?;
        let judgement = judge(&outcome, checker.as_ref());
        println!(
            "{:<16} {:<13} {:>7.2} s  {}",
            run.label,
            judgement.verdict,
            outcome.elapsed.as_secs_f64(),
            judgement.detail.lines().next().unwrap_or("")
        );
        if judgement.verdict != Verdict::Pass {
            failures.push((run.label, invocation.args, judgement.detail.clone()));
        }
    }
    println!(
        "{} failed, {:.2} s in all",
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    let left = left_running(binaries.values().map(PathBuf::as_path));
    if !left.is_empty() {
        println!("\nleft running after the runs (a bug: every process must be gone):");
        for (pid, program) in &left {
            println!("  pid {pid}: {}", program.display());
        }
    }
    for (label, args, detail) in &failures {
        println!("\n{label} ({}) failed:\n{detail}", args.join(" "));
    }
    Ok(failures.is_empty() && left.is_empty())
}

/// The processes, other than zombies of ours, still running one of `programs`:
/// an exercise or a pool worker that outlived its run. A process gone by the time
/// it is looked at does not count.
fn left_running<'a>(programs: impl Iterator<Item = &'a Path>) -> Vec<(u32, PathBuf)> {
    let programs: Vec<PathBuf> = programs.filter_map(|p| p.canonicalize().ok()).collect();
    let mut left = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Ok(exe) = std::fs::read_link(entry.path().join("exe"))
            && programs.contains(&exe)
        {
            left.push((pid, exe));
        }
    }
    left
}
