//! The ex01 checker against edited copies of its accepted quick run: each bound
//! of a figure and of plausibility taken, and passing it refused.

use super::*;
use crate::{Exercise, Expectations, Transcript};

/// The accepted quick run, with `edit` applied to its text.
fn checked(edit: impl Fn(&str) -> String) -> Result<crate::Accepted, Rejection> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/ex01/accept/quick-run.txt"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let checker = Exercise::Ex01.checker(&Expectations::new()).unwrap();
    checker.check(&Transcript::from_bytes(edit(&text).as_bytes()))
}

#[test]
fn a_figure_is_a_finite_unsigned_number_and_zero_is_one() {
    let row = "threads 2380.853 µs";
    for bad in ["threads inf µs", "threads +2380.853 µs", "threads -0 µs"] {
        let rejection = checked(|t| t.replacen(row, bad, 1)).unwrap_err();
        assert_eq!(rejection.rule, rules::BAD_FIGURE, "{bad}");
    }
    // Zero is a figure: the row is then judged by its verdict.
    let zero = checked(|t| t.replacen(row, "threads 0.000 µs", 1)).unwrap_err();
    assert_eq!(zero.rule, rules::VERDICT_CONTRADICTS);
}

/// The quick run with line `at` (from 1) replaced by `row`: the rule broken at
/// that line, or `None` when the row passed (whatever later lines then say).
fn row_breaks(at: usize, row: &str) -> Option<&'static str> {
    let rejection = checked(|t| {
        let mut lines: Vec<&str> = t.lines().collect();
        lines[at - 1] = row;
        lines.join("\n") + "\n"
    })
    .err()?;
    (rejection.line == Some(at)).then_some(rejection.rule.id)
}

/// A row of `claim` with these figures and the verdict that follows from them.
fn row(claim: &str, threads: f64, processes: f64, unit: &str, how: &str) -> String {
    let (low, high) = (threads.min(processes), threads.max(processes));
    let factor = (high / low * 100.0).round() / 100.0;
    let verdict = match (factor < EVEN_BELOW, threads < processes) {
        (true, _) => format!("even ({factor:.2}x)"),
        (false, true) => format!("threads win by {factor:.2}x"),
        (false, false) => format!("processes win by {factor:.2}x"),
    };
    format!(
        "{claim}: threads {threads:.3} {unit}, processes{how} {processes:.3} {unit} -> {verdict}"
    )
}

#[test]
fn each_bound_of_plausibility_is_taken_and_passing_it_is_not() {
    let spawn = |t, p| row_breaks(2, &row("spawn and join one unit of work", t, p, "µs", ""));
    assert_eq!(spawn(1000.0, 100.0), None);
    assert_eq!(spawn(1001.0, 100.0), Some(rules::IMPLAUSIBLE.id));
    assert_eq!(spawn(200.0, 150.0), None);
    let memory = |t, p| {
        row_breaks(
            3,
            &row("memory of one more idle worker", t, p, "KiB", " (PSS)"),
        )
    };
    assert_eq!(memory(65_536.0, 131_072.0), None);
    assert_eq!(memory(65_537.0, 131_072.0), Some(rules::IMPLAUSIBLE.id));
    assert_eq!(memory(10.5, 64.0), None);
    assert_eq!(memory(10.5, 63.9), Some(rules::IMPLAUSIBLE.id));
    assert_eq!(memory(10.5, 4_194_304.0), None);
    assert_eq!(memory(10.5, 4_194_305.0), Some(rules::IMPLAUSIBLE.id));
    let io = |t, p| {
        row_breaks(
            9,
            &row("io-bound, 16 waits of 20 ms overlapped", t, p, "ms", ""),
        )
    };
    assert_eq!(io(20.0, 47.095), None);
    assert_eq!(io(19.999, 47.095), Some(rules::IMPLAUSIBLE.id));
    // A factor of exactly 1.25 is a win, not even.
    let wake = |t, p| {
        row_breaks(
            4,
            &row(
                "wake another worker and be woken back",
                t,
                p,
                "µs",
                " (pipes)",
            ),
        )
    };
    assert_eq!(wake(125.0, 100.0), None);
    assert_eq!(wake(124.0, 100.0), None);
    assert_eq!(wake(100.0, 125.0), None);
    // The factor shown may be a hundredth off the figures' (the program rounds
    // from unrounded ones), not two.
    let shown = |factor: &str| {
        let text = format!(
            "wake another worker and be woken back: threads 200.000 µs, processes (pipes) 100.000 µs -> processes win by {factor}x"
        );
        row_breaks(4, &text)
    };
    assert_eq!(shown("2.01"), None);
    assert_eq!(shown("1.99"), None);
    assert_eq!(shown("2.02"), Some(rules::VERDICT_CONTRADICTS.id));
    let crash = "a worker crashes: threads: program exploded, processes: program carried on -> processes isolate";
    assert_eq!(row_breaks(10, crash), Some(UNRECOGNISED_LINE.id));
}

#[test]
fn the_heading_is_taken_on_the_first_line_only() {
    let heading = "Threads or processes? Measured on this machine, medians of 1 run.";
    let again = checked(|t| {
        let (first, rest) = t.split_once('\n').unwrap();
        format!("{first}\n{heading}\n{rest}")
    })
    .unwrap_err();
    assert_eq!(again.rule, rules::UNRECOGNISED_LINE);
    assert_eq!(again.line, Some(2));
}

#[test]
fn figures_no_machine_reaches_are_implausible_at_their_bound() {
    let implausible = Some(rules::IMPLAUSIBLE.id);
    let spawn = |t, p| row_breaks(2, &row("spawn and join one unit of work", t, p, "µs", ""));
    assert_eq!(spawn(1.0, 10.0), None);
    assert_eq!(spawn(0.9, 10.0), implausible);
    assert_eq!(spawn(1.0, 9.9), implausible);
    let wake = |t, p| {
        let claim = "wake another worker and be woken back";
        row_breaks(4, &row(claim, t, p, "µs", " (pipes)"))
    };
    assert_eq!(wake(0.5, 0.5), None);
    assert_eq!(wake(0.001, 0.5), implausible);
    // 8 MiB through a pipe at 100 GB/s: 83.886 µs at least.
    let moved = |t, p| {
        row_breaks(
            5,
            &row("move 8 MiB to another worker", t, p, "µs", " (pipe)"),
        )
    };
    assert_eq!(moved(0.001, 83.9), None);
    assert_eq!(moved(0.001, 83.8), implausible);
    // The primes below 200000 on one worker at 5e10 a second: 4 µs at least.
    let primes = |t, p| {
        let claim = "cpu-bound primes below 200000, 1 worker";
        row_breaks(7, &row(claim, t, p, "ms", ""))
    };
    assert_eq!(primes(0.004, 0.004), None);
    assert_eq!(primes(0.001, 0.004), implausible);
    // 16 waits of 20 ms one after another, each with four starts of the run's
    // spawn row (2380.853 µs for a thread), and a second: 1472.375 ms at most.
    let io = |t, p| {
        let claim = "io-bound, 16 waits of 20 ms overlapped";
        row_breaks(9, &row(claim, t, p, "ms", ""))
    };
    assert_eq!(io(1472.0, 47.095), None);
    assert_eq!(io(99_999.0, 47.095), implausible);
    assert_eq!(io(22.0, 1473.0 + 4.0 * 16.0 * 3.221), implausible);
}
