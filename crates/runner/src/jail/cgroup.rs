//! A run's own control groups: a process cap from the pids controller and a
//! memory cap from the memory controller, on cgroup v2 or v1, made before the run
//! and removed after it.
//!
//! Each controller is looked for where this process's own cgroup is (from
//! `/proc/self/cgroup` and `/proc/self/mountinfo`), and the run's group is made
//! inside it, so that limits set above this process still hold. A controller that
//! is not mounted, or whose group cannot be made (no root, no delegation), is
//! simply not used: the caller falls back to rlimits and says so.

use std::fs;
use std::io;
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
    fn name(self) -> &'static str {
        match self {
            Self::Pids => "pids",
            Self::Memory => "memory",
        }
    }
}

/// Where a controller lives: a v1 hierarchy of its own, or the unified v2 one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Hierarchy {
    /// The folder of this process's own cgroup in that hierarchy.
    own: PathBuf,
    v2: bool,
}

/// One run's group under one controller, removed on drop.
#[derive(Debug)]
pub(super) struct RunGroup {
    controller: Controller,
    path: PathBuf,
    v2: bool,
}

impl RunGroup {
    /// Makes a group of its own for a run under `controller` with `limit` (tasks,
    /// or bytes of memory), or says why not.
    pub(super) fn create(controller: Controller, limit: u64) -> io::Result<Self> {
        let hierarchy = find(controller)?;
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "concurrency-run-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = hierarchy.own.join(name);
        fs::create_dir(&path)?;
        let group = Self {
            controller,
            path,
            v2: hierarchy.v2,
        };
        let file = match (controller, group.v2) {
            (Controller::Pids, _) => "pids.max",
            (Controller::Memory, true) => "memory.max",
            (Controller::Memory, false) => "memory.limit_in_bytes",
        };
        // On v2 the controller must be enabled for the new group's parent; if it
        // is not, the limit file is missing and the write fails with NotFound.
        fs::write(group.path.join(file), limit.to_string())?;
        if controller == Controller::Memory {
            // No swap beyond the cap, where the kernel accounts swap at all.
            let swap = match group.v2 {
                true => "memory.swap.max",
                false => "memory.memsw.limit_in_bytes",
            };
            let _ = fs::write(
                group.path.join(swap),
                if group.v2 {
                    "0".into()
                } else {
                    limit.to_string()
                },
            );
        }
        Ok(group)
    }

    /// The file a process writes `0` to, to move itself into this group.
    pub(super) fn procs(&self) -> PathBuf {
        self.path.join("cgroup.procs")
    }

    /// Which hierarchy this group is in, for reports: `pids cgroup (v1)`.
    pub(super) fn describe(&self) -> String {
        let version = if self.v2 { "v2" } else { "v1" };
        format!("{} cgroup ({version})", self.controller.name())
    }

    /// Whether the run hit this group's cap: a fork refused by the pids
    /// controller, or a process killed by the memory controller's OOM killer.
    pub(super) fn limit_reached(&self) -> bool {
        let (file, key) = match (self.controller, self.v2) {
            (Controller::Pids, _) => ("pids.events", "max"),
            (Controller::Memory, true) => ("memory.events", "oom_kill"),
            (Controller::Memory, false) => ("memory.oom_control", "oom_kill"),
        };
        counted(&self.path.join(file), key)
    }

    /// The file whose counter tells that the cap was reached, for the jail's
    /// init to watch during the run.
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

impl Drop for RunGroup {
    /// Removes the group; its tasks have all exited by now, but the kernel may
    /// take a moment to let the last of them go.
    fn drop(&mut self) {
        let give_up = Instant::now() + Duration::from_secs(5);
        while let Err(error) = fs::remove_dir(&self.path) {
            if error.kind() == io::ErrorKind::NotFound || Instant::now() >= give_up {
                if error.kind() != io::ErrorKind::NotFound {
                    eprintln!(
                        "warning: could not remove the run's cgroup {}: {error}",
                        self.path.display()
                    );
                }
                return;
            }
            thread::sleep(Duration::from_millis(5));
        }
    }
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

/// Where `controller` is mounted and this process's group in it.
fn find(controller: Controller) -> io::Result<Hierarchy> {
    let membership = fs::read_to_string("/proc/self/cgroup")?;
    let mountinfo = fs::read_to_string("/proc/self/mountinfo")?;
    locate(controller, &membership, &mountinfo).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("no {} cgroup controller is mounted", controller.name()),
        )
    })
}

