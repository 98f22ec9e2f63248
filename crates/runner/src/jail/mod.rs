//! Runs contained by the kernel: new PID, network and mount namespaces with a
//! helper as their init, a process cap and a memory cap from control groups, and
//! an exact count of the tasks a run creates.
//!
//! A [`Jail`] names the helper program (a program that calls [`serve_if_asked`]
//! first thing in `main`; the grader is its own helper) and the caps. [`Jail::probe`]
//! finds out once what this machine allows, as a [`Containment`], so that a
//! report can say how its runs were contained. [`Subreaper::run_jailed`] then
//! runs a program inside; where the namespaces are not allowed it is the plain
//! [`Subreaper::run`] with whatever caps could be had.
//!
//! [`Subreaper::run_jailed`]: super::Subreaper::run_jailed
//! [`Subreaper::run`]: super::Subreaper::run

mod census;
mod cgroup;
mod context;
mod exits;
mod init;
mod lifeline;
mod userns;

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

pub use init::serve_if_asked;

pub(super) use census::Sampler;

use cgroup::{Controller, GroupSpec, RunGroup};
use exits::Ledger;

use super::contain::{self, REPORT_FD};
use super::{Limits, Outcome, supervise};
use crate::outcome::{Containment, LimitReached, Tasks};

/// The first argument that makes a program a jail's helper.
const JAIL_ARG: &str = "__concurrency-jail-helper";
/// The helper's argument for a dry run of what a jail needs.
const PROBE: &str = "probe";
/// What the helper's dry run prints when everything worked: a program that is
/// no helper may exit 0 too.
const READY: &str = "jail-ready";

/// The tasks (processes and threads) the helper and its init add to a run's
/// control group, beside the program's own.
const HELPER_TASKS: u64 = 2;

/// How runs are contained, as found on this machine by [`Jail::probe`].
#[derive(Debug, Clone)]
pub struct Jail {
    helper: PathBuf,
    max_tasks: u32,
    containment: Containment,
    /// No pids cgroup, and not root: the cap is the user's `RLIMIT_NPROC`.
    user_cap: bool,
}

/// How the report names the process cap that `RLIMIT_NPROC` gives.
const USER_CAP: &str = "user's RLIMIT_NPROC (which counts all of their tasks)";

impl Jail {
    /// Finds what this machine allows runs with `helper` as the jail's helper,
    /// capped at `max_tasks` tasks: namespaces if the helper can make them, and
    /// each cap whose control group can be made. `namespaces: false` asks for the
    /// sweep alone, whatever the machine allows.
    pub fn probe(helper: &Path, max_tasks: u32, namespaces: bool) -> Self {
        let helper = helper.to_path_buf();
        let mut containment = match namespaces {
            false => Containment::sweep_only("not asked for".into()),
            true => match probe_namespaces(&helper) {
                Ok(()) => Containment {
                    namespaces: true,
                    process_cap: None,
                    memory_cap: None,
                    exit_records: false,
                    missing: Vec::new(),
                },
                Err(why) => Containment::sweep_only(match userns::hint() {
                    Some(hint) => format!("namespaces: {why} ({hint})"),
                    None => format!("namespaces: {why}"),
                }),
            },
        };
        if containment.namespaces {
            cgroup::remove_stale();
            match RunGroup::create(Controller::Pids, u64::from(max_tasks) + HELPER_TASKS) {
                Ok(group) => containment.process_cap = Some(group.describe()),
                Err(error) => containment.missing.push(format!("pids cgroup: {error}")),
            }
            match RunGroup::create(Controller::Memory, 1 << 30) {
                Ok(group) => containment.memory_cap = Some(group.describe()),
                Err(error) => containment.missing.push(format!("memory cgroup: {error}")),
            }
            match Ledger::open() {
                Ok(_) => containment.exit_records = true,
                Err(error) => containment
                    .missing
                    .push(format!("exit records (taskstats): {error}")),
            }
        }
        // Without a pids cgroup, a user's own rlimit still stops a fork bomb;
        // root's is not enforced.
        let user_cap = containment.process_cap.is_none() && !rustix::process::geteuid().is_root();
        if user_cap {
            containment.process_cap = Some(USER_CAP.to_owned());
        }
        Self {
            helper,
            max_tasks,
            containment,
            user_cap,
        }
    }

