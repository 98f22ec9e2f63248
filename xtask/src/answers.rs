//! `cargo xtask answers DIR`: grades a folder of answers whose verdicts a teacher
//! wrote down, and says how often the grader agrees.
//!
//! `DIR/expected.tsv` lists the answers, one per line, tab-separated: the
//! exercise, the file (in `DIR`), the teacher's verdict (`pass`, `fail`, or
//! `either` where output cannot tell), and the seconds one run may take. Lines
//! starting with `#` are comments. Each answer is run by its kind: `.py` with
//! Python, `.js` with Node, `.java` as a single-file Java program, `.c` and `.cpp`
//! compiled first into `target/answers/` (gcc or g++, `-O2 -pthread`). The grader built in release gives
//! each its default grade (`--repeat` overrides the runs), and the verb prints
//! every disagreement, then `R/T agree (F false passes, P false failures)`. Exits
//! 1 when any answer disagrees.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::graded::{interpreter, listing, release_grader, repeat_args, report};
use crate::workspace_root;

/// One answer, as `expected.tsv` lists it.
#[derive(Debug, PartialEq)]
struct Answer {
    exercise: String,
    file: String,
    verdict: Expected,
    timeout: String,
}

/// A teacher's verdict.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expected {
    Pass,
    Fail,
    Either,
}

/// Grades every answer in `dir` and prints the agreement.
pub(crate) fn answers(dir: &Path, repeat: Option<u32>) -> anyhow::Result<bool> {
    let answers = listing(dir, "expected.tsv", parse)?;
    let grader = release_grader()?;
    let built = workspace_root().join("target/answers");
    std::fs::create_dir_all(&built).context("making target/answers for compiled answers")?;
    let (mut agree, mut false_passes, mut false_failures) = (0, 0, 0);
    for answer in &answers {
        let program = command(&dir.join(&answer.file), &built)?;
        let mut args = vec!["--timeout".to_owned(), answer.timeout.clone()];
        args.extend(repeat_args(repeat));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let graded = report(&grader, &answer.exercise, &args, &program, &answer.file)?;
        let verdict = graded["verdict"].as_str().unwrap_or("none").to_owned();
        let agrees = match answer.verdict {
            Expected::Either => true,
            Expected::Pass => verdict == "pass",
            Expected::Fail => verdict != "pass",
        };
        if agrees {
            agree += 1;
            continue;
        }
        match answer.verdict {
            Expected::Fail => false_passes += 1,
            _ => false_failures += 1,
        }
        let why = graded["summary"].as_str().unwrap_or("");
        println!(
            "  disagree: {}: teacher {:?}, grader {verdict}: {why}",
            answer.file, answer.verdict
        );
    }
    println!(
        "{}: {agree}/{} agree ({false_passes} false passes, {false_failures} false failures)",
        dir.display(),
        answers.len()
    );
    Ok(agree == answers.len())
}

/// Reads `expected.tsv`.
fn parse(text: &str) -> Result<Vec<Answer>, String> {
    let mut answers = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [exercise, file, verdict, timeout] = fields[..] else {
            return Err(format!(
                "line {}: 4 tab-separated fields (exercise, file, verdict, seconds), not {}",
                number + 1,
                fields.len()
            ));
        };
        let verdict = match verdict {
            "pass" => Expected::Pass,
            "fail" => Expected::Fail,
            "either" => Expected::Either,
            other => {
                return Err(format!(
                    "line {}: the verdict is pass, fail or either, not `{other}`",
                    number + 1
                ));
            }
        };
        answers.push(Answer {
            exercise: exercise.to_owned(),
            file: file.to_owned(),
            verdict,
            timeout: timeout.to_owned(),
        });
    }
    Ok(answers)
}

/// The command that runs the answer at `path`; compiled languages are built into
/// `built` first.
fn command(path: &Path, built: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let compiler = match extension {
        "py" => return Ok(vec![interpreter()?.into(), path.to_owned()]),
        "js" => return Ok(vec!["node".into(), path.to_owned()]),
        "java" => return Ok(vec!["java".into(), path.to_owned()]),
        "c" => "gcc",
        "cpp" | "cc" => "g++",
        _ => bail!("{}: no way to run a `.{extension}` file", path.display()),
    };
    let stem = path.file_stem().unwrap_or_default();
    let binary = built.join(stem);
    let status = Command::new(compiler)
        .args(["-O2", "-pthread", "-o"])
        .arg(&binary)
        .arg(path)
        .status()
        .with_context(|| format!("running {compiler}"))?;
    anyhow::ensure!(status.success(), "{} did not compile", path.display());
    Ok(vec![binary])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_is_read_and_a_bad_line_is_named() {
        let text = "# a comment\nex04\ta.py\tpass\t30\n\nex07\tb.c\teither\t10\n";
        let answers = parse(text).unwrap();
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[1].verdict, Expected::Either);
        assert_eq!(answers[1].file, "b.c");
        assert!(
            parse("ex04\ta.py\tgood\t30\n")
                .unwrap_err()
                .contains("line 1")
        );
        assert!(
            parse("ex04\ta.py\tpass\n")
                .unwrap_err()
                .contains("4 tab-separated")
        );
    }
}
