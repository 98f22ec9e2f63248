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
    let causes: Vec<&(dyn Error + 'static)> =
        std::iter::successors(Some(first), |&cause| cause.source()).collect();
    let reader_gone = causes.iter().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    });
    if reader_gone {
        return ExitCode::SUCCESS;
    }
    let text: Vec<String> = causes.iter().map(ToString::to_string).collect();
    let _ = writeln!(io::stderr().lock(), "{program}: error: {}", text.join(": "));
    ExitCode::FAILURE
}