    /// `limits` with this jail's rlimit cap on tasks, where that is its cap: the
    /// user's tasks now, and room for `max_tasks` more.
    pub(super) fn capped(&self, limits: &Limits) -> Limits {
        let mut limits = *limits;
        if self.user_cap {
            let uid = rustix::process::getuid().as_raw();
            limits.user_tasks = Some(tasks_of(uid) + u64::from(self.max_tasks) + HELPER_TASKS);
        }
        limits
    }

    /// How this jail's runs are contained.
    pub fn containment(&self) -> &Containment {
        &self.containment
    }

    /// Runs `command` within `limits` in this jail; see [`super::Subreaper::run_jailed`].
    pub(super) fn run(&self, command: Command, limits: &Limits) -> io::Result<Outcome> {
        // The helper makes the groups (and removes them, should this process end
        // first); this process removes them after the run.
        let tasks = (self.containment.process_cap.is_some() && !self.user_cap)
            .then(|| u64::from(self.max_tasks) + HELPER_TASKS);
        let memory = limits
            .memory
            .filter(|_| self.containment.memory_cap.is_some());
        let groups: Vec<RunGroup> = GroupSpec::plan(tasks, memory)?
            .into_iter()
            .map(RunGroup::planned)
            .collect();
        let mut limits = *limits;
        if memory.is_some() {
            // The cgroup caps the run's resident memory; a per-process limit
            // on top would fail programs (the JVM) that reserve more than they use.
            limits.memory = None;
        }
        let (report, report_write) = init::pipe()?;
        let specs: Vec<&GroupSpec> = groups.iter().map(|group| &**group).collect();
        let helper = self.wrap(command, &specs);
        let ledger = match self.containment.exit_records {
            true => Some(Ledger::open()),
            false => None,
        };
        let start = Instant::now();
        let child = contain::spawn(helper, &limits, Some(report_write))?;
        let helper_pid = child.id();
        let mut outcome = supervise::supervise(child, start, &limits, true)?;
        let mut text = String::new();
        let _ = std::fs::File::from(report).read_to_string(&mut text);
        let (mut tasks, report) = parse_report(&text)?;
        outcome.left_behind += report.left;
        if let (Some(tasks), Some(ledger)) = (&mut tasks, ledger) {
            // The helper was reaped, after its init: every exit of the run is queued.
            let exits = ledger
                .map_err(|error| format!("no listener for exit records: {error}"))
                .and_then(|ledger| ledger.finish(helper_pid));
            match (exits, report.before_exec) {
                (Ok(_), n @ 1..) => {
                    tasks.exits_missing = Some(format!(
                        "the program's first process started {n} task(s), then ran another \
                         executable: exit records cannot tell those from the program's own"
                    ));
                }
                (Ok(exits), _) => tasks.exits = Some(exits),
                (Err(why), _) => tasks.exits_missing = Some(why),
            }
        }
        let pids = groups.iter().find(|group| group.counts_tasks());
        if let (Some(tasks), Some(pids)) = (&mut tasks, pids) {
            tasks.peak_tasks = pids.peak().map(|peak| peak.saturating_sub(HELPER_TASKS));
        }
        // The init ended the run at the first refused fork; the cgroup says so.
        let cap_reached = groups.iter().any(|group| group.tasks_limit_reached());
        outcome.tasks = tasks;
        outcome.limit_reached = match (
            cap_reached,
            groups.iter().any(|group| group.memory_limit_reached()),
        ) {
            (true, _) => Some(LimitReached::Processes),
            (false, true) => Some(LimitReached::Memory),
            (false, false) => None,
        };
        Ok(outcome)
    }

    /// The helper's command that runs `command` inside: same directory and
    /// environment, the report at [`REPORT_FD`], the run's control `groups` for
    /// it to make and join.
    fn wrap(&self, command: Command, groups: &[&GroupSpec]) -> Command {
        let mut helper = Command::new(&self.helper);
        helper
            .arg(JAIL_ARG)
            .arg(REPORT_FD.to_string())
            .args(groups.iter().map(|group| group.to_arg()))
            .arg("--")
            .arg(command.get_program())
            .args(command.get_args());
        if let Some(dir) = command.get_current_dir() {
            helper.current_dir(dir);
        }
        for (key, value) in command.get_envs() {
            match value {
                Some(value) => helper.env(key, value),
                None => helper.env_remove(key),
            };
        }
        helper
    }
}

