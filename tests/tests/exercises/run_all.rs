//! Killing a runner leaves nothing it started running: `contracts::run` directly,
//! and `cargo xtask run-all` as a user runs it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tests_integration::alive;

/// The children of `parent` whose command name starts with `name`, from /proc.
fn children_named(parent: u32, name: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            // /proc/PID/stat: "PID (COMM) STATE PPID …"; COMM may hold spaces.
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                return false;
            };
            let Some((head, tail)) = stat.rsplit_once(')') else {
                return false;
            };
            let comm = head.split_once('(').map_or("", |(_, comm)| comm);
            let ppid = tail
                .split_whitespace()
                .nth(1)
                .and_then(|p| p.parse::<u32>().ok());
            ppid == Some(parent) && name.starts_with(comm)
        })
        .collect()
}

fn wait_for<T>(within: Duration, mut probe: impl FnMut() -> Option<T>) -> Option<T> {
    let until = Instant::now() + within;
    loop {
        if let Some(found) = probe() {
            return Some(found);
        }
        if Instant::now() >= until {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts `runner`, waits up to `startup` for its child named `child`, kills the
/// runner with SIGKILL, and asserts that the child dies within five seconds.
fn assert_child_dies_with_its_runner(mut runner: Command, child: &str, startup: Duration) {
    let mut runner = runner
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the runner starts");
    let found = wait_for(startup, || {
        children_named(runner.id(), child).first().copied()
    });
    runner.kill().expect("the runner can be killed");
    runner.wait().expect("the runner is reaped");
    let pid = found.unwrap_or_else(|| panic!("the runner never started {child}"));

    let gone = wait_for(Duration::from_secs(5), || (!alive(pid)).then_some(()));
    assert!(
        gone.is_some(),
        "{child} (pid {pid}) outlived the runner that started it"
    );
}

#[test]
fn a_program_dies_with_the_runner_even_when_it_never_writes() {
    // `sleep` never touches its output pipe, so only the parent-death signal can
    // stop it when the runner is killed.
    let mut runner = Command::new(env!("CARGO_BIN_EXE_bounded-run"));
    runner.args(["sleep", "30"]);
    assert_child_dies_with_its_runner(runner, "sleep", Duration::from_secs(10));
}

#[test]
fn killing_run_all_kills_the_exercise_it_was_running() {
    // --full ex04 runs for 10 s: long enough to be caught in the act. (It would also
    // die at its next write to the closed pipe; the test above covers silent programs.)
    let mut run_all = Command::new(tests_integration::binary("xtask"));
    run_all.args(["run-all", "--full", "ex04"]);
    // run-all may first build ex04 in release.
    assert_child_dies_with_its_runner(run_all, "ex04-locked-list", Duration::from_secs(600));
}

#[test]
fn run_all_prints_json_and_junit_that_tools_read_and_a_job_summary() {
    let summary = std::env::temp_dir().join(format!("run-all-summary-{}.md", std::process::id()));
    let run = |format: &str| {
        let output = Command::new(tests_integration::binary("xtask"))
            .args(["run-all", "ex07", "--format", format])
            .env("GITHUB_STEP_SUMMARY", &summary)
            .output()
            .expect("run-all starts");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    };

    let json: serde_json::Value = serde_json::from_slice(&run("json")).expect("JSON");
    assert_eq!(json["passed"], true, "{json:#}");
    let labels: Vec<&str> = json["runs"]
        .as_array()
        .expect("runs")
        .iter()
        .map(|run| run["label"].as_str().expect("a label"))
        .collect();
    assert_eq!(labels, ["ex07", "ex07 rayon"]);
    assert!(json["runs"][0]["verdict"] == "pass");

    // Python's XML parser is the well-formedness check: it rejects any broken XML.
    let junit = run("junit");
    let mut python = Command::new("python3")
        .args([
            "-c",
            "import sys, xml.etree.ElementTree as E; \
             root = E.parse(sys.stdin).getroot(); \
             print(root.tag, len(root.iter('testcase').__next__().attrib), \
                   sum(1 for _ in root.iter('testcase')))",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 starts");
    use std::io::Write as _;
    python
        .stdin
        .take()
        .expect("stdin")
        .write_all(&junit)
        .expect("junit to python");
    let parsed = python.wait_with_output().expect("python3 ends");
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&junit)
    );
    assert_eq!(String::from_utf8_lossy(&parsed.stdout), "testsuites 3 2\n");

    let markdown = std::fs::read_to_string(&summary).expect("the job summary");
    assert_eq!(markdown.matches("## cargo xtask run-all").count(), 2);
    assert!(markdown.contains("| ex07 rayon | pass |"), "{markdown}");
    let _ = std::fs::remove_file(&summary);
}
