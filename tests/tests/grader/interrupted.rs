//! The grader ended at random moments of a grade, as a teacher, a CI job's
//! timeout or a crash would end it: by `SIGKILL`, by `SIGTERM`, and by `SIGINT` to
//! its process group (a terminal's Ctrl-C). Every time, nothing of the grade is
//! left: no process of the program (which forks, threads, starts a session of its
//! own and sleeps), and no control group the grader made. And when a grader and
//! its jail's helper are killed together, the next grader removes their groups.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tests_integration::grading::{cgroups_left, python, submission};
use tests_integration::jail::Need;
use tests_integration::marked::{MARK_ENV, marked};

/// How many graders are ended, and how many run at once.
const ROUNDS: u32 = 100;
const AT_ONCE: u32 = 4;
/// The latest moment a grader is ended, after it starts.
const LATEST: Duration = Duration::from_secs(2);
/// How long the grade's processes and groups may take to go once the grader has
/// gone: a bound far above the milliseconds it takes, far below the program's
/// minute of sleep.
const GONE_WITHIN: Duration = Duration::from_secs(5);

/// How a grader is ended.
#[derive(Debug, Clone, Copy)]
enum Ending {
    Kill,
    Term,
    InterruptGroup,
}

#[test]
fn nothing_of_a_grade_outlives_its_grader_ended_at_any_moment() {
    // Without cgroups (a user's grader) there are none to leave: the processes
    // are still checked.
    tests_integration::needs!(Need::Namespaces);
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    let seed = now.map_or(1, |now| now.as_nanos() as u64) ^ u64::from(std::process::id()) | 1;
    eprintln!("seed {seed}");
    let slowest = std::sync::Mutex::new(Duration::ZERO);
    std::thread::scope(|scope| {
        for lane in 0..AT_ONCE {
            let slowest = &slowest;
            scope.spawn(move || {
                let mut random = seed.wrapping_mul(u64::from(lane) + 1);
                for round in (lane..ROUNDS).step_by(AT_ONCE as usize) {
                    random = xorshift(random);
                    let ending =
                        [Ending::Kill, Ending::Term, Ending::InterruptGroup][round as usize % 3];
                    let delay = Duration::from_millis(random % (LATEST.as_millis() as u64 + 1));
                    let took = end_a_grade(round, ending, delay);
                    let mut slowest = slowest.lock().unwrap_or_else(|e| e.into_inner());
                    *slowest = (*slowest).max(took);
                }
            });
        }
    });
    eprintln!(
        "{ROUNDS} graders ended; the slowest grade took {:?} to be gone",
        slowest.into_inner().unwrap_or_else(|e| e.into_inner())
    );
}

/// Starts a grade, ends its grader by `ending` after `delay`, and asserts that
/// the grade's processes and cgroups are gone soon after; returns how long they
/// took.
fn end_a_grade(round: u32, ending: Ending, delay: Duration) -> Duration {
    let mark = format!("interrupted-{}-{round}", std::process::id());
    let mut grader = sleeper_grade(&mark)
        .process_group(0)
        .spawn()
        .expect("the grader starts");
    let pid = grader.id();
    std::thread::sleep(delay);
    let (signal, target) = match ending {
        Ending::Kill => ("-KILL", pid.to_string()),
        Ending::Term => ("-TERM", pid.to_string()),
        Ending::InterruptGroup => ("-INT", format!("-{pid}")),
    };
    let sent = Command::new("kill")
        .args([signal, "--", &target])
        .status()
        .expect("kill runs");
    assert!(sent.success(), "round {round}: kill {signal} {target}");
    let _ = grader.wait();
    let gone = Instant::now();
    loop {
        let processes = marked(&mark, None);
        let groups = cgroups_left(pid);
        if processes.is_empty() && groups.is_empty() {
            return gone.elapsed();
        }
        if gone.elapsed() > GONE_WITHIN {
            let described: Vec<String> = processes.iter().map(|&pid| describe(pid)).collect();
            for &left in &processes {
                let _ = Command::new("kill")
                    .args(["-KILL", &left.to_string()])
                    .status();
            }
            panic!(
                "round {round}: the grader ended by {ending:?} {delay:?} into its grade left \
                 processes {described:?} and cgroups {groups:?}"
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The next number of a xorshift sequence: moments enough for a test.
fn xorshift(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

#[test]
fn the_groups_of_a_grader_killed_with_its_helper_go_at_the_next_grade() {
    // Both killed at once (`kill -9` of the pair): the init dies with its helper,
    // and nobody is left to remove the run's groups; the next grader does.
    tests_integration::needs!(Need::Cgroups);
    let mark = format!("killed-pair-{}", std::process::id());
    let mut grader = sleeper_grade(&mark).spawn().expect("the grader starts");
    let pid = grader.id();
    let started_by = Instant::now() + Duration::from_secs(30);
    while marked(&mark, None).len() < 3 {
        assert!(Instant::now() < started_by, "the program never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    let helper = children_of(pid);
    assert_eq!(
        helper.len(),
        1,
        "the grader's one child is its jail's helper"
    );
    let killed = Command::new("kill")
        .args(["-KILL", &pid.to_string(), &helper[0].to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let _ = grader.wait();
    let gone_by = Instant::now() + GONE_WITHIN;
    while !marked(&mark, None).is_empty() {
        assert!(Instant::now() < gone_by, "the run outlived its init");
        std::thread::sleep(Duration::from_millis(10));
    }
    // The pair's groups are left for the next grader to remove: this one, or a
    // grader of another test that starts meanwhile. (Without that removal they
    // stay, and the last assertion fails.)
    let output = Command::new(tests_integration::grader())
        .args(["ex04", "--output-only", "--", "true"])
        .output()
        .expect("the next grader runs");
    assert!(output.status.code().is_some(), "{output:?}");
    assert_eq!(cgroups_left(pid), Vec::<std::path::PathBuf>::new());
}

/// A grade of the program that forks, threads and sleeps, every process of it
/// (the grader's too) marked with `mark`, and nothing printed.
fn sleeper_grade(mark: &str) -> Command {
    let mut grader = Command::new(tests_integration::grader());
    grader
        .args([
            "ex04",
            "--timeout",
            "120",
            "--env",
            &format!("{MARK_ENV}={mark}"),
        ])
        .args(["--", &python(), &submission("forks-threads-sleeps.py")])
        .env(MARK_ENV, mark)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    grader
}

/// Process `pid` for a failure's message: its pid, its parent's, its command line.
fn describe(pid: u32) -> String {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let parent = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().nth(1).map(str::to_owned))
        .unwrap_or_default();
    let command = std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|bytes| String::from_utf8_lossy(&bytes).replace('\0', " "))
        .unwrap_or_default();
    format!("{pid} (parent {parent}): {command}")
}

/// The processes whose parent is `parent`.
fn children_of(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                // `PID (COMM) STATE PPID …`: the fields after the last `)`.
                stat.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
                    == Some(parent)
            })
        })
        .collect()
}
