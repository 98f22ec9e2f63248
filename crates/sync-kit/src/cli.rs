//! How an exercise binary ends, the same way for all of them: quietly when its
//! reader has gone, with one `program: error: cause: cause` line and exit code 1
//! on any other error.

use std::error::Error;
use std::io::{self, Write};
use std::process::ExitCode;

/// Turns the outcome of an exercise's work into its exit code.
///
/// A write to a closed stdout (`| head -1`) is no error of the program's: it stops
/// with exit code 0 and says nothing, as `grep` or `rg` do. Any other error is
/// printed on one line, its causes after colons, and exits 1. Nothing here panics,
/// even with stderr closed too.
///
/// ```
/// use std::process::ExitCode;
///
/// let gone = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
/// assert_eq!(sync_kit::cli::finish("demo", Err(gone.into())), ExitCode::SUCCESS);
/// assert_eq!(sync_kit::cli::finish("demo", Ok(())), ExitCode::SUCCESS);
/// ```
pub fn finish(program: &str, outcome: Result<(), Box<dyn Error + Send + Sync>>) -> ExitCode {
    let Err(error) = outcome else {
        return ExitCode::SUCCESS;
    };
    let first: &(dyn Error + 'static) = error.as_ref();
    if reader_gone(first) {
        return ExitCode::SUCCESS;
    }
    let text: Vec<String> = causes(first).map(ToString::to_string).collect();
    let _ = writeln!(io::stderr().lock(), "{program}: error: {}", text.join(": "));
    ExitCode::FAILURE
}

/// Reads a `--plot` argument: a file name ending in `.svg`, since the charts are
/// SVG files.
///
/// ```
/// assert!(sync_kit::cli::parse_svg_path("chart.SVG").is_ok());
/// assert!(sync_kit::cli::parse_svg_path("chart.png").is_err());
/// ```
pub fn parse_svg_path(text: &str) -> Result<std::path::PathBuf, String> {
    let path = std::path::PathBuf::from(text);
    match path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("svg"))
    {
        true => Ok(path),
        false => Err(format!(
            "`{text}` does not end in .svg; the chart is an SVG file"
        )),
    }
}

/// Whether `error`, or any error that caused it, is a write to a pipe whose reader
/// has gone (`EPIPE`): a consumer that stopped reading, not a failure to report.
pub fn reader_gone(error: &(dyn Error + 'static)) -> bool {
    causes(error).any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// `error` and its causes, outermost first.
fn causes<'a>(error: &'a (dyn Error + 'static)) -> impl Iterator<Item = &'a (dyn Error + 'static)> {
    std::iter::successors(Some(error), |&cause| cause.source())
}
