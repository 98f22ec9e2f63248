//! The ex06 binary as a student runs it: every run keeps the contract; Ctrl-C (or
//! SIGTERM) at any section starts no new one, prints what finished and what did
//! not, exits 130 (or 143), and leaves no process behind; the supervisor gives up
//! once its restart intensity is exceeded.

use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use contracts::ex06::SECTIONS;
use contracts::{Exercise, Expectations, Transcript};
use rustix::process::Signal;
use tests_integration::marked::{MARK_ENV, left_after_grace};

const PACKAGE: &str = "ex06-concurrent-errors";

/// How long any step may take before the test fails rather than hangs.
const DEADLINE: Duration = Duration::from_secs(30);

#[test]
fn every_run_keeps_the_contract() {
    for args in [
        &[][..],
        &["--restarts", "1", "--timeout", "10"],
        &["--restarts", "5", "--period", "1000", "--timeout", "300"],
    ] {
        for _ in 0..2 {
            tests_integration::assert_passes(Exercise::Ex06, args, &Expectations::new());
        }
    }
}

#[test]
fn the_supervisor_gives_up_once_its_intensity_is_exceeded() {
    for restarts in [1, 4] {
        let restarts_arg = restarts.to_string();
        let output = Command::new(tests_integration::binary(PACKAGE))
            .args(["--restarts", &restarts_arg])
            .output()
            .expect("ex06 runs");
        assert!(output.status.success());
        let text = String::from_utf8_lossy(&output.stdout);
        let crashes_of_the_last = text
            .lines()
            .skip_while(|l| {
                *l != format!(
                    "one-for-one, at most {restarts} restarts in 5000 ms: started workers [1]"
                )
            })
            .filter(|l| l.starts_with("worker 1 crashed at "))
            .count();
        assert_eq!(crashes_of_the_last, restarts + 1, "{text}");
        assert!(
            text.contains(&format!("one-for-one: gave up after {restarts} restarts")),
            "{text}"
        );
    }
}

#[test]
fn bad_flags_are_usage_errors() {
    tests_integration::assert_usage_errors(
        PACKAGE,
        &[
            &["--restarts", "0"],
            &["--restarts", "21"],
            &["--period", "999"],
            &["--timeout", "5"],
            &["--grace", "60001"],
            &["--grace", "soon"],
            &["extra"],
        ],
    );
}

#[test]
fn help_explains_every_flag_and_its_default() {
    tests_integration::assert_help_mentions(
        PACKAGE,
        &[
            "--restarts",
            "--period",
            "--timeout",
            "--grace",
            "[default: 3]",
            "[default: 5000]",
            "[default: 100]",
            "[default: 3000]",
        ],
    );
}

#[test]
fn a_closed_stdout_ends_the_program_quietly() {
    tests_integration::assert_closed_stdout_ends_quietly(PACKAGE, &[]);
}

