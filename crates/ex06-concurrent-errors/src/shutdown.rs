//! The Graceful shutdown section: a child process running jobs on two threads is
//! sent a real SIGTERM, then (a second child) a real SIGINT. Each stops starting
//! jobs, lets the jobs in flight finish within its grace period, cancels the one
//! that cannot, prints what finished and what did not, and exits 143 (or 130), as a
//! shell reports a process the signal ended.
//!
//! The child's lines are its own, in its order; the parent prints each as it reads
//! it, after `child: `, and its own lines between them, so the whole is in an order
//! things really happened in.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use rustix::process::Signal;
use sync_kit::process::children::Children;
use sync_kit::process::interrupt;

use crate::jobs::{self, Cancel, Fate, Job, Report};
use crate::{Args, ROLE_ENV, say};

/// The child's jobs: odd ones are short, even ones far longer than the grace.
const JOBS: u64 = 6;
const SHORT: Duration = Duration::from_millis(40);
const LONG: Duration = Duration::from_secs(10);
/// The child's grace period.
const GRACE: Duration = Duration::from_millis(300);
/// Its job threads.
const THREADS: usize = 2;

/// How long the parent waits for any line, or for the child to exit.
const PATIENCE: Duration = Duration::from_secs(10);

/// Graceful shutdown.
pub(crate) fn show(_: &Args, _: &Cancel) -> anyhow::Result<()> {
    for signal in [Signal::TERM, Signal::INT] {
        stop_child(signal)?;
    }
    Ok(())
}

/// Starts a child running the jobs, sends it `signal` once two jobs are in
/// flight, and relays what it says until it exits.
fn stop_child(signal: Signal) -> anyhow::Result<()> {
    let mut children = Children::new(ROLE_ENV);
    let child = children.spawn("jobs", &[], |command| {
        command.stdout(Stdio::piped());
        Ok(())
    })?;
    let pid = child.id();
    let stdout = child.stdout.take().context("the child's stdout")?;
    let (relay, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if relay.send(line).is_err() {
                break;
            }
        }
    });
    let mut started = 0;
    while started < THREADS {
        let line = lines
            .recv_timeout(PATIENCE)
            .context("the child stopped talking before two jobs started")?;
        started += usize::from(line.ends_with(" started"));
        say(format_args!("child: {line}"))?;
    }
    let name = interrupt::name(signal.as_raw());
    say(format_args!("parent: sending {name} to child {pid}"))?;
    children.signal(pid, signal)?;
    loop {
        match lines.recv_timeout(PATIENCE) {
            Ok(line) => say(format_args!("child: {line}"))?,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                bail!("the child said nothing for {PATIENCE:?}")
            }
        }
    }
    let status = children.wait(pid, PATIENCE)?.with_context(|| {
        format!("child {pid} still running {PATIENCE:?} after its output ended")
    })?;
    let code = status
        .code()
        .with_context(|| format!("child {pid} ended without an exit code: {status}"))?;
    Ok(say(format_args!("child {pid} exited with code {code}"))?)
}

/// How the child reports: a line for each step.
struct Lines;

impl Report for Lines {
    fn started(&self, name: &str) {
        let _ = say(format_args!("{name} started"));
    }

    fn ended(&self, name: &str, fate: &Fate) {
        let _ = match fate {
            Fate::Finished => say(format_args!("{name} finished")),
            Fate::Cancelled => say(format_args!(
                "{name} cancelled: still running when the grace period ended"
            )),
            Fate::Failed(e) => say(format_args!("{name} failed: {e:#}")),
            Fate::NotStarted | Fate::Running => Ok(()),
        };
    }

    fn stopping(&self, signal: i32, in_flight: usize, grace: Duration) {
        let _ = say(format_args!(
            "{} received: no new job starts; {in_flight} in flight get {} ms",
            interrupt::name(signal),
            grace.as_millis()
        ));
    }
}

/// Child: runs the jobs until they are done or a signal stops them, then prints
/// the summary and exits 0, or 128 + the signal's number.
pub(crate) fn jobs(_: &[u64]) -> anyhow::Result<()> {
    interrupt::watch()?;
    say(format_args!(
        "{JOBS} jobs on {THREADS} threads, grace period {} ms",
        GRACE.as_millis()
    ))?;
    let work = (1..=JOBS)
        .map(|job| {
            let length = if job % 2 == 1 { SHORT } else { LONG };
            Job::new(format!("job {job}"), move |cancel: &Cancel| {
                cancel.sleep(length)
            })
        })
        .collect();
    let summary = jobs::run(work, THREADS, GRACE, &Lines).or_failure()?;
    for line in summary.lines() {
        say(format_args!("{line}"))?;
    }
    match summary.signal {
        Some(signal) => std::process::exit(interrupt::exit_code(signal)),
        None => Err(anyhow!("no signal came: every job ran to its end")),
    }
}