/// How many tasks (threads included) user `uid` has now, as `RLIMIT_NPROC`
/// counts them.
fn tasks_of(uid: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("status")).ok())
        .filter_map(|status| {
            let field = |name: &str| {
                status
                    .lines()
                    .find_map(|line| line.strip_prefix(name))
                    .and_then(|rest| rest.split_whitespace().next())
                    .and_then(|value| value.parse::<u64>().ok())
            };
            (field("Uid:")? == u64::from(uid)).then(|| field("Threads:").unwrap_or(1))
        })
        .sum()
}

/// Runs the helper's dry run: `Ok` when it could make the namespaces and mount a
/// `/proc` in them, else what it said.
fn probe_namespaces(helper: &Path) -> Result<(), String> {
    let output = Command::new(helper)
        .args([JAIL_ARG, PROBE])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|error| format!("{}: {error}", helper.display()))?;
    let ready = output.status.success() && String::from_utf8_lossy(&output.stdout).trim() == READY;
    match (ready, output.stderr.is_empty()) {
        (true, _) => Ok(()),
        (false, false) => Err(String::from_utf8_lossy(&output.stderr).trim().to_owned()),
        (false, true) => Err(format!(
            "{} is no jail helper ({})",
            helper.display(),
            output.status
        )),
    }
}

/// What the init's report says beside the tasks.
#[derive(Debug, Default, PartialEq, Eq)]
struct InitReport {
    /// How many processes the program left running.
    left: usize,
    /// How many tasks the program's first process started before it last ran a
    /// new executable (a wrapper's, not the program's).
    before_exec: u32,
}

/// The counts in the init's report (the tasks, and the rest), or the error it
/// reported.
fn parse_report(text: &str) -> io::Result<(Option<Tasks>, InitReport)> {
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["error", rest @ ..] => {
                return Err(io::Error::other(format!(
                    "the jail could not be set up: {}",
                    rest.join(" ")
                )));
            }
            ["exec-error", code] => {
                let code = code.parse().unwrap_or(libc::ENOENT);
                return Err(io::Error::from_raw_os_error(code));
            }
            ["tasks", pairs @ ..] => {
                let value = |key: &str| {
                    pairs
                        .chunks(2)
                        .find(|pair| pair[0] == key)
                        .and_then(|pair| pair.get(1)?.parse::<u32>().ok())
                        .unwrap_or(0)
                };
                let tasks = Tasks {
                    created: value("created"),
                    seen: value("seen"),
                    processes: value("processes"),
                    peak_processes: value("peak-processes"),
                    peak_threads: value("peak-threads"),
                    peak_tasks: None,
                    exact: true,
                    exits: None,
                    exits_missing: None,
                };
                let report = InitReport {
                    left: value("left") as usize,
                    before_exec: value("before-exec"),
                };
                return Ok((Some(tasks), report));
            }
            _ => {}
        }
    }
    // Killed before it could report (the deadline's SIGKILL): no counts.
    Ok((None, InitReport::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_gives_counts_errors_or_nothing() {
        let (tasks, report) = parse_report(
            "tasks created 5 seen 4 processes 3 peak-processes 2 peak-threads 2 left 1 \
             before-exec 3\n",
        )
        .unwrap();
        let tasks = tasks.unwrap();
        assert_eq!(
            report,
            InitReport {
                left: 1,
                before_exec: 3
            }
        );
        assert_eq!(
            (
                tasks.created,
                tasks.seen,
                tasks.processes,
                tasks.peak_processes,
                tasks.peak_threads
            ),
            (5, 4, 3, 2, 2)
        );
        assert!(!tasks.complete());
        assert_eq!(parse_report("").unwrap(), (None, InitReport::default()));
        let missing = parse_report("exec-error 2\n").unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        let refused = parse_report("error unshare: Operation not permitted\n").unwrap_err();
        assert!(refused.to_string().contains("unshare"), "{refused}");
    }

    #[test]
    fn a_containment_says_what_is_missing_and_why() {
        let sweep = Containment::sweep_only("namespaces: unshare: Operation not permitted".into());
        assert_eq!(
            sweep.describe(),
            "subreaper sweep, memory limit per process (RLIMIT_DATA) (not in force: namespaces: unshare: Operation not permitted)"
        );
        let full = Containment {
            namespaces: true,
            process_cap: Some("pids cgroup (v1)".into()),
            memory_cap: Some("memory cgroup (v1)".into()),
            exit_records: true,
            missing: Vec::new(),
        };
        assert_eq!(
            full.describe(),
            "PID, network and mount namespaces, process cap from the pids cgroup (v1), memory cap from the memory cgroup (v1), tasks counted by their exit records"
        );
    }
}
