//! Proof of concurrency: the grader counts what a submission really ran, so a
//! program that prints the right lines from one thread fails a question about
//! threads, one that prints them from one process fails a question about
//! processes, and the course's own answers still pass, every run.

use tests_integration::grading::{Graded, assert_jailed, grade, python, submission};
use tests_integration::jail::Need;

/// Grades the Python submission `name` against `exercise`.
fn graded(exercise: &str, name: &str) -> Graded {
    let graded = grade(
        exercise,
        &["--repeat", "3"],
        &[&python(), &submission(name)],
    );
    assert_jailed(&graded);
    assert!(graded.left.is_empty(), "left running: {:?}", graded.left);
    graded
}

/// Every run of `graded` broke `rule` (and nothing else), with its hint.
fn assert_every_run_breaks(graded: &Graded, rule: &str) {
    assert_eq!(
        graded.report["verdict"], "wrong-output",
        "{:#}",
        graded.report
    );
    assert_eq!(graded.code, 1);
    for run in graded.report["cases"][0]["runs"].as_array().expect("runs") {
        assert_eq!(run["rule"], rule, "{run:#}");
        assert!(
            run["hint"].as_str().is_some_and(|h| h.contains("at once")),
            "{run:#}"
        );
        assert_eq!(run["tasks"]["created"], 1, "{run:#}");
    }
}

/// Every run of `graded` passed, with at least `processes` processes and
/// `threads` threads seen alive at once.
fn assert_every_run_passes(graded: &Graded, processes: u64, threads: u64) {
    assert_eq!(graded.report["verdict"], "pass", "{:#}", graded.report);
    for run in graded.report["cases"][0]["runs"].as_array().expect("runs") {
        let tasks = &run["tasks"];
        assert!(
            tasks["peak_processes"].as_u64() >= Some(processes)
                && tasks["peak_threads"].as_u64() >= Some(threads),
            "{run:#}"
        );
    }
}

#[test]
fn primes_from_one_process_fail_the_multiprocessing_question() {
    tests_integration::needs!(Need::Namespaces);
    assert_every_run_breaks(&graded("ex03", "ex03_sequential.py"), "too-few-processes");
}

#[test]
fn factorials_from_one_thread_fail_the_thread_pool_question() {
    tests_integration::needs!(Need::Namespaces);
    assert_every_run_breaks(&graded("ex07", "ex07_sequential.py"), "too-few-threads");
}

#[test]
fn pool_shaped_timings_from_one_process_fail_the_pool_question() {
    tests_integration::needs!(Need::Namespaces);
    assert_every_run_breaks(&graded("ex08", "ex08_sequential.py"), "too-few-processes");
}

#[test]
fn the_course_answers_pass_with_their_processes_and_threads_counted() {
    tests_integration::needs!(Need::Namespaces);
    assert_every_run_passes(&graded("ex03", "ex03_processes.py"), 2, 1);
    assert_every_run_passes(&graded("ex07", "ex07_thread_pool.py"), 1, 2);
    assert_every_run_passes(&graded("ex08", "ex08_pool.py"), 2, 1);
    assert_every_run_passes(&graded("ex04", "ex04_locked.py"), 1, 2);
}

#[test]
fn without_namespaces_the_tasks_are_sampled_and_nothing_is_failed_for_it() {
    let graded = grade(
        "ex07",
        &["--containment", "sweep"],
        &[&python(), &submission("ex07_sequential.py")],
    );
    assert_eq!(graded.report["verdict"], "pass", "{:#}", graded.report);
    assert_eq!(graded.report["containment"]["namespaces"], false);
    let run = graded.run();
    assert_eq!(run["tasks"]["exact"], false, "{run:#}");
    assert!(
        run["detail"]
            .as_str()
            .is_some_and(|d| d.contains("sampled from /proc, not counted")),
        "{run:#}"
    );
    // The course's thread pool, sampled, is seen to meet the question.
    let pool = grade(
        "ex07",
        &["--containment", "sweep", "--repeat", "3"],
        &[&python(), &submission("ex07_thread_pool.py")],
    );
    assert_eq!(pool.report["verdict"], "pass", "{:#}", pool.report);
    for run in pool.report["cases"][0]["runs"].as_array().expect("runs") {
        assert!(run["tasks"]["peak_threads"].as_u64() >= Some(2), "{run:#}");
    }
}
