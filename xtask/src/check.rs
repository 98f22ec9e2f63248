//! `cargo xtask check EX [FILE|-]`: one transcript against one exercise's contract.

use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::Context;
use test_kit::{Exercise, Expectations, Transcript};

use crate::UsageError;

/// Checks the transcript in `file` (`-`: stdin). `Ok(true)` when it is accepted.
pub(crate) fn check(exercise: Exercise, file: &Path, expect: Expectations) -> anyhow::Result<bool> {
    let checker = exercise.checker(&expect)?;
    let output = read_transcript(file)?;
    match checker.check(&Transcript::from_bytes(&output)) {
        Ok(accepted) => {
            println!("accepted: {}", accepted.summary);
            Ok(true)
        }
        Err(rejection) => {
            println!("rejected: {rejection}");
            Ok(false)
        }
    }
}

/// Prints the expectation keys `exercise`'s checker understands.
pub(crate) fn list_expectations(exercise: Exercise) -> anyhow::Result<bool> {
    if !exercise.has_checker() {
        return Err(test_kit::UsageError::NoChecker(exercise).into());
    }
    println!("{exercise} understands:");
    for key in exercise.expect_keys() {
        println!("  --expect {}=…  {}", key.key, key.help);
    }
    Ok(true)
}

fn read_transcript(file: &Path) -> anyhow::Result<Vec<u8>> {
    let mut output = Vec::new();
    if file == Path::new("-") {
        let mut stdin = std::io::stdin().lock();
        if stdin.is_terminal() {
            return Err(UsageError(
                "no transcript: give a FILE, or pipe one in (`… | cargo xtask check EX -`)".into(),
            )
            .into());
        }
        stdin
            .read_to_end(&mut output)
            .context("reading standard input")?;
    } else {
        output = std::fs::read(file)
            .map_err(|e| UsageError(format!("cannot read transcript {}: {e}", file.display())))?;
    }
    Ok(output)
}
