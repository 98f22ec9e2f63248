//! The grader's self-test, a whole class at a time: every misbehaving submission
//! gets its verdict on every exercise, commands and workspaces mix with a loom
//! item, a bad manifest is a usage error, and Ctrl-C (once or twice) still writes the gradebook,
//! with nothing left running afterwards.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;

use tests_integration::grading::{
    EXERCISES, grader_in, processes_mentioning, scratch, submission, transcript, xtask,
};
use tests_integration::root;

/// The class self-test's students: each one a submission, its commands by exercise,
/// and the verdict it must get on every exercise.
///
/// The submissions are copied into `dir`, so that any process left of them would
/// show `dir` in its command line.
/// A student: name, command by exercise, and the verdict it must get.
type Student<'a> = (
    &'static str,
    Box<dyn Fn(&str) -> Vec<String> + 'a>,
    &'static str,
);

fn class_students(dir: &Path) -> Vec<(&'static str, Vec<String>, &'static str)> {
    let copies = dir.join("submissions");
    std::fs::create_dir_all(&copies).expect("a folder for the copies");
    let originals = std::fs::read_dir(root().join("tests/submissions")).expect("the submissions");
    for entry in originals.flatten().filter(|e| e.path().is_file()) {
        std::fs::copy(entry.path(), copies.join(entry.file_name())).expect("a copy");
    }
    let submission = move |name: &str| copies.join(name).display().to_string();
    let sh = move |script: &'static str, kind: &'static str| {
        let submission = submission.clone();
        move |ex: &str| vec!["sh".to_owned(), submission(script), transcript(ex, kind)]
    };
    let flaky_counter = dir.join("counter").display().to_string();
    let flaky_script = dir.join("submissions/flaky.sh").display().to_string();
    let students: Vec<Student<'_>> = vec![
        ("good", Box::new(sh("print.sh", "accept")), "pass"),
        ("wrong", Box::new(sh("print.sh", "reject")), "wrong-output"),
        ("crashes", Box::new(sh("crash.sh", "accept")), "crash"),
        ("segfaults", Box::new(sh("segfault.sh", "accept")), "crash"),
        ("hangs", Box::new(sh("hangs.sh", "accept")), "timeout"),
        (
            "ignores-term",
            Box::new(sh("ignores-term.sh", "accept")),
            "timeout",
        ),
        (
            "floods",
            Box::new(sh("floods.sh", "accept")),
            "output-limit",
        ),
        ("escapes", Box::new(sh("escapes.sh", "accept")), "pass"),
        // Its Latin-1 line carries no fact: noise where contracts read facts, a
        // stray line where they read sections (see `noise_is_fatal`).
        ("non-utf8", Box::new(sh("non-utf8.sh", "accept")), "pass"),
        (
            "flaky",
            Box::new(move |ex: &str| {
                vec![
                    "sh".to_owned(),
                    flaky_script.clone(),
                    transcript(ex, "accept"),
                    transcript(ex, "reject"),
                    format!("{flaky_counter}-{ex}"),
                ]
            }),
            "flaky",
        ),
    ];
    students.into_iter().map(commands_by_exercise).collect()
}

/// A student's commands for every exercise, as manifest lines.
fn commands_by_exercise(
    (name, command, verdict): Student<'_>,
) -> (&'static str, Vec<String>, &'static str) {
    let commands = EXERCISES
        .iter()
        .map(|ex| {
            let words: Vec<String> = command(ex).iter().map(|w| format!("{w:?}")).collect();
            format!("{ex} = [{}]", words.join(", "))
        })
        .collect();
    (name, commands, verdict)
}

