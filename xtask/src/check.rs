//! `cargo xtask check EX [FILE|-]`: one transcript against one exercise's contract.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use anyhow::Context;
use contracts::{Exercise, Expectations, Transcript};

use crate::UsageError;

/// Checks the transcript in `file` (`-`: stdin), with exact lines too when
/// `strict`. `Ok(true)` when it is accepted.
pub(crate) fn check(
    exercise: Exercise,
    file: &Path,
    expect: Expectations,
    strict: bool,
) -> anyhow::Result<bool> {
    let checker = exercise.checker_with(&expect, strict)?;
    let output = read_transcript(file)?;
    let applied = exercise.applied(&expect).words();
    let (mut text, accepted) = match checker.check(&Transcript::from_bytes(&output)) {
        Ok(accepted) => {
            let ignored = accepted
                .ignored_note()
                .map_or(String::new(), |note| format!("\n{note}"));
            (format!("accepted: {}{ignored}\n", accepted.summary), true)
        }
        Err(rejection) => (format!("rejected: {rejection}\n"), false),
    };
    if !applied.is_empty() {
        text.push_str(&format!("expectations: {}\n", applied.join(" ")));
    }
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(accepted)
}

/// Prints the expectation keys `exercise`'s checker understands.
pub(crate) fn list_expectations(exercise: Exercise) -> anyhow::Result<bool> {
    let text = exercise.expectations_help()?;
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(true)
}

/// The largest transcript `check` reads. The checkers hold a transcript in memory,
/// and a real run of any exercise prints far less (the grader caps output at 1 MiB).
const MAX_TRANSCRIPT: u64 = 64 << 20;

fn read_transcript(file: &Path) -> anyhow::Result<Vec<u8>> {
    let source: Box<dyn Read> = if file == Path::new("-") {
        let stdin = std::io::stdin();
        if stdin.is_terminal() {
            return Err(UsageError(
                "no transcript: give a FILE, or pipe one in (`… | cargo xtask check EX -`)".into(),
            )
            .into());
        }
        Box::new(stdin)
    } else {
        let opened = std::fs::File::open(file)
            .map_err(|e| UsageError(format!("cannot read transcript {}: {e}", file.display())))?;
        Box::new(opened)
    };
    let mut output = Vec::new();
    source
        .take(MAX_TRANSCRIPT + 1)
        .read_to_end(&mut output)
        .with_context(|| format!("reading {}", file.display()))?;
    if output.len() as u64 > MAX_TRANSCRIPT {
        return Err(UsageError(format!(
            "transcript {} is larger than {} MiB, more than any exercise prints; not checked",
            file.display(),
            MAX_TRANSCRIPT >> 20
        ))
        .into());
    }
    Ok(output)
}
