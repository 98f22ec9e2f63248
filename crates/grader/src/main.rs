//! `concurrency-grader`: grades a submission, or a whole class, from the command line.
//!
//! Exit status: 0 when every grade passed (for a class: when every grade could be
//! given), 1 otherwise, 2 on a usage error. A closed stdout ends it quietly.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use grader::cli::{Action, Cli};

fn main() -> ExitCode {
    let outcome = Cli::parse().action().and_then(|action| match action {
        Action::Grade(request, format) => {
            let reports = grader::grade(&request)?;
            let mut stdout = std::io::stdout().lock();
            for report in &reports {
                let text = report.render(format).context("writing the report")?;
                stdout
                    .write_all(text.as_bytes())
                    .context("writing the report")?;
            }
            stdout.flush().context("writing the report")?;
            Ok(reports.iter().all(grader::Report::passed))
        }
        Action::Class(class) => grader::class::grade_class(&class),
        Action::ListExpectations(exercise) => list_expectations(exercise),
    });
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) if closed_stdout(&error) => ExitCode::FAILURE,
        Err(error) if grader::is_usage_error(&error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Prints the expectation keys `exercise`'s checker understands.
fn list_expectations(exercise: test_kit::Exercise) -> anyhow::Result<bool> {
    let contract = exercise
        .contract()
        .ok_or(test_kit::UsageError::NoChecker(exercise))?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{exercise} understands:")?;
    for key in contract.expect_keys {
        writeln!(stdout, "  --expect {}=…  {}", key.key, key.help)?;
    }
    Ok(true)
}

/// Whether `error` is a write to a reader that has gone (`| head`): nothing to say.
fn closed_stdout(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
