//! A class graded in parts (`--class … --partition K/N`) and merged gives the
//! gradebook of the class graded whole, and `merge` refuses parts that do not
//! make one grading.

use std::path::Path;

use tests_integration::grading::{grader_in as grader, scratch};
use tests_integration::root;

/// A manifest of `students` students over ex03, ex04 and ex07, whose answers
/// print fixtures (some accepted, some rejected, some crashing), so that every
/// summary is the same from run to run.
fn manifest(students: usize) -> String {
    let root = root().display().to_string();
    let script = |name: &str| format!("{root}/tests/submissions/{name}");
    let fixture = |ex: &str, kind: &str, name: &str| {
        format!("{root}/crates/contracts/fixtures/{ex}/{kind}/{name}.txt")
    };
    let accepted = [
        ("ex03", fixture("ex03", "accept", "course-ranges-in-order")),
        ("ex04", fixture("ex04", "accept", "leftover-item")),
        ("ex07", fixture("ex07", "accept", "in-order")),
    ];
    let rejected = [
        ("ex03", fixture("ex03", "reject", "wrong-primes-composite")),
        ("ex04", fixture("ex04", "reject", "removed-not-held-twice")),
        ("ex07", fixture("ex07", "reject", "n-missing-empty-output")),
    ];
    // The shell scripts print transcripts: their output is what is judged.
    let mut text = String::from("[defaults]\nrepeat = 1\noutput-only = true\n\n");
    for (i, (ex, fixture)) in accepted.iter().enumerate() {
        text.push_str(&format!(
            "[exercises.{ex}]\nweight = {}\ncommand = [\"sh\", {:?}, {fixture:?}]\n\n",
            i + 1,
            script("print.sh")
        ));
    }
    for s in 0..students {
        text.push_str(&format!("[students.s{s:02}]\n"));
        for (i, ((ex, good), (_, bad))) in accepted.iter().zip(&rejected).enumerate() {
            let command = match (s + i) % 3 {
                0 => continue,
                1 => format!("[\"sh\", {:?}, {bad:?}]", script("print.sh")),
                _ => format!("[\"sh\", {:?}, {good:?}]", script("crash.sh")),
            };
            text.push_str(&format!("commands.{ex} = {command}\n"));
        }
        text.push('\n');
    }
    text
}

/// The files below `dir`, relative to it, in order.
fn files(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            for inner in files(&path) {
                found.push(format!("{}/{inner}", entry.file_name().to_string_lossy()));
            }
        } else {
            found.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    found.sort();
    found
}

