//! `runner::Subreaper`: nothing a run starts outlives it, even processes that
//! left its process group with `setsid` and whose parents have exited.
//!
//! A subreaper is a property of a whole process, so each case runs in its own
//! `bounded-run --subreaper` process rather than in this test harness.

use std::path::Path;
use std::process::Command;

/// Runs `script` under `sh` through `bounded-run [--subreaper]`; returns its report
/// line and the command's stdout.
fn bounded(subreaper: bool, script: &str) -> (String, String) {
    let mut runner = Command::new(env!("CARGO_BIN_EXE_bounded-run"));
    if subreaper {
        runner.arg("--subreaper");
    }
    let output = runner
        .args(["sh", "-c", script])
        .output()
        .expect("bounded-run starts");
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).expect("UTF-8 report");
    let (report, stdout) = text.split_once('\n').expect("a report line");
    (report.to_owned(), stdout.to_owned())
}

/// Whether the process `pid` (as printed) is alive. The runner returns only after
/// its sweep has killed and reaped what the run left, so no wait is needed.
fn alive(pid: &str) -> bool {
    tests_integration::alive(pid.trim().parse().expect("a pid"))
}

/// A script whose daemon leaves the session, loses its parent (the subshell exits)
/// and prints its pid once it has; the script waits for that line, so the daemon is
/// surely escaped before the script ends. With `hold`, it keeps stdout open.
fn daemon_script(mark: &Path, hold: bool) -> String {
    let output = if hold { "" } else { ">/dev/null 2>&1" };
    format!(
        "(setsid sh -c 'echo $$ > {mark}; exec sleep 30' {output} &) ; \
         while [ ! -s {mark} ]; do sleep 0.01; done; cat {mark}",
        mark = mark.display()
    )
}

fn mark(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("containment-{name}-{}", std::process::id()))
}

#[test]
fn a_detached_daemon_is_killed_when_the_program_ends() {
    let mark = mark("detached");
    let (report, stdout) = bounded(true, &daemon_script(&mark, false));
    let _ = std::fs::remove_file(&mark);
    let daemon = stdout.trim();
    assert!(
        report.starts_with("Exited(0)") && report.contains("left behind 1;"),
        "{report}"
    );
    assert!(!alive(daemon), "the daemon {daemon} outlived its run");
}

#[test]
fn a_daemon_holding_stdout_does_not_hold_the_run() {
    let mark = mark("holding");
    let (report, stdout) = bounded(true, &daemon_script(&mark, true));
    let _ = std::fs::remove_file(&mark);
    let daemon = stdout.trim();
    assert!(
        report.contains("left behind 1; output held open false"),
        "{report}"
    );
    assert!(!alive(daemon), "the daemon {daemon} outlived its run");
}

#[test]
fn without_the_subreaper_the_same_daemon_escapes() {
    // The control: plain `run` kills the process group only, so the daemon lives on
    // (and this test kills it itself).
    let mark = mark("control");
    let (report, stdout) = bounded(false, &daemon_script(&mark, false));
    let _ = std::fs::remove_file(&mark);
    let daemon = stdout.trim();
    let escaped = alive(daemon);
    let _ = Command::new("kill").args(["-KILL", daemon]).status();
    assert!(report.contains("left behind 0;"), "{report}");
    assert!(escaped, "the daemon {daemon} did not escape plain run");
}

#[test]
fn many_generations_of_escapees_are_all_killed() {
    // Each generation forks the next into a new session and exits; the last ones
    // sleep. The sweep must find each generation as it is re-parented.
    let mark = mark("generations");
    let script = format!(
        "for i in 1 2 3 4 5; do (setsid sh -c 'sh -c \"echo \\$\\$ >> {mark}; exec sleep 30\" & exec sleep 30' >/dev/null 2>&1 &); done; \
         while [ $(wc -l < {mark} 2>/dev/null || echo 0) -lt 5 ]; do sleep 0.01; done; cat {mark}",
        mark = mark.display()
    );
    let (report, stdout) = bounded(true, &script);
    let _ = std::fs::remove_file(&mark);
    assert!(report.contains("left behind 10;"), "{report}");
    for pid in stdout.lines() {
        assert!(!alive(pid), "escapee {pid} outlived its run");
    }
}
