//! Fault isolation: a worker thread that crashes takes its whole process down, a
//! worker process that crashes leaves its parent running. Both are shown in child
//! runs of this program, so that this demonstration itself survives.

use std::io::{self, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::process::{ExitStatus, Stdio};

use anyhow::Context;

/// What became of a program when one of its workers crashed.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Crash {
    /// The program whose worker thread aborted: how it ended.
    pub(crate) thread: String,
    /// The program whose worker process aborted: how it ended.
    pub(crate) process: String,
    /// Whether the program survived its worker thread's crash.
    pub(crate) thread_survived: bool,
    /// Whether the program survived its worker process's crash.
    pub(crate) process_survived: bool,
}

impl std::fmt::Display for Crash {
    /// `a worker crashes: threads: program killed by SIGABRT, processes: program
    /// carried on -> processes isolate`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verdict = match (self.thread_survived, self.process_survived) {
            (false, true) => "processes isolate",
            (true, false) => "threads isolate",
            (true, true) => "both isolate",
            (false, false) => "neither isolates",
        };
        write!(
            f,
            "a worker crashes: threads: {}, processes: {} -> {verdict}",
            self.thread, self.process
        )
    }
}

/// Runs both demonstrations in child runs of this program.
pub(crate) fn row() -> anyhow::Result<Crash> {
    let (thread, thread_survived) = observe("crash-thread")?;
    let (process, process_survived) = observe("crash-process")?;
    Ok(Crash {
        thread,
        process,
        thread_survived,
        process_survived,
    })
}

/// Runs the demonstration `mode` and says how its program ended.
fn observe(mode: &str) -> anyhow::Result<(String, bool)> {
    let mut command = super::worker_command(mode, &[])?;
    command.stdout(Stdio::piped()).stderr(Stdio::null());
    let mut child = command.spawn()?;
    let mut said = String::new();
    child
        .stdout
        .take()
        .context("the demonstration's stdout")?
        .read_to_string(&mut said)?;
    let status = child.wait()?;
    let survived = status.success() && said.trim() == "carried on";
    Ok((ending(status, survived), survived))
}

fn ending(status: ExitStatus, survived: bool) -> String {
    match (status.signal(), survived) {
        (_, true) => "program carried on".into(),
        (Some(signal), false) => format!(
            "program killed by {}",
            sync_kit::process::signal_name(signal)
                .map_or(format!("signal {signal}"), str::to_owned)
        ),
        (None, false) => format!("program ended with {status}"),
    }
}

/// A program whose worker thread aborts: the abort ends the whole process, so the
/// line after the join is never printed.
pub(crate) fn thread_takes_the_program() -> io::Result<()> {
    let worker = std::thread::spawn(|| std::process::abort());
    let _ = worker.join();
    writeln!(io::stdout(), "carried on")
}

/// A program whose worker process aborts: the parent sees it die and carries on.
pub(crate) fn process_leaves_the_parent() -> io::Result<()> {
    let status = super::worker_command("abort", &[])?.status()?;
    if status.success() {
        return Err(io::Error::other("the aborting worker exited normally"));
    }
    writeln!(io::stdout(), "carried on")
}
