//! The rows: each claim measured for threads and for processes in the same run,
//! and its verdict computed from the two figures as printed.

pub(crate) mod cpu;
pub(crate) mod crash;
pub(crate) mod io_wait;
pub(crate) mod memory;
pub(crate) mod python;
pub(crate) mod spawn;
pub(crate) mod transfer;
pub(crate) mod wakeup;

use std::fmt;
use std::io;
use std::process::{Command, Stdio};
use std::time::Duration;

use sync_kit::process::children;

/// The environment variable that makes this program a worker, and names its role.
pub(crate) const WORKER_ENV: &str = "EX01_WORKER";

/// A command that runs this program as a worker playing `role` with `numbers`,
/// its stdin and stdout null and its stderr this program's, so that a worker's
/// error is seen. It is started as it is, with no hook before `exec`, so that the
/// spawn row times what starting a process costs.
pub(crate) fn worker_command(role: &str, numbers: &[u64]) -> io::Result<Command> {
    let mut command = children::role_command(std::env::current_exe()?, WORKER_ENV, role, numbers);
    command.stderr(Stdio::inherit());
    Ok(command)
}

/// Below this factor between the two figures, neither side wins.
pub(crate) const EVEN_BELOW: f64 = 1.25;

/// A figure's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub(crate) enum Unit {
    #[serde(rename = "µs")]
    Micros,
    #[serde(rename = "ms")]
    Millis,
    #[serde(rename = "KiB")]
    KiB,
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unit::Micros => "µs",
            Unit::Millis => "ms",
            Unit::KiB => "KiB",
        })
    }
}

/// A duration in microseconds.
pub(crate) fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

/// A duration in milliseconds.
pub(crate) fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// One claim, measured both ways; lower is better for every figure.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Row {
    /// What is measured, as the line starts: `spawn one unit of work`.
    pub(crate) claim: String,
    pub(crate) unit: Unit,
    pub(crate) threads: f64,
    pub(crate) processes: f64,
    /// How the processes did it, when it needs saying: `through a pipe`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) how: Option<String>,
}

/// Which side a row's figures favour.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(rename_all = "lowercase", tag = "winner", content = "factor")]
pub(crate) enum Verdict {
    Threads(f64),
    Processes(f64),
    Even(f64),
}

impl Row {
    /// The figures as printed: three decimals.
    fn printed(&self) -> (f64, f64) {
        let round = |x: f64| (x * 1000.0).round() / 1000.0;
        (round(self.threads), round(self.processes))
    }

    /// The verdict, from the figures as printed, so that a reader (and the
    /// checker) can recompute it from the line alone.
    pub(crate) fn verdict(&self) -> Verdict {
        let (threads, processes) = self.printed();
        let (low, high) = (threads.min(processes), threads.max(processes));
        // A figure printed as 0 still differs from a positive one by more than
        // anything measurable: the factor is then taken against 0.001.
        let factor = (high / low.max(0.001) * 100.0).round() / 100.0;
        if factor < EVEN_BELOW {
            Verdict::Even(factor)
        } else if threads < processes {
            Verdict::Threads(factor)
        } else {
            Verdict::Processes(factor)
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Threads(x) => write!(f, "threads win by {x:.2}x"),
            Verdict::Processes(x) => write!(f, "processes win by {x:.2}x"),
            Verdict::Even(x) => write!(f, "even ({x:.2}x)"),
        }
    }
}

impl fmt::Display for Row {
    /// `spawn one unit of work: threads 21.300 µs, processes 904.200 µs -> threads win by 42.45x`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (threads, processes) = self.printed();
        let how = self
            .how
            .as_ref()
            .map_or(String::new(), |how| format!(" {how}"));
        write!(
            f,
            "{}: threads {threads:.3} {unit}, processes{how} {processes:.3} {unit} -> {}",
            self.claim,
            self.verdict(),
            unit = self.unit
        )
    }
}

/// How big the rows' work is: `quick` for a check in seconds, else the full run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    /// Samples per figure, whose median is printed.
    pub(crate) repeat: usize,
    pub(crate) quick: bool,
}

impl Scale {
    /// `quick` when checking, `full` when measuring.
    pub(crate) fn pick<T>(self, quick: T, full: T) -> T {
        if self.quick { quick } else { full }
    }
}
