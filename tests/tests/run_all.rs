//! Killing a runner leaves nothing it started running: `test_kit::run` directly,
//! and `cargo xtask run-all` as a user runs it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

/// Whether `pid` is still a live process (a zombie has already died).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .is_some_and(|(_, tail)| !tail.trim_start().starts_with('Z'))
    })
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

#[test]
fn killing_run_all_kills_the_exercise_it_was_running() {
    // --full ex04 runs for 10 s: long enough to be caught in the act. (It would also
    // die at its next write to the closed pipe; the test above covers silent programs.)
    let mut run_all = Command::new(tests::binary("xtask"))
        .args(["run-all", "--full", "ex04"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xtask starts");
    // run-all may first build ex04 in release.
    let exercise = wait_for(Duration::from_secs(600), || {
        children_named(run_all.id(), "ex04-locked-list")
            .first()
            .copied()
    });
    run_all.kill().expect("xtask can be killed");
    run_all.wait().expect("xtask is reaped");
    let exercise = exercise.expect("run-all never started ex04");

    let gone = wait_for(Duration::from_secs(5), || (!alive(exercise)).then_some(()));
    assert!(
        gone.is_some(),
        "ex04 (pid {exercise}) outlived the run-all that started it"
    );
}

#[test]
fn a_program_dies_with_the_runner_even_when_it_never_writes() {
    // `sleep` never touches its output pipe, so only the parent-death signal can
    // stop it when the runner is killed.
    let mut runner = Command::new(env!("CARGO_BIN_EXE_bounded-run"))
        .args(["sleep", "30"])
        .stdout(Stdio::null())
        .spawn()
        .expect("bounded-run starts");
    let sleeper = wait_for(Duration::from_secs(10), || {
        children_named(runner.id(), "sleep").first().copied()
    });
    runner.kill().expect("bounded-run can be killed");
    runner.wait().expect("bounded-run is reaped");
    let sleeper = sleeper.expect("bounded-run never started sleep");

    let gone = wait_for(Duration::from_secs(5), || (!alive(sleeper)).then_some(()));
    assert!(
        gone.is_some(),
        "sleep (pid {sleeper}) outlived the runner that started it"
    );
}
