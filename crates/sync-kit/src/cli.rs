//! What every exercise binary does alike: how it prints a line ([`say`]), how many
//! workers it starts by default ([`cores`]), the figure it gives of repeated
//! timings ([`median`]), what a usage error is ([`UsageError`]), and how it ends
//! ([`finish`]): quietly when its reader has gone, with one
//! `program: error: cause: cause` line and exit code 1 on any other error.

use std::error::Error;
use std::fmt::Display;
use std::io::{self, Write};
use std::process::ExitCode;
use std::time::Duration;

/// Prints `text` and a newline on stdout at once and whole: stdout's lock keeps it
/// from mixing with another thread's lines, and the flush puts it on the screen
/// (or in the pipe) before whatever happens next, so the order of the lines is the
/// order of the events. `text` may be a block of several lines.
///
/// # Errors
///
/// A [`WriteError`] whose source is the failed write, so that [`finish`] sees a
/// reader that has gone through any error type that keeps sources (`anyhow`
/// among them).
pub fn say(text: impl Display) -> Result<(), WriteError> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(WriteError)
}

/// A line [`say`] could not write: "writing to stdout", caused by the I/O error.
#[derive(Debug)]
pub struct WriteError(pub io::Error);

impl Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("writing to stdout")
    }
}

impl Error for WriteError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.0)
    }
}

/// How many workers a pool starts when none is asked for: one per core this
/// process may run on, or 1 when that cannot be known.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// The median of `samples`, the upper one of an even count: the figure an
/// exercise prints of a timing it repeated.
///
/// # Panics
///
/// When `samples` is empty: no figure stands for no measurement, and every
/// exercise measures at least once (its flags refuse a repeat of 0).
///
/// ```
/// use std::time::Duration;
///
/// let ms = |n| Duration::from_millis(n);
/// assert_eq!(sync_kit::cli::median(vec![ms(9), ms(1), ms(5)]), ms(5));
/// assert_eq!(sync_kit::cli::median(vec![ms(1), ms(3)]), ms(3));
/// ```
pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// A mistake in the command line (or in a file it names) that clap could not see:
/// the caller's to fix, and exit code 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for UsageError {}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_gone_is_seen_through_a_write_error_and_the_errors_that_wrap_it() {
        let gone = || WriteError(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(reader_gone(&gone()));
        // As an exercise's `main` hands it on: boxed, its cause kept.
        let boxed: Box<dyn Error + Send + Sync> = Box::new(gone());
        assert_eq!(finish("demo", Err(boxed)), ExitCode::SUCCESS);
        let full = WriteError(io::Error::from(io::ErrorKind::StorageFull));
        assert!(!reader_gone(&full));
        assert_eq!(full.to_string(), "writing to stdout");
    }
}
