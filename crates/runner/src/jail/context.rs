//! An error of the jail's own system calls, said with what was being done.

use std::io;

/// `error` with what was being done, keeping its kind.
pub(super) fn with_context(error: io::Error, doing: &str) -> io::Error {
    io::Error::new(error.kind(), format!("{doing}: {error}"))
}