#[test]
fn three_parts_merged_give_the_gradebook_of_the_whole_class() {
    let dir = scratch("parts-merge");
    std::fs::write(dir.join("class.toml"), manifest(8)).unwrap();
    let whole = grader(
        &dir,
        &["--class", "class.toml", "--out", "whole", "--jobs", "2"],
    );
    assert_eq!(whole.status.code(), Some(0), "{whole:?}");
    for k in 1..=3 {
        let part = grader(
            &dir,
            &[
                "--class",
                "class.toml",
                "--partition",
                &format!("{k}/3"),
                "--out",
                &format!("part{k}"),
                "--jobs",
                "2",
            ],
        );
        assert_eq!(part.status.code(), Some(0), "{part:?}");
    }
    let merged = grader(
        &dir,
        &["merge", "--out", "merged", "part3", "part1", "part2"],
    );
    assert_eq!(merged.status.code(), Some(0), "{merged:?}");
    let read = |path: &str| std::fs::read_to_string(dir.join(path)).unwrap();
    assert_eq!(read("merged/gradebook.csv"), read("whole/gradebook.csv"));
    assert_eq!(read("merged/gradebook.json"), read("whole/gradebook.json"));
    let reports = files(&dir.join("whole/reports"));
    assert_eq!(reports.len(), 8 * 3);
    assert_eq!(files(&dir.join("merged/reports")), reports);
    // The parts shared the grades out: each graded some, and none graded all.
    let graded: Vec<usize> = (1..=3)
        .map(|k| files(&dir.join(format!("part{k}/reports"))).len())
        .collect();
    assert_eq!(graded.iter().sum::<usize>(), 24, "{graded:?}");
    assert!(graded.iter().all(|&n| 0 < n && n < 24), "{graded:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn merge_refuses_parts_that_do_not_make_one_grading() {
    let dir = scratch("parts-refuse");
    std::fs::write(dir.join("class.toml"), manifest(2)).unwrap();
    std::fs::write(dir.join("other.toml"), manifest(3)).unwrap();
    let part = |manifest: &str, k: u32, n: u32, out: &str, extra: &[&str]| {
        let partition = format!("{k}/{n}");
        let mut args = vec!["--class", manifest, "--partition", &partition, "--out", out];
        args.extend(extra);
        let output = grader(&dir, &args);
        assert_eq!(output.status.code(), Some(0), "{output:?}");
    };
    part("class.toml", 1, 2, "a1", &[]);
    part("class.toml", 2, 2, "a2", &[]);
    part("other.toml", 2, 2, "b2", &[]);
    part("class.toml", 2, 2, "c2", &["--timeout", "30"]);
    part("class.toml", 2, 3, "d2", &[]);
    // A part from another version of the grader.
    let copied = dir.join("e2");
    std::fs::create_dir_all(&copied).unwrap();
    let text = std::fs::read_to_string(dir.join("a2/part.json")).unwrap();
    let version = format!("\"kit_version\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&version), "{text}");
    let other = text.replace(&version, "\"kit_version\": \"0.0.0-other\"");
    std::fs::write(copied.join("part.json"), other).unwrap();
    for (parts, message) in [
        (vec!["a1"], "part(s) 2/2 missing"),
        (vec!["a1", "a1", "a2"], "part 1/2 is given twice"),
        (vec!["a1", "b2"], "their manifests differ"),
        (vec!["a1", "c2"], "their settings differ"),
        (vec!["a1", "d2"], "their numbers of parts differ"),
        (vec!["a1", "e2"], "their kit versions differ"),
        (vec!["a1", "nowhere"], "a part is the --out folder"),
    ] {
        let mut args = vec!["merge", "--out", "merged"];
        args.extend(&parts);
        let output = grader(&dir, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{parts:?}: {stderr}");
        assert!(stderr.contains(message), "{parts:?}: {stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn parts_each_batch_engine_gives_merge_into_the_whole_class() {
    let dir = scratch("parts-auto");
    std::fs::write(dir.join("class.toml"), manifest(6)).unwrap();
    let whole = grader(&dir, &["--class", "class.toml", "--out", "whole"]);
    assert_eq!(whole.status.code(), Some(0), "{whole:?}");
    // Part 1 from the grader's own variables (a GitHub Actions matrix), part 2
    // as task 2 of a Slurm array numbered from 1, part 3 as index 2 of a
    // Kubernetes Indexed Job.
    let engines: [&[(&str, &str)]; 3] = [
        &[
            ("CONCURRENCY_GRADER_PART_INDEX", "0"),
            ("CONCURRENCY_GRADER_PARTS", "3"),
        ],
        &[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ],
        &[
            ("JOB_COMPLETION_INDEX", "2"),
            ("CONCURRENCY_GRADER_PARTS", "3"),
        ],
    ];
    for (k, variables) in engines.iter().enumerate() {
        let out = format!("part{}", k + 1);
        let mut command = std::process::Command::new(tests_integration::grader());
        command.current_dir(&dir).args([
            "--class",
            "class.toml",
            "--partition",
            "auto",
            "--out",
            &out,
        ]);
        for name in [
            "CONCURRENCY_GRADER_PART_INDEX",
            "CONCURRENCY_GRADER_PARTS",
            "SLURM_ARRAY_TASK_ID",
            "SLURM_ARRAY_TASK_MIN",
            "SLURM_ARRAY_TASK_COUNT",
            "JOB_COMPLETION_INDEX",
        ] {
            command.env_remove(name);
        }
        command.envs(variables.iter().copied());
        let part = command.output().expect("the grader starts");
        assert_eq!(part.status.code(), Some(0), "{part:?}");
        let said = String::from_utf8_lossy(&part.stdout);
        assert!(said.contains(&format!("part {}/3", k + 1)), "{said}");
    }
    let merged = grader(
        &dir,
        &["merge", "--out", "merged", "part1", "part2", "part3"],
    );
    assert_eq!(merged.status.code(), Some(0), "{merged:?}");
    let read = |path: &str| std::fs::read_to_string(dir.join(path)).unwrap();
    assert_eq!(read("merged/gradebook.json"), read("whole/gradebook.json"));
    // Each part says how its runs were contained.
    let said = String::from_utf8_lossy(&merged.stdout);
    assert_eq!(said.matches("contained by: ").count(), 3, "{said}");
    // With no engine's variables, auto is a usage error naming them.
    let mut command = std::process::Command::new(tests_integration::grader());
    command
        .current_dir(&dir)
        .args(["--class", "class.toml", "--partition", "auto"]);
    for name in [
        "CONCURRENCY_GRADER_PART_INDEX",
        "SLURM_ARRAY_TASK_ID",
        "JOB_COMPLETION_INDEX",
    ] {
        command.env_remove(name);
    }
    let lost = command.output().expect("the grader starts");
    assert_eq!(lost.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&lost.stderr).contains("found no part"));
    let _ = std::fs::remove_dir_all(&dir);
}
