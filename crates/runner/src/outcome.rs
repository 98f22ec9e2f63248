//! The data a run produces and a verdict needs: the [`Limits`] a run gets, how it
//! ended ([`Ending`], [`Outcome`]), how it was contained ([`Containment`]), what it
//! created ([`Tasks`], with their exits: [`ProcessExit`]) and which cap ended it
//! ([`LimitReached`]).
//!
//! A leaf: it imports nothing of the crate and runs nothing, so that a crate which
//! judges runs (the contracts) can take these types without running anything.

use std::time::Duration;

/// How long [`run`](crate::run) lets a program run, how much of its output it keeps, and the
/// resource limits each of its processes gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// At this long after its start, the program's group gets `SIGTERM`.
    pub deadline: Duration,
    /// How long after `SIGTERM` the group gets `SIGKILL`: the verdict on a program
    /// that ignores `SIGTERM` arrives `deadline + term_grace` after its start.
    pub term_grace: Duration,
    /// The program is killed once its stdout exceeds this many bytes; that much is
    /// kept. Stderr is kept up to the same size and drained (not limited) past it.
    pub output_cap: usize,
    /// The data limit (`RLIMIT_DATA`) of every process the program starts, in
    /// bytes: the private writable memory it maps (heap, anonymous mappings,
    /// thread stacks), not the address space it only reserves (as the JVM does for
    /// its heap). An allocation past it fails, so a runaway program crashes
    /// instead of the machine. It applies per process, not to the whole tree.
    pub memory: Option<u64>,
    /// The largest file (`RLIMIT_FSIZE`) any of its processes may write, in bytes;
    /// writing past it kills the writer with `SIGXFSZ`.
    pub file_size: Option<u64>,
    /// Every process of the run is pinned to this CPU (its affinity set to it
    /// alone), as on a machine of one core.
    pub cpu: Option<usize>,
    /// Every process of the run gets this nice value (19: the lowest priority).
    pub nice: Option<i32>,
    /// The most tasks the run's user may have (`RLIMIT_NPROC`, which counts every
    /// task of the user, and does not bind root).
    pub user_tasks: Option<u64>,
}

impl Default for Limits {
    /// A minute, a second's grace, a mebibyte of output, no memory or file limit,
    /// the caller's CPUs and priority.
    fn default() -> Self {
        Self {
            deadline: Duration::from_secs(60),
            term_grace: Duration::from_secs(1),
            output_cap: 1 << 20,
            memory: None,
            file_size: None,
            cpu: None,
            nice: None,
            user_tasks: None,
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The program exited by itself with this code.
    Exited(i32),
    /// The program was killed by this signal, not sent by the runner.
    Signalled(i32),
    /// The program was still running at the deadline and was stopped.
    TimedOut,
    /// The program's stdout outgrew the cap and it was killed.
    OutputLimit,
}

/// What a run printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// How the run ended.
    pub ending: Ending,
    /// Stdout, up to the cap.
    pub stdout: Vec<u8>,
    /// Stderr, up to the cap.
    pub stderr: Vec<u8>,
    /// From the start to the end of the program (not of the output).
    pub elapsed: Duration,
    /// After the deadline's `SIGTERM`, something in the group was still running
    /// `term_grace` later and needed `SIGKILL`.
    pub survived_sigterm: bool,
    /// Processes of the run that had left its process group and were still running
    /// when the program ended, killed then ([`Subreaper::run`](crate::Subreaper::run) only; 0 otherwise).
    pub left_behind: usize,
    /// Some process that escaped the group still held stdout or stderr open after
    /// the program ended; the output is what had arrived by then. Never true for a
    /// [`Subreaper::run`](crate::Subreaper::run), which kills such processes.
    pub output_held_open: bool,
    /// The tasks the run created, where a jail counted them
    /// ([`Subreaper::run_jailed`](crate::Subreaper::run_jailed) with namespaces only).
    pub tasks: Option<Tasks>,
    /// The jail's cap that the run reached, if any.
    pub limit_reached: Option<LimitReached>,
}

impl Outcome {
    /// The last `n` lines of stdout, for reports about runs that went wrong.
    pub fn stdout_tail(&self, n: usize) -> String {
        last_lines(&self.stdout, n)
    }

