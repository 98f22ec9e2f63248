//! The pool's errors: [`TaskError`] for one task, [`BuildError`] for a pool that
//! could not start.

use std::io;

use serde::{Deserialize, Serialize};

/// Why a task gave no value. Every variant is plain data, so an error always
/// crosses the process boundary, whatever the task's own error type was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[non_exhaustive]
pub enum TaskError {
    /// The task returned `Err` with this message; its worker lives on.
    #[error("the task failed: {0}")]
    Failed(String),
    /// The task panicked with this message; its worker lives on.
    #[error("the task panicked: {0}")]
    Panicked(String),
    /// The worker running the task died (killed, aborted, or exited) before it
    /// answered. The pool replaces the worker; only its in-flight tasks fail.
    #[error("worker {pid} died before the task finished: {}", describe_death(*.signal, *.code))]
    WorkerDied {
        /// The dead worker's process id.
        pid: u32,
        /// The signal that ended it, if a signal did (9 for SIGKILL, 6 for abort).
        signal: Option<i32>,
        /// Its exit code, if it exited.
        code: Option<i32>,
    },
    /// The worker program's [`init`](super::init) does not list a task of this name.
    #[error("no task named `{0}` is listed in the worker program's sync_kit::process::init")]
    UnknownTask(String),
    /// An input or output did not (de)serialize as the task's types.
    #[error("{0}")]
    Codec(String),
    /// The pool was terminated before the task finished.
    #[error("the pool was terminated before the task finished")]
    Terminated,
    /// The pool was closed (or has no worker left) when the task was submitted.
    #[error("the pool is not running: {0}")]
    NotRunning(String),
    /// A timed wait ended before the task did; the task itself goes on.
    #[error("the task did not finish in time")]
    TimedOut,
}

/// Why a [`Pool`](super::Pool) could not be built. Whatever was started is stopped
/// and reaped before this is returned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A worker process could not be started.
    #[error("could not start a pool worker ({program}): {source}")]
    Spawn {
        /// The program the pool tried to run.
        program: String,
        /// What the operating system said.
        source: io::Error,
    },
    /// A worker's initializer failed; the pool does not start (Python's pool would
    /// instead restart workers for ever).
    #[error("the initializer failed in worker {pid}: {error}")]
    Initializer {
        /// The worker in which it failed.
        pid: u32,
        /// How it failed.
        error: TaskError,
    },
    /// A worker ended, or went silent, before it was ready: most often because the
    /// program does not call [`init`](super::init) at the top of `main`.
    #[error(
        "pool worker {pid} {what} before it was ready; does `main` call \
         sync_kit::process::init first thing?"
    )]
    NotAWorker {
        /// The worker's process id.
        pid: u32,
        /// What happened: "exited", or "was silent for 10 s".
        what: String,
    },
    /// The initializer's argument could not be encoded to be sent to the workers.
    #[error("the argument of the initializer `{task}` cannot be sent to a worker: {why}")]
    InitializerArgument {
        /// The initializer's task name.
        task: &'static str,
        /// What the encoder said.
        why: String,
    },
    /// This process is itself a pool worker that was not diverted by
    /// [`init`](super::init), and building a pool here would start workers for ever.
    #[error(
        "this process was started as a pool worker, but `main` did not call \
         sync_kit::process::init before building a pool"
    )]
    InsideWorker,
}

/// "killed by SIGKILL", "exited with code 3".
pub(crate) fn describe_death(signal: Option<i32>, code: Option<i32>) -> String {
    match (signal, code) {
        (Some(signal), _) => match signal_name(signal) {
            Some(name) => format!("killed by {name}"),
            None => format!("killed by signal {signal}"),
        },
        (None, Some(code)) => format!("exited with code {code}"),
        (None, None) => "ended".to_owned(),
    }
}

/// The usual name of a signal a process dies of ("SIGKILL" for 9), if it has one.
pub fn signal_name(signal: i32) -> Option<&'static str> {
    const NAMES: [&str; 15] = [
        "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
    ];
    let index = usize::try_from(signal).ok()?.checked_sub(1)?;
    NAMES.get(index).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deaths_read_well() {
        let died = TaskError::WorkerDied {
            pid: 42,
            signal: Some(9),
            code: None,
        };
        assert_eq!(
            died.to_string(),
            "worker 42 died before the task finished: killed by SIGKILL"
        );
        assert_eq!(describe_death(None, Some(3)), "exited with code 3");
        assert_eq!(describe_death(Some(64), None), "killed by signal 64");
        assert_eq!(signal_name(11), Some("SIGSEGV"));
        assert_eq!(signal_name(0), None);
    }
}
