//! A run's own control groups: a process cap from the pids controller and a
//! memory cap from the memory controller, on cgroup v2 or v1, made before the run
//! and removed after it by whichever outlives the other, the runner or the jail's
//! helper; a runner starting up removes those that both left behind.
//!
//! Where they go is [`home`]'s business. A controller that is not mounted, or
//! whose group cannot be made (no root, no delegation), is simply not used: the
//! caller falls back to rlimits and says so.

mod home;

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// The controllers a run may be capped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Controller {
    Pids,
    Memory,
}

impl Controller {
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Pids => "pids",
            Self::Memory => "memory",
        }
    }
}

/// How a run's group is named: this prefix, the pid of the process that made it,
/// and a number.
const RUN_PREFIX: &str = "concurrency-run-";

/// One of a run's groups: where it goes and its caps. On cgroup v1 each
/// controller has a hierarchy of its own, so a run has a group in each; on v2 one
/// group carries both caps (a process is in one group per hierarchy, so a second
/// group there would take it out of the first). Plain data, so that the runner can
/// name it and the jail's helper make it, and whichever outlives the other
/// remove it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct GroupSpec {
    path: PathBuf,
    v2: bool,
    /// The pids cap, in tasks.
    tasks: Option<u64>,
    /// The memory cap, in bytes.
    memory: Option<u64>,
}

impl GroupSpec {
    /// Names the groups a run needs for a cap of `tasks` and of `memory` bytes
    /// (each where asked), one per hierarchy, making nothing yet; fails when a
    /// controller asked for cannot be had here.
    pub(super) fn plan(tasks: Option<u64>, memory: Option<u64>) -> io::Result<Vec<Self>> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let mut groups: Vec<(PathBuf, Self)> = Vec::new();
        for (controller, limit) in [(Controller::Pids, tasks), (Controller::Memory, memory)] {
            let Some(limit) = limit else { continue };
            let home = home::home(controller)?;
            let group = match groups.iter_mut().find(|(own, _)| *own == home.own) {
                Some((_, group)) => group,
                None => {
                    let name = format!(
                        "{RUN_PREFIX}{}-{}",
                        std::process::id(),
                        NEXT.fetch_add(1, Ordering::Relaxed)
                    );
                    let group = Self {
                        path: home.own.join(name),
                        v2: home.v2,
                        tasks: None,
                        memory: None,
                    };
                    groups.push((home.own, group));
                    &mut groups.last_mut().expect("just pushed").1
                }
            };
            match controller {
                Controller::Pids => group.tasks = Some(limit),
                Controller::Memory => group.memory = Some(limit),
            }
        }
        Ok(groups.into_iter().map(|(_, group)| group).collect())
    }

    /// Makes the group and sets its caps; a group half made is removed again.
    pub(super) fn make(&self) -> io::Result<()> {
        fs::create_dir(&self.path)?;
        self.set_limits().inspect_err(|_| {
            let _ = fs::remove_dir(&self.path);
        })
    }

    fn set_limits(&self) -> io::Result<()> {
        // On v2 a controller must be enabled for the new group's parent; if it
        // is not, the limit file is missing and the write fails with NotFound.
        if let Some(tasks) = self.tasks {
            fs::write(self.path.join("pids.max"), tasks.to_string())?;
        }
        if let Some(bytes) = self.memory {
            let (file, swap, no_swap) = match self.v2 {
                true => ("memory.max", "memory.swap.max", "0".to_owned()),
                false => (
                    "memory.limit_in_bytes",
                    "memory.memsw.limit_in_bytes",
                    bytes.to_string(),
                ),
            };
            fs::write(self.path.join(file), bytes.to_string())?;
            // No swap beyond the cap, where the kernel accounts swap at all.
            let _ = fs::write(self.path.join(swap), no_swap);
        }
        Ok(())
    }

    /// Moves the calling process into the group.
    pub(super) fn join(&self) -> io::Result<()> {
        fs::write(self.path.join("cgroup.procs"), "0")
    }

    /// The group as one argument for the jail's helper:
    /// `v1:TASKS:BYTES:PATH`, a cap not asked for written `-`.
    pub(super) fn to_arg(&self) -> OsString {
        let cap = |limit: Option<u64>| limit.map_or_else(|| "-".to_owned(), |l| l.to_string());
        let version = if self.v2 { "v2" } else { "v1" };
        let mut arg = OsString::from(format!(
            "{version}:{}:{}:",
            cap(self.tasks),
            cap(self.memory)
        ));
        arg.push(&self.path);
        arg
    }

    /// The group an argument of [`GroupSpec::to_arg`] names.
    pub(super) fn from_arg(arg: &OsStr) -> Option<Self> {
        let mut parts = arg.as_bytes().splitn(4, |&b| b == b':');
        let v2 = match parts.next()? {
            b"v1" => false,
            b"v2" => true,
            _ => return None,
        };
        let cap = |part: &[u8]| match part {
            b"-" => Some(None),
            number => std::str::from_utf8(number).ok()?.parse().ok().map(Some),
        };
        let tasks = cap(parts.next()?)?;
        let memory = cap(parts.next()?)?;
        let path = PathBuf::from(OsStr::from_bytes(parts.next()?));
        (path.is_absolute() && (tasks.is_some() || memory.is_some())).then_some(Self {
            path,
            v2,
            tasks,
            memory,
        })
    }

    /// The group's folder.
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Whether it carries the pids cap.
    pub(super) fn counts_tasks(&self) -> bool {
        self.tasks.is_some()
    }

    /// Whether it carries the memory cap.
    pub(super) fn caps_memory(&self) -> bool {
        self.memory.is_some()
    }

    /// Which hierarchy this group is in, for reports: `pids cgroup (v1)`.
    pub(super) fn describe(&self) -> String {
        let version = if self.v2 { "v2" } else { "v1" };
        let controllers = match (self.tasks, self.memory) {
            (Some(_), Some(_)) => "pids and memory",
            (Some(_), None) => "pids",
            (None, _) => "memory",
        };
        format!("{controllers} cgroup ({version})")
    }

    /// Whether the run hit this group's pids cap: a fork was refused.
    pub(super) fn tasks_limit_reached(&self) -> bool {
        self.counts_tasks() && fork_refused(&self.events())
    }

    /// Whether the run hit this group's memory cap: the memory controller's OOM
    /// killer killed a process of it.
    pub(super) fn memory_limit_reached(&self) -> bool {
        let file = match self.v2 {
            true => "memory.events",
            false => "memory.oom_control",
        };
        self.caps_memory() && counted(&self.path.join(file), "oom_kill")
    }

    /// The file whose counter tells that the pids cap was reached, for the
    /// jail's init to watch during the run.
    pub(super) fn events(&self) -> PathBuf {
        self.path.join("pids.events")
    }

    /// The most tasks that were in the group at once, where the kernel keeps it
    /// (`pids.peak`, Linux 6.13 and later on v1).
    pub(super) fn peak(&self) -> Option<u64> {
        fs::read_to_string(self.path.join("pids.peak"))
            .ok()?
            .trim()
            .parse()
            .ok()
    }
}

