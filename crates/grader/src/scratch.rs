//! Scratch directories: a fresh, empty one for each run (its working directory,
//! `HOME` and `TMPDIR`), and one for the grade's module for Python runs.

use std::path::{Path, PathBuf};

use anyhow::Context;

/// A fresh, empty directory of this grader's own, removed afterwards.
#[derive(Debug)]
pub(crate) struct Scratch(PathBuf);

impl Scratch {
    /// A new directory under the system's temporary folder, named after this
    /// process and a number not taken yet (one left by a grader that was killed,
    /// perhaps another user's, is passed over).
    pub(crate) fn new() -> anyhow::Result<Self> {
        use std::sync::atomic::{AtomicU32, Ordering};
        static NEXT: AtomicU32 = AtomicU32::new(0);
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path =
                std::env::temp_dir().join(format!("concurrency-grader-{}-{n}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Self(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(e).with_context(|| format!("creating {}", path.display()));
                }
            }
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.0
    }

    /// Removes the directory; the run may have left files (or removed write
    /// permission), which is said on stderr rather than failing the grade.
    pub(crate) fn remove(self) {
        if let Err(error) = std::fs::remove_dir_all(&self.0) {
            eprintln!(
                "warning: could not remove the scratch directory {}: {error}",
                self.0.display()
            );
        }
    }
}
