//! sync-kit's `children`: a child playing a role ends with its parent, however
//! the parent ends (its guard dropped, or the parent killed with no guard run),
//! and a child given a bad role says why and exits 1.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PROGRAM: &str = env!("CARGO_BIN_EXE_role-parent");

/// Starts `role-parent` and reads its child's pid.
fn parent_and_child() -> (std::process::Child, u32) {
    let mut parent = Command::new(PROGRAM)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("role-parent starts");
    let mut line = String::new();
    BufReader::new(parent.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("the child's pid");
    let child = line.trim().parse().expect("a pid");
    assert!(tests_integration::alive(child));
    (parent, child)
}

/// Waits up to five seconds for `pid` to be gone.
fn gone(pid: u32) -> bool {
    let started = Instant::now();
    while tests_integration::alive(pid) {
        if started.elapsed() > Duration::from_secs(5) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}

#[test]
fn a_child_ends_when_its_guard_is_dropped() {
    let (mut parent, child) = parent_and_child();
    drop(parent.stdin.take());
    assert!(parent.wait().expect("reaped").success());
    assert!(gone(child), "child {child} outlived its guard");
}

#[test]
fn a_child_ends_when_its_parent_is_killed() {
    let (mut parent, child) = parent_and_child();
    parent.kill().expect("SIGKILL");
    parent.wait().expect("reaped");
    let survived = !gone(child);
    if survived {
        let _ = Command::new("kill")
            .args(["-9", &child.to_string()])
            .status();
    }
    assert!(!survived, "child {child} outlived its parent's death");
}

#[test]
fn a_bad_role_says_why_and_exits_1() {
    for (role, why) in [
        ("nosuch", "no role is called `nosuch`"),
        ("sleep x", "`x` is not a number"),
        ("sleep", "sleep takes its milliseconds"),
        ("fail", "failed on purpose"),
    ] {
        let output = Command::new(PROGRAM)
            .env("ROLE_PARENT_CHILD", role)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{role}: {stderr}");
        assert!(stderr.contains(why), "{role}: {stderr}");
        assert!(output.stdout.is_empty());
    }
}