/// A run's group as the runner holds it: removed on drop, if the jail's helper
/// (which makes it) has not removed it already.
#[derive(Debug)]
pub(super) struct RunGroup(GroupSpec);

impl RunGroup {
    /// Makes a group of its own under `controller` with `limit`, as a run's would
    /// be made, or says why not: how a probe finds whether a cap can be had.
    pub(super) fn create(controller: Controller, limit: u64) -> io::Result<Self> {
        let caps = match controller {
            Controller::Pids => (Some(limit), None),
            Controller::Memory => (None, Some(limit)),
        };
        let spec = GroupSpec::plan(caps.0, caps.1)?
            .pop()
            .ok_or_else(|| io::Error::other("no group planned"))?;
        spec.make()?;
        Ok(Self(spec))
    }

    /// The group `spec` names, for the jail's helper to make.
    pub(super) fn planned(spec: GroupSpec) -> Self {
        Self(spec)
    }
}

impl std::ops::Deref for RunGroup {
    type Target = GroupSpec;

    fn deref(&self) -> &GroupSpec {
        &self.0
    }
}

impl Drop for RunGroup {
    /// Removes the group; its tasks have all exited by now, but the kernel may
    /// take a moment to let the last of them go.
    fn drop(&mut self) {
        if let Err(error) = remove(&self.0.path, Duration::from_secs(5)) {
            eprintln!(
                "warning: could not remove the run's cgroup {}: {error}",
                self.0.path.display()
            );
        }
    }
}

/// Removes the (empty, or emptying) group at `path`, trying again for up to
/// `patience` while the kernel lets its last tasks go; a group already gone is
/// removed.
fn remove(path: &Path, patience: Duration) -> io::Result<()> {
    let give_up = Instant::now() + patience;
    loop {
        match fs::remove_dir(path) {
            Ok(()) => return Ok(()),
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(error) if Instant::now() >= give_up => return Err(error),
            Err(_) => thread::sleep(Duration::from_millis(5)),
        }
    }
}

/// For the jail's helper, once its runner has ended and the run with it: moves
/// this process out of each of `groups` (into the group's parent) and removes
/// them. Best effort: a group left is removed by the next runner to start.
pub(super) fn leave_and_remove(groups: &[PathBuf]) {
    for group in groups {
        if let Some(parent) = group.parent() {
            // On v2 the parent, which enables controllers for its children, may
            // hold no process: its leaf takes this one.
            let _ = fs::write(parent.join("cgroup.procs"), "0")
                .or_else(|_| fs::write(parent.join(home::LEAF).join("cgroup.procs"), "0"));
        }
        let _ = remove(group, Duration::from_secs(1));
    }
}

