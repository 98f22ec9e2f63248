//! `cargo xtask races [--runs N]`: how often the self-test's racy submissions
//! fail under each of the grader's conditions, and how many default grades catch
//! them, so that the mix and each exercise's runs are chosen from numbers measured
//! here.
//!
//! Each racy submission (`tests/submissions/racy/`) is graded `N` times under one
//! condition at a time, then given `G` default grades (the exercise's own number
//! of runs, over the default mix for its language), by the grader built in
//! release; the table gives failures per runs with the rate's 95 % interval, and
//! the default grades that caught the race. Prints numbers, asserts none.

use crate::graded::{interpreter, release_grader, report};
use crate::workspace_root;

/// A racy submission: its exercise, its file, and what its race is.
struct Racy {
    exercise: &'static str,
    file: &'static str,
    race: &'static str,
}

const RACY: &[Racy] = &[
    Racy {
        exercise: "ex07",
        file: "ex07_global_product.py",
        race: "`*=` on a global",
    },
    Racy {
        exercise: "ex07",
        file: "ex07_list_element.py",
        race: "`*=` on a list element",
    },
    Racy {
        exercise: "ex07",
        file: "ex07_temp_variable.py",
        race: "read into a temporary, then write",
    },
    Racy {
        exercise: "ex07",
        file: "ex07_call_between.py",
        race: "a call between read and write",
    },
    Racy {
        exercise: "ex07",
        file: "ex07_method.py",
        race: "a method's `self.value *= i`",
    },
    Racy {
        exercise: "ex07",
        file: "ex07_lost_update.py",
        race: "loses updates to a shared list",
    },
    Racy {
        exercise: "ex04",
        file: "ex04_check_then_act.py",
        race: "acts on a stale check of the list",
    },
    Racy {
        exercise: "ex04",
        file: "ex04_course_shape.py",
        race: "prints after its lock, 10 items, naps",
    },
    Racy {
        exercise: "ex04",
        file: "ex04_print_outside_lock.py",
        race: "prints outside its lock, 200 items",
    },
    Racy {
        exercise: "ex07",
        file: "ex07_workers_print.py",
        race: "workers print in pieces, no lock",
    },
    Racy {
        exercise: "ex03",
        file: "ex03_shared_position.py",
        race: "`Value += 1` without get_lock()",
    },
    Racy {
        exercise: "ex03",
        file: "ex03_unbuffered.py",
        race: "writes a line's text and newline apart",
    },
];

/// The conditions measured one by one.
const CONDITIONS: &[&str] = &["free", "one-core", "load", "low-priority", "preempt"];

/// Measures and prints the table; `Ok(false)` if a grade could not be given.
pub(crate) fn races(runs: u32, grades: u32, only: &[String]) -> anyhow::Result<bool> {
    let root = workspace_root();
    let grader = release_grader()?;
    let python = interpreter()?;
    println!(
        "failed runs of {runs} per condition, with the 95 % interval of the rate; default \
         grades of {grades} that failed (cargo xtask races --runs {runs} --grades {grades})"
    );
    print!("{:<28} {:<40}", "submission", "race");
    for condition in CONDITIONS {
        print!(" {condition:>18}");
    }
    println!(" {:>16} {:>12}", "default grades", "twin failed");
    let chosen = RACY.iter().filter(|racy| {
        only.is_empty() || only.iter().any(|name| racy.file.contains(name.as_str()))
    });
    for racy in chosen {
        print!("{:<28} {:<40}", racy.file, racy.race);
        let graded_file = |file: &str, args: &[&str]| {
            let path = root.join("tests/submissions/racy").join(file);
            report(
                &grader,
                racy.exercise,
                args,
                &[python.as_ref(), path.as_os_str()],
                file,
            )
        };
        let graded = |args: &[&str]| graded_file(racy.file, args);
        for condition in CONDITIONS {
            let report = graded(&["--repeat", &runs.to_string(), "--conditions", condition])?;
            let failed = failed_runs(&report, runs);
            let (low, high) = wilson(failed, u64::from(runs));
            print!(
                " {:>18}",
                format!("{failed}/{runs} {:.0}-{:.0}%", low * 100.0, high * 100.0)
            );
        }
        let mut caught = 0;
        for _ in 0..grades {
            let report = graded(&[])?;
            caught += u32::from(report["verdict"] != "pass");
        }
        // The twin, over the default mix, as many runs as the conditions had.
        let twin_runs = runs * CONDITIONS.len() as u32;
        let report = graded_file(
            &format!("twins/{}", racy.file),
            &["--repeat", &twin_runs.to_string()],
        )?;
        println!(
            " {:>16} {:>12}",
            format!("{caught}/{grades}"),
            format!("{}/{twin_runs}", failed_runs(&report, twin_runs))
        );
    }
    Ok(true)
}

/// How many of a grade's `runs` did not pass, from its JSON report.
fn failed_runs(report: &serde_json::Value, runs: u32) -> u64 {
    let passed = report["cases"][0]["passed"].as_u64().unwrap_or(0);
    u64::from(runs).saturating_sub(passed)
}

/// The Wilson score interval at 95 % of a rate of `k` in `n`.
fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n, z) = (k as f64, n as f64, 1.96_f64);
    let p = k / n;
    let centre = (p + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / (1.0 + z * z / n);
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_holds_the_rate_and_narrows_with_runs() {
        let (low, high) = wilson(8, 20);
        assert!(low < 0.4 && 0.4 < high, "{low} {high}");
        let (wide, _) = wilson(20, 20);
        let (narrow, _) = wilson(100, 100);
        assert!(wide < narrow && narrow < 1.0, "{wide} {narrow}");
        assert_eq!(wilson(0, 50).0, 0.0);
    }

    #[test]
    fn every_racy_submission_and_its_twin_exist() {
        for racy in RACY {
            let dir = workspace_root().join("tests/submissions/racy");
            for path in [dir.join(racy.file), dir.join("twins").join(racy.file)] {
                assert!(path.is_file(), "{} is missing", path.display());
            }
        }
    }
}
