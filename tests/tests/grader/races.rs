//! The `preempt` condition: pauses at random instructions of a Python program's
//! own code, seeded, open the windows its races need. The course-shaped ex04
//! (`racy/ex04_course_shape.py`), which plain runs pass, fails under it; its
//! locked twin passes every run; a failing run's seed fails again when replayed;
//! and a program that is not Python is told apart, never failed for it.

use tests_integration::grading::{Graded, grade, python, submission};

/// How many runs of a grade did not pass.
fn failed(graded: &Graded) -> usize {
    graded
        .runs()
        .iter()
        .filter(|run| run["verdict"] != "pass")
        .count()
}

#[test]
fn preempt_shows_the_course_shaped_race_and_its_seed_replays_it() {
    let racy = submission("racy/ex04_course_shape.py");
    // (Plain runs passed it 20 of 20 here: the race needs a switch where none
    // falls by itself.) Nearly every preempted run fails here (20 of 20 in
    // `cargo xtask races`): 20 runs without a failure would be all but
    // impossible.
    let preempted = grade(
        "ex04",
        &["--conditions", "preempt", "--repeat", "20"],
        &[&python(), &racy],
    );
    assert!(failed(&preempted) > 0, "{:#}", preempted.report);
    for run in preempted.runs() {
        assert_eq!(run["condition"], "preempt", "{run:#}");
        assert_eq!(run["preempt"]["active"], true, "{run:#}");
    }
    let seed = preempted
        .runs()
        .iter()
        .find(|run| run["verdict"] != "pass")
        .map(|run| run["preempt"]["seed"].to_string())
        .expect("a failing run");
    let replayed = grade(
        "ex04",
        &["--conditions", "preempt", "--seed", &seed, "--repeat", "10"],
        &[&python(), &racy],
    );
    assert!(failed(&replayed) > 0, "{:#}", replayed.report);
    for run in replayed.runs() {
        assert_eq!(run["preempt"]["seed"].to_string(), seed, "{run:#}");
    }
}

#[test]
fn the_locked_twin_passes_every_preempted_run() {
    let graded = grade(
        "ex04",
        &["--conditions", "preempt", "--repeat", "30"],
        &[&python(), &submission("ex04_locked.py")],
    );
    assert_eq!(graded.report["verdict"], "pass", "{:#}", graded.report);
}

#[test]
fn preempt_is_not_applicable_to_a_program_in_another_language() {
    let graded = grade(
        "ex07",
        &[
            "--conditions",
            "preempt",
            "--output-only",
            "--expect",
            "upto=1",
        ],
        &["sh", "-c", "echo 'Factorial of 1 is 1'"],
    );
    assert_eq!(graded.report["verdict"], "pass", "{:#}", graded.report);
    assert_eq!(
        graded.run()["preempt"]["active"],
        false,
        "{:#}",
        graded.report
    );
}
