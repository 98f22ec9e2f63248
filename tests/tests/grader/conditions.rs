//! The conditions a grade's runs go round: each run is made under its own, in
//! the order given, says which, and the failures are tallied by condition.

use tests_integration::grading::grade;

/// The `Cpus_allowed_list` line of a process's status.
fn cpus_line(status: &str) -> String {
    status
        .lines()
        .find(|l| l.starts_with("Cpus_allowed_list"))
        .expect("a Cpus_allowed_list line")
        .to_owned()
}

#[test]
fn each_run_goes_under_its_condition_in_turn() {
    let fixture = tests_integration::root()
        .join("crates/contracts/fixtures/ex04/accept/leftover-item.txt")
        .display()
        .to_string();
    // An accepted transcript, then the CPUs the program may run on and its nice
    // value (two lines the checker ignores as noise).
    let script = format!(
        "cat {fixture}; grep Cpus_allowed_list /proc/self/status; cut -d' ' -f19 /proc/self/stat"
    );
    let graded = grade(
        "ex04",
        &[
            "--repeat",
            "5",
            "--output-only",
            "--conditions",
            "free,one-core,low-priority,load",
        ],
        &["sh", "-c", &script],
    );
    assert_eq!(graded.report["verdict"], "pass", "{:#}", graded.report);
    let runs = graded.runs();
    let seen: Vec<(String, String, String)> = runs
        .iter()
        .map(|run| {
            let tail: Vec<&str> = run["stdout_tail"]
                .as_str()
                .expect("stdout")
                .lines()
                .collect();
            let [.., cpus, nice] = tail[..] else {
                panic!("{run:#}")
            };
            (
                run["condition"].as_str().expect("a condition").to_owned(),
                cpus.to_owned(),
                nice.to_owned(),
            )
        })
        .collect();
    let here = cpus_line(&std::fs::read_to_string("/proc/self/status").expect("a status"));
    // The runs inherit this process's nice value, except the low-priority one.
    let stat = std::fs::read_to_string("/proc/self/stat").expect("a stat");
    let nice = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().nth(16))
        .expect("a nice value")
        .to_owned();
    let unpinned = (here.clone(), nice.clone());
    let pinned_cpu = here
        .split_once('\t')
        .map(|(_, list)| list.split([',', '-']).next().unwrap_or("0").to_owned())
        .expect("a CPU list");
    let expected = [
        ("free", unpinned.clone()),
        (
            "one-core",
            (format!("Cpus_allowed_list:\t{pinned_cpu}"), "0".to_owned()),
        ),
        ("low-priority", (here.clone(), "19".to_owned())),
        ("load", unpinned.clone()),
        ("free", unpinned),
    ];
    for ((condition, cpus, nice), (want, (want_cpus, want_nice))) in seen.iter().zip(expected) {
        assert_eq!(
            (condition.as_str(), cpus, nice),
            (want, &want_cpus, &want_nice),
            "{seen:?}"
        );
    }
    let tally = &graded.report["cases"][0]["by_condition"];
    let tallied: Vec<(&str, u64, u64)> = tally
        .as_array()
        .expect("a tally")
        .iter()
        .map(|t| {
            (
                t["condition"].as_str().expect("a condition"),
                t["runs"].as_u64().expect("runs"),
                t["failed"].as_u64().expect("failed"),
            )
        })
        .collect();
    assert_eq!(
        tallied,
        [
            ("free", 2, 0),
            ("one-core", 1, 0),
            ("low-priority", 1, 0),
            ("load", 1, 0)
        ]
    );
}

#[test]
fn a_grade_makes_its_exercises_runs_by_default_preempting_every_other_for_python() {
    // No --repeat, no --conditions: ex07's own number of runs (the output
    // alone judged: `cat` has no threads). A Python program's go round the
    // plain mix with a preempted run after each; a program in another language
    // gets the plain mix alone.
    let run_conditions = |command: &[&str]| -> Vec<String> {
        let output = std::process::Command::new(tests_integration::grader())
            .args(["ex07", "--output-only", "--format", "json", "--"])
            .args(command)
            .output()
            .expect("the grader starts");
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("a JSON report");
        assert_eq!(report["verdict"], "pass", "{report:#}");
        report["cases"][0]["runs"]
            .as_array()
            .expect("runs")
            .iter()
            .map(|run| run["condition"].as_str().expect("a condition").to_owned())
            .collect()
    };
    let python = tests_integration::grading::python();
    let pool = tests_integration::grading::submission("ex07_thread_pool.py");
    let expected = [
        "load",
        "preempt",
        "free",
        "preempt",
        "load",
        "preempt",
        "low-priority",
        "preempt",
    ];
    assert_eq!(run_conditions(&[&python, &pool]), expected);
    let fixture = tests_integration::root()
        .join("crates/contracts/fixtures/ex07/accept/in-order.txt")
        .display()
        .to_string();
    let plain = run_conditions(&["cat", &fixture]);
    assert_eq!(
        plain,
        [
            "load",
            "free",
            "load",
            "low-priority",
            "load",
            "free",
            "load",
            "low-priority"
        ]
    );
}