/// Grades `students` as a class of `manifest_defaults` in `dir`, two at a time;
/// returns the gradebook, having checked the exit code and the progress lines.
fn grade_class(
    dir: &Path,
    manifest_defaults: &str,
    students: &[(&'static str, Vec<String>, &'static str)],
) -> Value {
    let mut manifest = format!("[defaults]\n{manifest_defaults}\n");
    for (i, ex) in EXERCISES.iter().enumerate() {
        manifest.push_str(&format!("[exercises.{ex}]\nweight = {}\n\n", i + 1));
    }
    for (name, commands, _) in students {
        manifest.push_str(&format!(
            "[students.{name}.commands]\n{}\n\n",
            commands.join("\n")
        ));
    }
    std::fs::write(dir.join("class.toml"), &manifest).expect("the manifest written");
    let out = dir.join("book");
    let class_toml = dir.join("class.toml").display().to_string();
    let output = xtask(&[
        "grade",
        "--class",
        &class_toml,
        "--jobs",
        "2",
        "--out",
        &out.display().to_string(),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    // Not a terminal: one progress line per grade.
    let progress = stderr.lines().filter(|l| l.starts_with('[')).count();
    assert_eq!(progress, students.len() * EXERCISES.len(), "{stderr}");
    let book = std::fs::read_to_string(out.join("gradebook.json")).expect("the gradebook");
    serde_json::from_str(&book).expect("the gradebook is JSON")
}

/// Whether `exercise`'s contract reads its program's sections line by line, so that
/// a line of no known kind breaks it (the others read facts and ignore noise).
fn noise_is_fatal(exercise: &str) -> bool {
    let exercise: contracts::Exercise = exercise.parse().expect("an exercise");
    exercise.contract().strict_lines.is_empty()
}

#[test]
fn a_class_of_every_misbehaviour_gets_every_verdict_on_every_exercise() {
    let dir = scratch("class");
    let students = class_students(&dir);
    // The students print transcripts from shell scripts: the output is judged.
    let defaults = "repeat = 2\ntimeout = 1\nmemory-limit = \"256MiB\"\noutput-limit = \"64KiB\"\noutput-only = true\n";
    let book = grade_class(&dir, defaults, &students);
    let out = dir.join("book");
    assert_eq!(book["max"], 21.0);
    let mut wrong = Vec::new();
    let by_name: BTreeMap<&str, &Value> = book["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s))
        .collect();
    for (name, _, verdict) in &students {
        for ex in EXERCISES {
            let grade = &by_name[name]["grades"][ex];
            let verdict = match (*name, noise_is_fatal(ex)) {
                ("non-utf8", true) => "wrong-output",
                _ => verdict,
            };
            if grade["verdict"] != verdict {
                wrong.push(format!(
                    "{name} {ex}: {} ({})",
                    grade["verdict"], grade["summary"]
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
    // Points: the weights of the passes; good and escapes pass everything.
    assert_eq!(by_name["good"]["total"], 21.0);
    assert_eq!(by_name["flaky"]["total"], 0.0);
    let csv = std::fs::read_to_string(out.join("gradebook.csv")).unwrap();
    assert!(
        csv.starts_with("student,ex02,ex02_points,ex02_summary,ex03,ex03_points,ex03_summary,"),
        "{csv}"
    );
    let good = csv
        .lines()
        .find(|line| line.starts_with("good,"))
        .expect("good's row");
    assert!(good.starts_with("good,pass,1,"), "{good}");
    assert!(good.ends_with(",21,21"), "{good}");
    assert_eq!(
        book["exercises"]["ex07"]["expectations"]["upto"], "10",
        "the gradebook states the expectations applied"
    );

    // The escaped daemons were killed; nothing any submission started is running.
    for ex in EXERCISES {
        let report: Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(format!("reports/escapes/{ex}.json"))).unwrap(),
        )
        .unwrap();
        for run in report["cases"][0]["runs"].as_array().unwrap() {
            assert_eq!(run["left_behind"], 1, "{report:#}");
            let daemon = run["stderr_tail"]
                .as_str()
                .unwrap()
                .trim_start_matches("daemon ");
            let left = processes_mentioning(daemon);
            assert!(
                left.is_empty(),
                "{ex}: the daemon outlived its grade: {left:?}"
            );
        }
    }
    let left = processes_mentioning(&dir.display().to_string());
    assert!(left.is_empty(), "left running: {left:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_memory_hog_in_a_class_is_a_crash_on_every_exercise() {
    // Filling 256 MiB takes most of a second alone and longer on a busy machine,
    // so its deadline is far off: the run ends when the hog reaches its cap, and
    // only a hog that never did would wait for it.
    let dir = scratch("class-hog");
    let hog = root().join("tests/submissions/memory-hog.py");
    let student: Student<'_> = (
        "memory-hog",
        Box::new(|ex: &str| {
            let hog = hog.display().to_string();
            vec!["python3".to_owned(), hog, transcript(ex, "accept")]
        }),
        "crash",
    );
    let students = [commands_by_exercise(student)];
    let defaults = "repeat = 1\ntimeout = 120\nmemory-limit = \"256MiB\"\noutput-only = true\n";
    let book = grade_class(&dir, defaults, &students);
    let grades = &book["students"][0]["grades"];
    for ex in EXERCISES {
        assert_eq!(grades[ex]["verdict"], "crash", "{ex}: {:#}", grades[ex]);
    }
    let left = processes_mentioning("memory-hog.py");
    assert!(left.is_empty(), "left running: {left:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_manifest_is_a_usage_error() {
    let dir = scratch("bad-manifest");
    for (manifest, message) in [
        (
            "[exercises.ex04]\n[students.a]\n",
            "has no command for ex04",
        ),
        (
            "[exercises.ex04]\ncommand=['x']\nwieght=2\n[students.a]\n",
            "unknown field",
        ),
        (
            "[exercises.ex04]\ncommand=['x']\n",
            "missing field `students`",
        ),
        (
            "[exercises.ex04]\ncommand=['x']\n[exercises.4]\ncommand=['x']\n[students.a]\n",
            "ex04 is listed twice",
        ),
        (
            "[exercises.ex04]\ncommand=['x']\n[students.a]\ncommands.ex07=['y']\n",
            "a has a command for ex07, which the manifest's [exercises] does not list",
        ),
        (
            "[defaults]\nenv={'A=B'='1'}\n[exercises.ex04]\ncommand=['sh']\n[students.a]\n",
            "a variable's name must be non-empty, without `=`",
        ),
        (
            "[exercises.ex04]\ncommand=['pyhton3','{dir}/ex04.py']\n[students.a]\n",
            "a ex04: `pyhton3` is not a program on PATH (did you mean `python3`?)",
        ),
    ] {
        let path = dir.join("class.toml");
        std::fs::write(&path, manifest).unwrap();
        let output = xtask(&["grade", "--class", &path.display().to_string()]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{manifest}: {stderr}");
        assert!(stderr.contains(message), "{manifest}: {stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_class_mixes_commands_and_workspaces_with_a_loom_item() {
    let dir = scratch("mixed-class");
    let workspace = root().join("tests/fixtures/workspaces/passes");
    let manifest = format!(
        r#"
[defaults]
repeat = 1

# Exercises may be named as on a command line: `4` is ex04.
[exercises.4]
command = ["python3", {locked:?}]

[exercises.ex08]
weight = 2
command = ["python3", "{{dir}}/ex08.py"]

[students.carol]
workspace = {workspace:?}
commands.ex04 = ["python3", {unlocked:?}]

[students."dave, jr"]
dir = "dave"

[loom]
weight = 3
"#,
        locked = submission("ex04_locked.py"),
        unlocked = submission("ex04_unlocked.py"),
        workspace = workspace.display().to_string(),
    );
    std::fs::write(dir.join("class.toml"), manifest).unwrap();
    // Run from the manifest's folder, naming it relatively.
    let output = grader_in(&dir, &["--class", "class.toml"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let csv = std::fs::read_to_string(dir.join("gradebook/gradebook.csv")).unwrap();
    // carol: her own ex04 command (wrong), ex08 and loom from her workspace; dave has
    // no folder, so his ex08 (`{dir}/ex08.py`) is missing, and no workspace, so no
    // loom item; his ex04 needs no folder.
    let dave = dir.join("dave").display().to_string();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows[..2],
        [
            "student,ex04,ex04_points,ex04_summary,ex08,ex08_points,ex08_summary,loom,loom_points,total,max",
            "carol,wrong-output,0,\"line 2: shows [1], but replaying the transcript gives [0, 1] [shown-list-mismatch]\",pass,2,\"3 pools (sizes 2, 4, 8), squares exact, times well-formed\",pass,3,5,6",
        ],
        "{csv}"
    );
    // dave's ex04 summary depends on how his threads met.
    assert!(
        rows[2].starts_with("\"dave, jr\",pass,1,\"5 adds, "),
        "{csv}"
    );
    assert!(
        rows[2].ends_with(&format!(
            ",missing,0,\"dave, jr's folder {dave} is not there\",-,0,1,6"
        )),
        "{csv}"
    );
    assert!(!dir.join("gradebook/reports/dave__jr/ex08.json").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ctrl_c_during_a_class_still_writes_the_gradebook_of_the_grades_finished() {
    let dir = scratch("interrupted-class");
    let accepted = transcript("ex04", "accept");
    let slow = format!("sleep 1; cat {accepted:?}");
    let mut manifest = format!(
        "[exercises.ex04]\nrepeat = 1\noutput-only = true\ncommand = [\"sh\", \"-c\", {:?}]\n",
        slow
    );
    for student in ["a", "b", "c", "d"] {
        manifest.push_str(&format!("[students.{student}]\n"));
    }
    std::fs::write(dir.join("class.toml"), manifest).unwrap();
    let (mut grader, mut progress) = start_class(&dir, &[]);
    // Once the first grade is reported, interrupt the class as Ctrl-C would.
    let first = progress.next().expect("a progress line").unwrap();
    assert!(first.starts_with("[1/4] a ex04: pass"), "{first}");
    interrupt(&grader);
    let rest: Vec<String> = progress.map_while(Result::ok).collect();
    let ended = grader.wait().expect("the grader ends");
    assert_eq!(ended.code(), Some(1), "{rest:?}");
    assert!(
        rest.iter().any(|line| line.starts_with("interrupted:")),
        "{rest:?}"
    );
    let csv = std::fs::read_to_string(dir.join("gradebook/gradebook.csv")).expect("a gradebook");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(rows[0].starts_with("a,pass,1,"), "{csv}");
    // The grade running at the interrupt finished; the ones after it never started.
    assert!(rows[3].starts_with("d,error,0,not graded"), "{csv}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_ctrl_cs_stop_the_grades_running_and_still_write_the_gradebook() {
    let dir = scratch("twice-interrupted-class");
    let accepted = transcript("ex04", "accept");
    // The sleeper's command line names the folder, so anything left of it shows.
    let sleeper = dir.join("sleeper.sh");
    std::fs::write(&sleeper, "sleep 60 & sleep 60\n").unwrap();
    let manifest = format!(
        "[exercises.ex04]\nrepeat = 1\noutput-only = true\ncommand = [\"sh\", \"-c\", \"cat {accepted}\"]\n\
         [students.a]\n\
         [students.b]\ncommands.ex04 = [\"sh\", {sleeper:?}]\n\
         [students.c]\n",
        accepted = accepted,
    );
    std::fs::write(dir.join("class.toml"), manifest).unwrap();
    let (mut grader, mut progress) = start_class(&dir, &["--timeout", "120"]);
    let first = progress.next().expect("a progress line").unwrap();
    assert!(first.starts_with("[1/3] a ex04: pass"), "{first}");
    // b's sleepers are running: interrupt twice, as a teacher who will not wait.
    let gone_by = Instant::now() + Duration::from_secs(20);
    while processes_mentioning(&sleeper.display().to_string()).is_empty() {
        assert!(Instant::now() < gone_by, "b's program never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    let interrupted = Instant::now();
    for _ in 0..2 {
        interrupt(&grader);
        std::thread::sleep(Duration::from_millis(100));
    }
    let rest: Vec<String> = progress.map_while(Result::ok).collect();
    let ended = grader.wait().expect("the grader ends");
    assert!(
        interrupted.elapsed() < Duration::from_secs(15),
        "the second Ctrl-C did not stop the grade running: {:?}",
        interrupted.elapsed()
    );
    assert_eq!(ended.code(), Some(1), "{rest:?}");
    let csv = std::fs::read_to_string(dir.join("gradebook/gradebook.csv")).expect("a gradebook");
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(rows[0].starts_with("a,pass,1,"), "{csv}");
    assert!(rows[1].starts_with("b,error,0,not graded"), "{csv}");
    assert!(rows[2].starts_with("c,error,0,not graded"), "{csv}");
    let left = processes_mentioning(&sleeper.display().to_string());
    assert!(left.is_empty(), "b's program outlived the class: {left:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Grades `dir/class.toml` one grade at a time (and `args`), its progress lines
/// read as they come.
fn start_class(
    dir: &Path,
    args: &[&str],
) -> (
    std::process::Child,
    impl Iterator<Item = std::io::Result<String>>,
) {
    use std::io::{BufRead, BufReader};

    let mut grader = Command::new(tests_integration::grader())
        .args(["--class", "class.toml", "--jobs", "1"])
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the grader starts");
    let progress = BufReader::new(grader.stderr.take().expect("its stderr, piped")).lines();
    (grader, progress)
}

/// Sends `grader` SIGINT, as Ctrl-C would.
fn interrupt(grader: &std::process::Child) {
    let status = Command::new("kill")
        .args(["-INT", &grader.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

#[test]
fn a_manifests_env_reaches_every_run_and_an_exercises_overrides_it() {
    let dir = scratch("class-env");
    let manifest = r#"
[defaults]
repeat = 1
env = { ONE = "1", TWO = "0" }
[exercises.ex07]
output-only = true
expect = { upto = "2" }
env = { TWO = "2" }
command = ["sh", "-c", "echo Factorial of $ONE is 1; echo Factorial of $TWO is 2"]
[students.a]
"#;
    std::fs::write(dir.join("class.toml"), manifest).unwrap();
    let output = grader_in(&dir, &["--class", "class.toml"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let csv = std::fs::read_to_string(dir.join("gradebook/gradebook.csv")).expect("a gradebook");
    assert!(
        csv.lines()
            .nth(1)
            .is_some_and(|row| row.starts_with("a,pass,")),
        "{csv}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
