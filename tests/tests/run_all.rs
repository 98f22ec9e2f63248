//! Killing a runner leaves nothing it started running: `test_kit::run` directly,
//! and `cargo xtask run-all` as a user runs it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tests::alive;

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
    let mut run_all = Command::new(tests::binary("xtask"));
    run_all.args(["run-all", "--full", "ex04"]);
    // run-all may first build ex04 in release.
    assert_child_dies_with_its_runner(run_all, "ex04-locked-list", Duration::from_secs(600));
}
