//! Proof of concurrency: the grader counts what a submission really ran, so a
//! program that prints the right lines from one thread fails a question about
//! threads, one that prints them from one process fails a question about
//! processes; and for Python, who did the work, so threads or processes that are
//! alive but idle (`tests/submissions/fakes/`) fail too. The course's own answers
//! still pass, every run.

use tests_integration::grading::{Graded, assert_jailed, grade, python, submission};
use tests_integration::jail::Need;

/// Grades the Python submission `name` against `exercise`, ten runs.
fn graded(exercise: &str, name: &str) -> Graded {
    let graded = grade(
        exercise,
        &["--repeat", "10"],
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
    for run in graded.runs() {
        assert_eq!(run["rule"], rule, "{run:#}");
        assert!(
            run["hint"].as_str().is_some_and(|h| h.contains("at once")),
            "{run:#}"
        );
        assert_eq!(run["tasks"]["created"], 1, "{run:#}");
    }
}

/// Every run of `graded` passed, its work done in at least `processes`
/// processes, and with `off_main` by some thread other than a main one, as the
/// module for Python runs saw it. (Not as the samples saw it: a pool's threads
/// can start and end between two samples; nor by how many threads worked: a
/// pool may run every task on one of its workers.)
fn assert_every_run_passes(graded: &Graded, processes: usize, off_main: bool) {
    assert_eq!(graded.report["verdict"], "pass", "{:#}", graded.report);
    for run in graded.runs() {
        let work = run["work"]["processes"].as_object().expect("who worked");
        let working: Vec<Vec<&String>> = work
            .values()
            .filter_map(|process| process["working"].as_object())
            .map(|threads| threads.keys().collect::<Vec<_>>())
            .filter(|threads| !threads.is_empty())
            .collect();
        assert!(working.len() >= processes, "{run:#}");
        let worked_off_main = working.iter().flatten().any(|thread| *thread != "main");
        assert!(worked_off_main || !off_main, "{run:#}");
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
    assert_every_run_passes(&graded("ex03", "ex03_processes.py"), 2, false);
    assert_every_run_passes(&graded("ex07", "ex07_thread_pool.py"), 1, true);
    assert_every_run_passes(&graded("ex07", "ex07_builtin_pool.py"), 1, true);
    assert_every_run_passes(&graded("ex08", "ex08_pool.py"), 2, false);
    assert_every_run_passes(&graded("ex04", "ex04_locked.py"), 1, true);
}

#[test]
fn fakes_whose_threads_or_processes_do_none_of_the_work_fail_every_run() {
    tests_integration::needs!(Need::Namespaces);
    for (exercise, fake, rule) in [
        ("ex07", "fakes/ex07_idle_thread.py", "too-few-threads"),
        ("ex07", "fakes/ex07_pool_sleeps.py", "too-few-threads"),
        ("ex07", "fakes/ex07_process_pool.py", "too-few-threads"),
        ("ex08", "fakes/ex08_idle_pool.py", "too-few-processes"),
        ("ex03", "fakes/ex03_idle_processes.py", "too-few-processes"),
    ] {
        let graded = grade(
            exercise,
            &["--repeat", "10"],
            &[&python(), &submission(fake)],
        );
        assert!(
            graded.left.is_empty(),
            "{fake}: left running: {:?}",
            graded.left
        );
        assert_eq!(
            graded.report["verdict"], "wrong-output",
            "{fake}: {:#}",
            graded.report
        );
        for run in graded.runs() {
            assert_eq!(run["rule"], rule, "{fake}: {run:#}");
            assert!(
                run["detail"]
                    .as_str()
                    .is_some_and(|d| d.contains("ran none")),
                "{fake}: {run:#}"
            );
        }
    }
}

#[test]
fn without_namespaces_a_sampled_count_fails_nothing_but_the_work_still_decides() {
    // A program that is not Python: its tasks sampled, and a run the sample
    // cannot prove short is not failed for it.
    let graded = grade(
        "ex07",
        &["--containment", "sweep", "--expect", "upto=1"],
        &["sh", "-c", "echo 'Factorial of 1 is 1'"],
    );
    assert_eq!(graded.report["verdict"], "pass", "{:#}", graded.report);
    assert_eq!(graded.report["containment"]["namespaces"], false);
    let run = graded.run();
    assert_eq!(run["tasks"]["exact"], false, "{run:#}");
    assert_eq!(run["work"], serde_json::Value::Null, "{run:#}");
    assert!(
        run["detail"]
            .as_str()
            .is_some_and(|d| d.contains("sampled from /proc, not counted")),
        "{run:#}"
    );
    // A Python program's work is known without namespaces: one thread's loop
    // fails, the course's thread pool passes.
    let sequential = grade(
        "ex07",
        &["--containment", "sweep"],
        &[&python(), &submission("ex07_sequential.py")],
    );
    assert_eq!(
        sequential.run()["rule"],
        "too-few-threads",
        "{:#}",
        sequential.report
    );
    let pool = grade(
        "ex07",
        &["--containment", "sweep", "--repeat", "3"],
        &[&python(), &submission("ex07_thread_pool.py")],
    );
    assert_eq!(pool.report["verdict"], "pass", "{:#}", pool.report);
}

#[test]
fn a_c_program_is_judged_by_its_exact_count_however_short_it_ran() {
    tests_integration::needs!(Need::Namespaces);
    let dir = tests_integration::grading::scratch("c-evidence");
    for name in [
        "ex07_sequential",
        "ex07_pthreads",
        "ex03_sequential",
        "ex03_fork",
    ] {
        let built = std::process::Command::new("gcc")
            .args(["-O2", "-pthread", "-o"])
            .arg(dir.join(name))
            .arg(submission(&format!("c/{name}.c")))
            .status()
            .expect("gcc runs (the README lists it among what a machine needs)");
        assert!(built.success(), "{name} does not build");
    }
    let program = |name: &str| dir.join(name).display().to_string();
    // One task, counted by the PID namespace: proof of one thread, even in the
    // runs that end before the first sample.
    let sequential = grade("ex07", &["--repeat", "10"], &[&program("ex07_sequential")]);
    for run in sequential.runs() {
        assert_eq!(run["rule"], "too-few-threads", "{run:#}");
        assert_eq!(run["tasks"]["created"], 1, "{run:#}");
    }
    let threaded = grade("ex07", &["--repeat", "10"], &[&program("ex07_pthreads")]);
    assert_eq!(threaded.report["verdict"], "pass", "{:#}", threaded.report);
    // The same for processes: one process counted is proof; children that
    // live under a millisecond are counted too.
    let alone = grade("ex03", &["--repeat", "10"], &[&program("ex03_sequential")]);
    for run in alone.runs() {
        assert_eq!(run["rule"], "too-few-processes", "{run:#}");
    }
    let forked = grade("ex03", &["--repeat", "10"], &[&program("ex03_fork")]);
    assert_eq!(forked.report["verdict"], "pass", "{:#}", forked.report);
    for run in forked.runs() {
        assert_exit_records(run);
        if let Some(processes) = run["tasks"]["exits"].as_array() {
            assert_eq!(
                processes.len(),
                5,
                "the parent and a child per range: {run:#}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_java_program_is_judged_by_its_own_threads_not_the_jvms() {
    // Every thread the JVM starts for itself is known by the kernel's exit
    // records and by its name: a `main` that computes alone starts none of its
    // own, whatever the JVM's score of threads; a pool's threads are the
    // program's.
    tests_integration::needs!(Need::Namespaces);
    let dir = tests_integration::grading::scratch("java-evidence");
    for source in ["Ex07.java", "fakes/Ex07Sequential.java"] {
        let built = std::process::Command::new("javac")
            .arg("-d")
            .arg(&dir)
            .arg(submission(source))
            .status()
            .expect("javac runs (the README lists Java among what a machine needs)");
        assert!(built.success(), "{source} does not build");
    }
    let classes = dir.display().to_string();
    let java = |class: &str| {
        grade(
            "ex07",
            &["--repeat", "10"],
            &["java", "-cp", &classes, class],
        )
    };
    let sequential = java("Ex07Sequential");
    for run in sequential.runs() {
        assert_exit_records(run);
        // Without them (a user's grader), the JVM's threads cannot be told from
        // the program's, and the samples count them: no proof either way.
        if let Some(threads) = run["tasks"]["exits"][0]["threads"].as_array() {
            assert_eq!(run["rule"], "too-few-threads", "{run:#}");
            assert!(
                threads.len() > 10,
                "the JVM's own threads were there: {run:#}"
            );
        }
    }
    let pooled = java("Ex07");
    assert_eq!(pooled.report["verdict"], "pass", "{:#}", pooled.report);
    for run in pooled.runs() {
        assert_exit_records(run);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `run`'s tasks are known from their exit records, where the kernel keeps them
/// for this grader (root, in the machine's first namespaces).
fn assert_exit_records(run: &serde_json::Value) {
    if tests_integration::jail::required() {
        assert!(run["tasks"]["exits"].is_array(), "no exit records: {run:#}");
    }
}

#[test]
fn the_kits_own_rust_answers_pass_every_run_with_their_threads_and_processes_counted() {
    // Rust threads (ex07's pool) and Rust processes (ex03's workers, this
    // program started again), both short-lived, both counted.
    tests_integration::needs!(Need::Namespaces);
    for (exercise, package) in [
        ("ex07", "ex07-factorial-thread-pool"),
        ("ex03", "ex03-multiprocessing-primes"),
    ] {
        let binary = tests_integration::binary(package).display().to_string();
        let graded = grade(exercise, &["--repeat", "10"], &[&binary]);
        assert_eq!(graded.report["verdict"], "pass", "{:#}", graded.report);
        for run in graded.runs() {
            assert_exit_records(run);
        }
    }
}
