//! The report for people: the verdict and why, each run in a line, and the
//! deciding failed run's broken rule and the tails of its output.

use std::fmt::Write as _;

use super::{Report, RunReport, TAIL_LINES, shell_words};

pub(super) fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", report.exercise, report.verdict);
    let _ = writeln!(out, "  {}", report.summary);
    if let Some(answer) = &report.answer {
        let _ = writeln!(out, "  answer: {}", answer.describe());
        for note in &answer.notes {
            let _ = writeln!(out, "  assembled: {note}");
        }
    }
    let mut checked = report.expectations.words();
    if report.strict {
        checked.push("exact lines (--strict)".to_owned());
    }
    if !checked.is_empty() {
        let _ = writeln!(out, "  checked with: {}", checked.join(", "));
    }
    if let Some(build) = &report.build {
        let state = if build.passed { "built" } else { "FAILED" };
        let _ = writeln!(out, "\nbuild: {state} in {:.1} s", build.seconds);
        if !build.passed {
            out.push_str(&indent(&build.detail, "  "));
        }
    }
    for case in &report.cases {
        let _ = writeln!(out, "\n{} · {}", case.name, shell_words(&case.command));
        if let Some(program) = &case.program {
            let version = program
                .version
                .as_ref()
                .map_or(String::new(), |v| format!(" ({v})"));
            let _ = writeln!(out, "  {} is {}{version}", program.word, program.path);
        }
        // The condition of each run, when the runs went round several.
        let conditions = case.by_condition.len() > 1;
        for (i, run) in case.runs.iter().enumerate() {
            let first = run.detail.lines().next().unwrap_or("");
            let condition = match (conditions, run.condition) {
                (true, Some(condition)) => format!("{:<13}", condition.name()),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  run {:<3} {:<13} {condition}{:>7.2} s  {first}",
                i + 1,
                run.verdict,
                run.seconds
            );
            for note in run_notes(run) {
                let _ = writeln!(out, "          note: {note}");
            }
        }
        if let Some(failing) = &case.failing {
            let run = &case.runs[failing.run - 1];
            let _ = writeln!(out, "\n  run {} ({}):", failing.run, run.verdict);
            out.push_str(&indent(&run.detail, "    "));
            let _ = writeln!(out, "  its stdout (last {TAIL_LINES} lines):");
            out.push_str(&indent(or_nothing(&run.stdout_tail), "    | "));
            let _ = writeln!(out, "  its stderr (last {TAIL_LINES} lines):");
            out.push_str(&indent(or_nothing(&run.stderr_tail), "    | "));
        }
    }
    if let Some(loom) = &report.loom {
        let state = if loom.passed { "pass" } else { "FAILED" };
        let _ = writeln!(out, "\nloom models: {state} in {:.1} s", loom.seconds);
        out.push_str(&indent(&loom.detail, "  "));
    }
    let limits = &report.limits;
    let capped = report
        .containment
        .as_ref()
        .is_some_and(|c| c.memory_cap.is_some());
    let memory =
        limits
            .memory_limit_bytes
            .map_or("no memory limit".to_owned(), |bytes| match capped {
                true => format!("memory {} for the run", size_text(bytes)),
                false => format!("memory {} per process", size_text(bytes)),
            });
    let _ = writeln!(
        out,
        "\nlimits: {} run(s) of {} s each (+{} s after SIGTERM), output {}, {memory}",
        limits.repeat,
        limits.timeout_seconds,
        limits.term_grace_seconds,
        size_text(limits.output_limit_bytes as u64),
    );
    if let Some(containment) = &report.containment {
        let _ = writeln!(out, "contained by: {}", containment.describe());
    }
    if let Some(environment) = &report.environment {
        let added: Vec<String> = environment
            .added
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
        let added = match added.is_empty() {
            true => String::from(", nothing else"),
            false => format!(", and {}", added.join(" ")),
        };
        let _ = writeln!(
            out,
            "environment: {} only{added}",
            environment.pinned.join(" ")
        );
    }
    out
}

/// How many threads a note on who ran names, the busiest first.
const SHOWN_THREADS: usize = 6;

/// Notes about a run beyond its verdict: non-UTF-8 output, ignored SIGTERM,
/// processes left behind, who did a Python program's work.
fn run_notes(run: &RunReport) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(not_utf8) = &run.not_utf8 {
        notes.push(not_utf8.clone());
    }
    if run.ignored_sigterm {
        notes.push("it ignored SIGTERM at the deadline and was killed".to_owned());
    }
    if run.left_behind > 0 {
        notes.push(format!(
            "{} process(es) it started had left its process group and were still running when it ended; they were killed",
            run.left_behind
        ));
    }
    let exits = run.tasks.as_ref().and_then(|tasks| tasks.exits.as_deref());
    match (&run.work, exits) {
        (Some(work), _) => notes.push(format!("who worked: {}", work.summary())),
        // Not Python: which of its threads used the CPU is what the kernel tells.
        (None, Some(exits)) => notes.push(format!(
            "who ran: {}",
            contracts::exits::summary(exits, SHOWN_THREADS)
        )),
        (None, None) => {}
    }
    match run.preempt {
        Some(preempt) if preempt.active => {
            notes.push(format!(
                "preempted: seed {} (--seed {0} replays it)",
                preempt.seed
            ));
        }
        Some(_) => notes.push(
            "preempt: not applicable (no Python process of it loaded the grader's module)"
                .to_owned(),
        ),
        None => {}
    }
    notes
}

fn or_nothing(text: &str) -> &str {
    if text.is_empty() { "(nothing)" } else { text }
}

/// `text` with each line prefixed by `prefix`, ending with a newline.
fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|line| format!("{prefix}{line}\n"))
        .collect()
}

/// `2 GiB`, `1 MiB`, `1536 KiB`, or bytes.
fn size_text(bytes: u64) -> String {
    for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{} {unit}", bytes >> shift);
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_shown_in_the_largest_whole_unit() {
        assert_eq!(size_text(2 << 30), "2 GiB");
        assert_eq!(size_text(1 << 20), "1 MiB");
        assert_eq!(size_text(1536 << 10), "1536 KiB");
        assert_eq!(size_text(1000), "1000 bytes");
    }
}
