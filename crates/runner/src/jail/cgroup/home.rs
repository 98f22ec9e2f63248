//! Where a run's control groups go: found from this process's own cgroup, and on
//! cgroup v2 made ready for them by delegation, as container managers do.
//!
//! Each controller is looked for where this process's own cgroup is (from
//! `/proc/self/cgroup` and `/proc/self/mountinfo`), and the runs' groups are made
//! inside it, so that limits set above this process still hold. On v2 a group's
//! controllers must be enabled by its parent (`cgroup.subtree_control`), which a
//! group holding processes may not do unless it is the root; so the processes
//! of this process's group are first moved into a leaf of its own, [`LEAF`], as
//! runc and Docker-in-Docker do, and the runs' groups made beside it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::Controller;

/// The leaf a v2 group's processes are moved into, so that the group may enable
/// controllers for the runs' groups beside it.
pub(super) const LEAF: &str = "concurrency-grader";

/// Where a controller lives: a v1 hierarchy of its own, or the unified v2 one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Hierarchy {
    /// The folder of this process's own cgroup in that hierarchy (on v2, the
    /// group the runs' groups go in).
    pub(super) own: PathBuf,
    pub(super) v2: bool,
}

/// Where the runs' groups under `controller` go: this process's own group, made
/// ready for them on v2.
pub(super) fn home(controller: Controller) -> io::Result<Hierarchy> {
    let found = find(controller)?;
    if !found.v2 {
        return Ok(found);
    }
    let own = delegate(&found.own, controller)?;
    Ok(Hierarchy { own, v2: true })
}

/// The v2 group in which the runs' groups may have `controller`: `own` (or the
/// group above, when `own` is the [`LEAF`]), its processes moved into [`LEAF`]
/// first (unless it is the root, which may hold processes and still enable
/// controllers), then the controller enabled for its children.
///
/// The order matters: a threaded controller (`pids`) enabled for a group that
/// still holds processes makes it a threaded domain, whose new children can take
/// no process at all.
fn delegate(own: &Path, controller: Controller) -> io::Result<PathBuf> {
    let name = controller.name();
    let listed = |group: &Path, file: &str| {
        fs::read_to_string(group.join(file))
            .is_ok_and(|list| list.split_whitespace().any(|c| c == name))
    };
    // In the leaf already (moved there by an earlier delegation, or started
    // there): the group above is the one to delegate.
    let own = match own.file_name().is_some_and(|leaf| leaf == LEAF) {
        true => own.parent().unwrap_or(own),
        false => own,
    };
    if listed(own, "cgroup.subtree_control") {
        return Ok(own.to_path_buf());
    }
    if !listed(own, "cgroup.controllers") {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!(
                "cgroup v2: {} does not offer the {name} controller (its parent's cgroup.subtree_control lacks it)",
                own.display()
            ),
        ));
    }
    // The root has no cgroup.type, and is the one group that may hold
    // processes and enable controllers for its children.
    let root = !own.join("cgroup.type").exists();
    if !root {
        empty_into_leaf(own).map_err(|error| delegation_error(own, error))?;
    }
    fs::write(own.join("cgroup.subtree_control"), format!("+{name}"))
        .map_err(|error| delegation_error(own, error))?;
    Ok(own.to_path_buf())
}

/// Moves every process of `group` into its [`LEAF`], made if need be.
fn empty_into_leaf(group: &Path) -> io::Result<()> {
    let leaf = group.join(LEAF);
    match fs::create_dir(&leaf) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(error),
    }
    // Processes may be started while they are moved: a few passes.
    for _ in 0..10 {
        let procs = fs::read_to_string(group.join("cgroup.procs"))?;
        if procs.trim().is_empty() {
            return Ok(());
        }
        for pid in procs.split_whitespace() {
            // A process that ended meanwhile cannot be moved, nor needs to be.
            let _ = fs::write(leaf.join("cgroup.procs"), pid);
        }
    }
    match fs::read_to_string(group.join("cgroup.procs"))?
        .trim()
        .is_empty()
    {
        true => Ok(()),
        false => Err(io::Error::other("its processes would not all move")),
    }
}

/// `error`, from delegating `group`'s controllers, with what it means.
fn delegation_error(group: &Path, error: io::Error) -> io::Error {
    io::Error::new(
        error.kind(),
        format!(
            "cgroup v2: cannot delegate {} (moving its processes into {LEAF}/ and enabling the controller): {error}",
            group.display()
        ),
    )
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
}