/// A run of the program, its stdout read a line at a time.
struct Run {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Run {
    fn start(mark: &str, args: &[&str]) -> Self {
        let mut child = Command::new(tests_integration::binary(PACKAGE))
            .args(args)
            .env(MARK_ENV, mark)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("ex06 starts");
        let lines = tests_integration::children::lines(&mut child);
        Self {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Reads until a line equal to `wanted`.
    fn read_until(&mut self, wanted: &str) {
        while self.seen.last().map(String::as_str) != Some(wanted) {
            let line = self
                .lines
                .recv_timeout(DEADLINE)
                .unwrap_or_else(|_| panic!("no `{wanted}` line; saw {:#?}", self.seen));
            self.seen.push(line);
        }
    }

    fn signal(&self, signal: Signal) {
        let pid = rustix::process::Pid::from_child(&self.child);
        rustix::process::kill_process(pid, signal).expect("signal sent");
    }

    /// Reads the rest of the output and waits for the program to exit.
    fn finish(mut self) -> (Vec<String>, ExitStatus) {
        while let Ok(line) = self.lines.recv_timeout(DEADLINE) {
            self.seen.push(line);
        }
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("waited") {
                return (self.seen, status);
            }
            assert!(started.elapsed() < DEADLINE, "the program did not exit");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// The interrupted run's summary: its lines after `== Interrupted ==`.
fn summary(lines: &[String]) -> Vec<String> {
    let at = lines
        .iter()
        .position(|l| l == "== Interrupted ==")
        .unwrap_or_else(|| panic!("no summary: {lines:#?}"));
    lines[at + 1..].to_vec()
}

/// The sections whose headers were printed, before the summary.
fn headers(lines: &[String]) -> Vec<&str> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix("== ")?.strip_suffix(" =="))
        .take_while(|title| *title != "Interrupted")
        .collect()
}

#[test]
fn ctrl_c_during_any_section_finishes_it_reports_and_leaves_nothing() {
    for (round, section) in [0, 3, 4, 5, 8].into_iter().enumerate() {
        let mark = format!("sigint-{}-{round}", std::process::id());
        let mut run = Run::start(&mark, &[]);
        run.read_until(&format!("== {} ==", SECTIONS[section]));
        run.signal(Signal::INT);
        let (lines, status) = run.finish();
        assert_eq!(status.code(), Some(130), "{lines:#?}");
        let summary = summary(&lines);
        assert_eq!(summary[0], "SIGINT received: no new section started");
        // The section the signal came in finished; so may a short one or two
        // after it, started before the signal reached the program.
        let finished = headers(&lines);
        assert!(finished.len() > section, "{lines:#?}");
        assert_eq!(finished, SECTIONS[..finished.len()], "{lines:#?}");
        let not_started = &SECTIONS[finished.len()..];
        assert_eq!(
            summary[1],
            format!(
                "summary: {} finished, 0 cancelled, {} not started",
                finished.len(),
                not_started.len()
            ),
            "{lines:#?}"
        );
        assert_eq!(summary[2], format!("finished: {}", finished.join(", ")));
        // The kit's checker reads the run as complete exactly when every section
        // finished before the signal.
        let checked = Exercise::Ex06
            .checker(&Expectations::new())
            .expect("no expectations needed")
            .check(&Transcript::parse(&lines.join("\n")));
        match not_started.is_empty() {
            true => assert!(checked.is_ok(), "{checked:?}"),
            false => assert_eq!(
                checked.map_err(|r| r.rule.id).unwrap_err(),
                "section-missing"
            ),
        }
        if !not_started.is_empty() {
            assert_eq!(
                summary[3],
                format!("not started: {}", not_started.join(", "))
            );
        }
        assert_eq!(
            left_after_grace(&mark),
            Vec::<u32>::new(),
            "processes left running"
        );
    }
}

#[test]
fn a_section_past_its_grace_period_is_cancelled_and_nothing_is_left() {
    // With no grace, the section in flight is cancelled as soon as the signal is
    // seen: its pool's worker and its children go with the program, even the
    // graceful-shutdown section's child in the middle of a 10 s job.
    for (round, (section, after, signal, code)) in [
        (3, None, Signal::TERM, 143),
        (4, None, Signal::INT, 130),
        (7, None, Signal::TERM, 143),
        (8, Some("child: job 2 started"), Signal::INT, 130),
    ]
    .into_iter()
    .enumerate()
    {
        let mark = format!("grace-{}-{round}", std::process::id());
        let mut run = Run::start(&mark, &["--grace", "0"]);
        run.read_until(&format!("== {} ==", SECTIONS[section]));
        if let Some(line) = after {
            run.read_until(line);
        }
        run.signal(signal);
        let (lines, status) = run.finish();
        assert_eq!(status.code(), Some(code), "{lines:#?}");
        let summary = summary(&lines);
        // The section may have ended just before the signal was seen.
        let cancelled = format!("cancelled: {}", SECTIONS[section]);
        let finished = format!("finished: {}", SECTIONS[..=section].join(", "));
        assert!(
            summary.contains(&cancelled) || summary.contains(&finished),
            "{summary:#?}"
        );
        assert_eq!(
            left_after_grace(&mark),
            Vec::<u32>::new(),
            "processes left running"
        );
    }
}

#[test]
fn a_second_ctrl_c_quits_at_once() {
    let mark = format!("twice-{}", std::process::id());
    let mut run = Run::start(&mark, &["--grace", "60000"]);
    run.read_until("== Timeouts and cancellation ==");
    run.signal(Signal::INT);
    std::thread::sleep(Duration::from_millis(50));
    run.signal(Signal::INT);
    let (lines, status) = run.finish();
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(2), "{lines:#?}");
    assert_eq!(
        left_after_grace(&mark),
        Vec::<u32>::new(),
        "processes left running"
    );
}
