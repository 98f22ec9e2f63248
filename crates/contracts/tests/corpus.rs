//! The checkers against a corpus of answers in the styles students post, each with
//! the verdict a teacher wrote before it was graded: the checkers must agree with
//! every one, with no expectation given (the course's own question).
//!
//! The corpus is `fixtures/corpus/exNN/*.txt` (a captured run of each answer) and
//! `fixtures/corpus/verdicts.txt` (one line per answer: file, `pass` or `fail`, why).

use std::path::{Path, PathBuf};

use contracts::{Exercise, Expectations, Transcript};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/corpus")
}

/// `(file, teacher passes it, why)` for every answer.
fn verdicts() -> Vec<(String, bool, String)> {
    let text = std::fs::read_to_string(corpus().join("verdicts.txt")).expect("verdicts.txt");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let mut fields = line.splitn(3, '\t');
            let file = fields.next().expect("a file").to_owned();
            let verdict = match fields.next() {
                Some("pass") => true,
                Some("fail") => false,
                other => panic!("{file}: the verdict is pass or fail, not {other:?}"),
            };
            (file, verdict, fields.next().unwrap_or("").to_owned())
        })
        .collect()
}

#[test]
fn the_checkers_agree_with_the_teacher_on_every_answer() {
    let verdicts = verdicts();
    let mut disagreements = Vec::new();
    for (file, teacher_passes, why) in &verdicts {
        let exercise: Exercise = file.split('/').next().unwrap().parse().expect("exNN/…");
        let checker = exercise.checker(&Expectations::new()).expect("a checker");
        let output = std::fs::read(corpus().join(file)).expect("the answer's output");
        let verdict = checker.check(&Transcript::from_bytes(&output));
        if verdict.is_ok() != *teacher_passes {
            disagreements.push(format!(
                "{file}: the teacher says {} ({why}), the checker says {}",
                if *teacher_passes { "pass" } else { "fail" },
                match verdict {
                    Ok(accepted) => format!("pass: {}", accepted.summary),
                    Err(rejection) => format!("fail: {rejection}"),
                }
            ));
        }
    }
    let agreed = verdicts.len() - disagreements.len();
    assert!(
        disagreements.is_empty(),
        "agreement {agreed} of {}:\n{}",
        verdicts.len(),
        disagreements.join("\n")
    );
}

#[test]
fn every_answer_has_a_verdict_and_both_verdicts_occur_for_each_question() {
    let verdicts = verdicts();
    for exercise in [
        Exercise::Ex03,
        Exercise::Ex04,
        Exercise::Ex07,
        Exercise::Ex08,
    ] {
        let dir = corpus().join(exercise.id());
        for entry in std::fs::read_dir(&dir).expect("a corpus folder") {
            let name = format!(
                "{exercise}/{}",
                entry.unwrap().file_name().to_string_lossy()
            );
            assert!(
                verdicts.iter().any(|(file, _, _)| *file == name),
                "{name} has no verdict"
            );
        }
        for wanted in [true, false] {
            assert!(
                verdicts
                    .iter()
                    .any(|(file, v, _)| file.starts_with(exercise.id()) && *v == wanted),
                "{exercise} has no answer the teacher {}",
                if wanted { "passes" } else { "fails" }
            );
        }
    }
}
