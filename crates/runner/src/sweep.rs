//! The subreaper's sweep: every child of this process killed and reaped,
//! generation after generation, read from `/proc/*/stat`.

use std::io;
use std::thread;
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, WaitOptions};

use super::{KILL_GRACE, procfs};

/// Kills and reaps every child of this process, generation after generation (a
/// killed child's own children are re-parented here, to a subreaper, and are found
/// by the next pass), until none is left. Returns how many were still running,
/// not counting members of `killed_group`, which has already been sent `SIGKILL`.
///
/// Signalling a pid found as our child is race-free: until we reap it, its pid
/// cannot be reused.
pub(super) fn sweep_children(killed_group: Option<Pid>) -> io::Result<usize> {
    let me = rustix::process::getpid();
    let give_up = Instant::now() + KILL_GRACE;
    let mut running = 0;
    loop {
        let children = children_of(me)?;
        if children.is_empty() {
            return Ok(running);
        }
        for child in &children {
            if !child.zombie {
                running += usize::from(Some(child.group) != killed_group);
                let _ = rustix::process::kill_process(child.pid, Signal::KILL);
            }
        }
        for &ChildStat { pid, .. } in &children {
            loop {
                match rustix::process::waitpid(Some(pid), WaitOptions::NOHANG) {
                    Ok(Some(_)) | Err(rustix::io::Errno::CHILD) => break,
                    Err(rustix::io::Errno::INTR) | Ok(None) => {
                        if Instant::now() >= give_up {
                            return Err(io::Error::other(format!(
                                "process {} survived SIGKILL for {KILL_GRACE:?}",
                                pid.as_raw_nonzero()
                            )));
                        }
                        thread::sleep(Duration::from_millis(1));
                    }
                    Err(errno) => return Err(errno.into()),
                }
            }
        }
    }
}

/// Reaps the children of this process as they end, for up to `grace`, so that
/// those ending by themselves (a jail's helper cleaning up) may finish first.
pub(super) fn reap_within(grace: Duration) -> io::Result<()> {
    let give_up = Instant::now() + grace;
    loop {
        let children = children_of(rustix::process::getpid())?;
        for child in children.iter().filter(|child| child.zombie) {
            let _ = rustix::process::waitpid(Some(child.pid), WaitOptions::NOHANG);
        }
        if children.iter().all(|child| child.zombie) || Instant::now() >= give_up {
            return Ok(());
        }
        thread::sleep(Duration::from_millis(5));
    }
}

/// Sends `signal` to every child of this process that has not exited, reaping
/// none; returns how many it was sent to. A child's pid cannot be reused before
/// it is reaped, so the signal reaches the process meant.
pub(super) fn signal_children(signal: Signal) -> io::Result<usize> {
    let children = children_of(rustix::process::getpid())?;
    let living: Vec<&ChildStat> = children.iter().filter(|child| !child.zombie).collect();
    for child in &living {
        let _ = rustix::process::kill_process(child.pid, signal);
    }
    Ok(living.len())
}

/// A child process, as `/proc/PID/stat` shows it.
struct ChildStat {
    pid: Pid,
    /// Its process group.
    group: Pid,
    /// Whether it has exited and only waits to be reaped.
    zombie: bool,
}

/// The children of process `parent`, read from `/proc/*/stat` (which, unlike
/// `/proc/PID/task/TID/children`, every kernel has).
fn children_of(parent: Pid) -> io::Result<Vec<ChildStat>> {
    let parent = i64::from(parent.as_raw_nonzero().get());
    Ok(procfs::processes()?
        .into_iter()
        .filter(|process| process.parent == parent)
        .filter_map(|process| {
            // A process being torn down may show a group that is not a process
            // id (seen: a negative one); such a process is no child to signal by
            // group.
            Some(ChildStat {
                pid: positive_pid(i64::from(process.pid))?,
                group: positive_pid(process.group)?,
                zombie: process.zombie,
            })
        })
        .collect())
}

/// `raw` as a process id, if it is one: above 0 and within an `i32`.
fn positive_pid(raw: i64) -> Option<Pid> {
    i32::try_from(raw)
        .ok()
        .filter(|&raw| raw > 0)
        .and_then(Pid::from_raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_numbers_above_zero_are_process_ids() {
        assert_eq!(positive_pid(42), Pid::from_raw(42));
        for bad in [0, -1, -4200, 4_294_967_296] {
            assert_eq!(positive_pid(bad), None, "{bad}");
        }
    }
}