    /// The last `n` lines of stderr, for reports about runs that crashed.
    pub fn stderr_tail(&self, n: usize) -> String {
        last_lines(&self.stderr, n)
    }
}

/// The last `n` lines of `output`, bytes that are not UTF-8 shown as U+FFFD.
fn last_lines(output: &[u8], n: usize) -> String {
    let text = String::from_utf8_lossy(output);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// What contains a run, strongest first; every report names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Containment {
    /// The run has PID, network (loopback only) and mount namespaces of its own,
    /// with the helper as their init: nothing it starts outlives it, it reaches no
    /// network, and its tasks are counted exactly.
    pub namespaces: bool,
    /// Where the cap on the run's tasks comes from (`pids cgroup (v1)`), if any.
    pub process_cap: Option<String>,
    /// Where the cap on the run's resident memory comes from, if any; without it
    /// the memory limit is each process's private writable memory (`RLIMIT_DATA`).
    pub memory_cap: Option<String>,
    /// Every task the run had is known from the kernel's record of its exit
    /// (taskstats), however briefly it lived.
    #[serde(default)]
    pub exit_records: bool,
    /// Why a stronger level is not in force, for each one that is not.
    pub missing: Vec<String>,
}

impl Containment {
    /// The level with nothing but the subreaper's sweep and rlimits, and why.
    pub(crate) fn sweep_only(why: String) -> Self {
        Self {
            namespaces: false,
            process_cap: None,
            memory_cap: None,
            exit_records: false,
            missing: vec![why],
        }
    }

    /// One line for a report: what is in force, then what is not and why.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        match self.namespaces {
            true => parts.push("PID, network and mount namespaces".to_owned()),
            false => parts.push("subreaper sweep".to_owned()),
        }
        if let Some(cap) = &self.process_cap {
            parts.push(format!("process cap from the {cap}"));
        }
        match &self.memory_cap {
            Some(cap) => parts.push(format!("memory cap from the {cap}")),
            None => parts.push("memory limit per process (RLIMIT_DATA)".to_owned()),
        }
        if self.exit_records {
            parts.push("tasks counted by their exit records".to_owned());
        }
        let mut line = parts.join(", ");
        if !self.missing.is_empty() {
            line.push_str(&format!(" (not in force: {})", self.missing.join("; ")));
        }
        line
    }
}

/// The tasks a contained run created, as its init counted them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tasks {
    /// Every task (process or thread) the program created, itself included: exact,
    /// from the numbers its PID namespace gave out.
    pub created: u32,
    /// How many of those the init's samples of `/proc` saw; when it is all of
    /// them, the counts below are complete.
    pub seen: u32,
    /// Processes seen, the program itself included.
    pub processes: u32,
    /// The most processes seen alive at once.
    pub peak_processes: u32,
    /// The most threads seen alive at once in one process.
    pub peak_threads: u32,
    /// The most tasks alive at once: exact, from the pids cgroup, where the kernel
    /// keeps it.
    pub peak_tasks: Option<u64>,
    /// Whether `created` is exact (counted by a PID namespace); otherwise every
    /// count was sampled, and `created` is only what was seen.
    #[serde(default)]
    pub exact: bool,
    /// Every process of the run and each of its threads, from the kernel's record
    /// of their exits: complete however briefly each lived. `None` where the
    /// kernel keeps no such records for this grader ([`Tasks::exits_missing`]
    /// says why).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exits: Option<Vec<ProcessExit>>,
    /// Why there are no exit records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exits_missing: Option<String>,
}

/// A process of a run, from the kernel's records of its threads' exits.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProcessExit {
    /// Its threads, its first (main) thread first, then in the order they ended.
    pub threads: Vec<ThreadExit>,
}

/// A thread of a run, from the kernel's record of its exit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ThreadExit {
    /// Its name when it ended (the kernel's 15 characters).
    pub name: String,
    /// The CPU time it used, user and system, in microseconds, as the kernel
    /// sampled it at its tick: a thread that ran less than a tick may show none.
    pub cpu_us: u64,
}

impl Tasks {
    /// Whether every task created was seen, so that the sampled counts miss
    /// nothing the program did; never so when nothing counted what was created.
    pub fn complete(&self) -> bool {
        self.exact && self.seen >= self.created
    }
}

/// A cap the run reached, which ended it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LimitReached {
    /// A fork or thread start was refused by the process cap; the run was ended.
    Processes,
    /// The memory cap's out-of-memory killer killed a process of the run.
    Memory,
}

impl std::fmt::Display for LimitReached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Processes => "process limit reached",
            Self::Memory => "memory limit reached",
        })
    }
}