/// [`find`] on the texts of `/proc/self/cgroup` and `/proc/self/mountinfo`: a v1
/// hierarchy of the controller's own first, else the unified one if it offers it.
fn locate(controller: Controller, membership: &str, mountinfo: &str) -> Option<Hierarchy> {
    let name = controller.name();
    // `/proc/self/cgroup`: `ID:CONTROLLERS:PATH`, with empty CONTROLLERS for v2.
    let mut v1_path = None;
    let mut v2_path = None;
    for line in membership.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        match controllers {
            "" => v2_path = Some(path),
            list if list.split(',').any(|c| c == name) => v1_path = Some(path),
            _ => {}
        }
    }
    // `/proc/self/mountinfo`: `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS … - FSTYPE SOURCE SUPEROPTIONS`.
    for line in mountinfo.lines() {
        let Some((before, after)) = line.split_once(" - ") else {
            continue;
        };
        let fields: Vec<&str> = before.split(' ').collect();
        let theirs: Vec<&str> = after.split(' ').collect();
        let (Some(root), Some(point), Some(fstype)) =
            (fields.get(3), fields.get(4), theirs.first())
        else {
            continue;
        };
        let options = theirs.get(2).copied().unwrap_or("");
        let own = |path: &str| {
            // The mount shows the hierarchy from `root`; this process's group is
            // `path` relative to the hierarchy's top.
            let relative = path.strip_prefix(root).unwrap_or(path);
            Path::new(point).join(relative.trim_start_matches('/'))
        };
        match (*fstype, v1_path) {
            ("cgroup", Some(path)) if options.split(',').any(|o| o == name) => {
                return Some(Hierarchy {
                    own: own(path),
                    v2: false,
                });
            }
            ("cgroup2", _) if v1_path.is_none() => {
                let path = v2_path?;
                let top = Path::new(point);
                let offered = fs::read_to_string(top.join("cgroup.controllers"))
                    .is_ok_and(|list| list.split_whitespace().any(|c| c == name));
                if offered {
                    return Some(Hierarchy {
                        own: own(path),
                        v2: true,
                    });
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMBERSHIP_V1: &str = "8:pids:/\n4:memory:/process_api/abc\n1:cpu:/\n0::/\n";
    const MOUNTS_V1: &str = "\
30 25 0:27 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
31 25 0:28 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
35 25 0:32 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
";

    #[test]
    fn a_v1_controller_is_found_in_its_own_hierarchy_at_this_process_group() {
        let pids = locate(Controller::Pids, MEMBERSHIP_V1, MOUNTS_V1).unwrap();
        assert_eq!(pids.own, Path::new("/sys/fs/cgroup/pids"));
        assert!(!pids.v2);
        let memory = locate(Controller::Memory, MEMBERSHIP_V1, MOUNTS_V1).unwrap();
        assert_eq!(
            memory.own,
            Path::new("/sys/fs/cgroup/memory/process_api/abc")
        );
    }

    #[test]
    fn a_mount_of_part_of_a_hierarchy_is_followed_from_its_root() {
        let mounts = "30 25 0:27 /process_api /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n";
        let memory = locate(Controller::Memory, MEMBERSHIP_V1, mounts).unwrap();
        assert_eq!(memory.own, Path::new("/sys/fs/cgroup/memory/abc"));
    }

    #[test]
    fn no_mount_means_no_controller() {
        assert_eq!(locate(Controller::Pids, MEMBERSHIP_V1, ""), None);
        let only_cpu = "30 25 0:27 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n";
        assert_eq!(locate(Controller::Pids, MEMBERSHIP_V1, only_cpu), None);
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
