//! `concurrency-grader`: grades a submission, or a whole class, from the command line.
//!
//! Exit status: 0 when every grade passed (for a class: when every grade could be
//! given; with a platform's result format (`exercism`, `gradescope`, `prairielearn`,
//! `github-classroom`), whenever the report was written, as those runners ask), 1
//! otherwise, 2 on a usage error. A closed stdout
//! ends it quietly.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use grader::cli::{Action, Cli, ExtractCli, MergeCli, Output};

fn main() -> ExitCode {
    // The grader is its own jail helper: started as one, it serves and exits.
    if let Some(code) = runner::jail::serve_if_asked() {
        return ExitCode::from(u8::try_from(code).unwrap_or(125));
    }
    // `merge` and `extract` have flags of their own; clap sees the rest of the line.
    let verb = std::env::args_os().nth(1);
    let action = match verb.as_ref().and_then(|verb| verb.to_str()) {
        Some("merge") => Ok(MergeCli::parse_from(std::env::args_os().skip(1)).action()),
        Some("extract") => Ok(ExtractCli::parse_from(std::env::args_os().skip(1)).action()),
        _ => Cli::parse().action(),
    };
    let outcome = action.and_then(|action| match action {
        Action::Merge { parts, out } => grader::class::merge(&parts, &out),
        Action::Extract {
            notebook,
            out,
            exercises,
        } => grader::ipynb::extract(&notebook, &out, &exercises),
        Action::Grade(request, output) => {
            let reports = grader::grade(&request)?;
            write_reports(&reports, &output)?;
            // A platform reads the verdict from its result file; its runner must exit 0.
            let results_only = output.formats.iter().all(|f| f.is_result_file());
            Ok(results_only || reports.iter().all(grader::Report::passed))
        }
        Action::Class(class) => grader::class::grade_class(&class),
        Action::ListExpectations(exercise) => list_expectations(exercise),
    });
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        // A reader that stopped reading (`| head`) needs no message.
        Err(error) if sync_kit::cli::reader_gone(error.as_ref()) => ExitCode::FAILURE,
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
fn list_expectations(exercise: contracts::Exercise) -> anyhow::Result<bool> {
    let text = exercise.expectations_help()?;
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(true)
}

/// Prints the reports in the one format asked for; with a folder, writes each
/// format to its file there (a report per exercise, named after it, when there
/// are several) and prints the text report.
fn write_reports(reports: &[grader::Report], output: &Output) -> anyhow::Result<()> {
    let printed = match &output.folder {
        Some(_) => grader::Format::Text,
        None => output.formats[0],
    };
    let mut stdout = std::io::stdout().lock();
    for report in reports {
        let text = report.render(printed).context("writing the report")?;
        stdout
            .write_all(text.as_bytes())
            .context("writing the report")?;
    }
    stdout.flush().context("writing the report")?;
    let Some(folder) = &output.folder else {
        return Ok(());
    };
    std::fs::create_dir_all(folder)
        .map_err(|e| grader::UsageError(format!("cannot make {}: {e}", folder.display())))?;
    for report in reports {
        for &format in &output.formats {
            let name = match reports.len() {
                1 => format.file_name().to_owned(),
                _ => format!("{}.{}", report.exercise, format.file_name()),
            };
            let path = folder.join(name);
            let text = report.render(format).context("writing the report")?;
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    Ok(())
}