/// Removes the runs' groups that runners which no longer exist left behind (the
/// pid in a group's name is gone), under each controller: their processes are
/// killed first, in case a run outlived its runner. Returns how many were removed.
pub(super) fn remove_stale() -> usize {
    let mut removed = 0;
    for controller in [Controller::Pids, Controller::Memory] {
        let Ok(hierarchy) = home::home(controller) else {
            continue;
        };
        let Ok(entries) = fs::read_dir(&hierarchy.own) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(owner) = name.to_str().and_then(owner_of) else {
                continue;
            };
            if Path::new("/proc").join(owner.to_string()).exists() {
                continue;
            }
            let path = entry.path();
            let procs = fs::read_to_string(path.join("cgroup.procs")).unwrap_or_default();
            for pid in procs
                .split_whitespace()
                .filter_map(|p| p.parse::<i32>().ok())
            {
                // SAFETY: kill takes plain numbers. A pid in an abandoned run's
                // group is that run's process (a pid leaves the group when it exits).
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
            removed += usize::from(remove(&path, Duration::from_secs(1)).is_ok());
        }
    }
    removed
}

/// The pid of the runner that made the group named `name`, if it is a run's group.
fn owner_of(name: &str) -> Option<u32> {
    let (pid, number) = name.strip_prefix(RUN_PREFIX)?.split_once('-')?;
    number.parse::<u32>().ok()?;
    pid.parse().ok()
}

/// Whether the pids cgroup whose `pids.events` is `events` has refused a fork.
pub(super) fn fork_refused(events: &Path) -> bool {
    counted(events, "max")
}

/// Whether the counter `key` of the flat-keyed cgroup file `file` is above 0.
fn counted(file: &Path, key: &str) -> bool {
    fs::read_to_string(file).is_ok_and(|text| counter(&text, key) > 0)
}

/// `key N` in a flat-keyed cgroup file, or 0.
fn counter(text: &str, key: &str) -> u64 {
    text.lines()
        .filter_map(|line| line.split_once(' '))
        .find(|(k, _)| *k == key)
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_group_names_the_runner_that_made_it() {
        assert_eq!(owner_of("concurrency-run-4242-0"), Some(4242));
        assert_eq!(owner_of("concurrency-run-4242-17"), Some(4242));
        for other in [
            "concurrency-run-4242",
            "concurrency-run-x-1",
            "concurrency-run-4242-1a",
            "concurrency-grader",
            "user.slice",
        ] {
            assert_eq!(owner_of(other), None, "{other}");
        }
    }

    #[test]
    fn a_group_passes_to_the_helper_as_one_argument() {
        for (v2, tasks, memory, path) in [
            (
                false,
                Some(514),
                None,
                "/sys/fs/cgroup/pids/concurrency-run-7-0",
            ),
            (
                true,
                Some(514),
                Some(1 << 30),
                "/sys/fs/cgroup/a:b/concurrency-run-7-1",
            ),
            (
                false,
                None,
                Some(1 << 30),
                "/sys/fs/cgroup/memory/concurrency-run-7-2",
            ),
        ] {
            let spec = GroupSpec {
                path: PathBuf::from(path),
                v2,
                tasks,
                memory,
            };
            assert_eq!(GroupSpec::from_arg(&spec.to_arg()), Some(spec));
        }
        for bad in [
            "",
            "v1",
            "v3:1:-:/x",
            "v1:x:-:/x",
            "v1:1:-:x",
            "v1:-:-:/x",
            "pids:v1:1:/x",
        ] {
            assert_eq!(GroupSpec::from_arg(OsStr::new(bad)), None, "{bad}");
        }
    }

    #[test]
    fn a_group_names_the_caps_it_carries() {
        let group = |tasks, memory| GroupSpec {
            path: PathBuf::from("/x"),
            v2: true,
            tasks,
            memory,
        };
        assert_eq!(
            group(Some(1), Some(1)).describe(),
            "pids and memory cgroup (v2)"
        );
        assert_eq!(group(Some(1), None).describe(), "pids cgroup (v2)");
        assert_eq!(group(None, Some(1)).describe(), "memory cgroup (v2)");
    }

    #[test]
    fn counters_are_read_by_key() {
        let text = "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n";
        assert_eq!(counter(text, "oom_kill"), 2);
        assert_eq!(counter(text, "under_oom"), 0);
        assert_eq!(counter("max 0\n", "max"), 0);
        assert_eq!(counter("max 17\n", "max"), 17);
        assert_eq!(counter("", "max"), 0);
    }
}
