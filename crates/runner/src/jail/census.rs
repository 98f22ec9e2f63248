//! Counting a program's tasks by sampling `/proc`: the processes and threads it
//! had, the most alive at once, and (inside a fresh PID namespace, which numbers
//! every task it creates) exactly how many it created.
//!
//! Counting starts again whenever the program's first process runs a new
//! executable, so that a wrapper which execs the real program (a shell script, a
//! version manager's shim) is not counted as the program's own work.

use std::collections::HashSet;
use std::fs;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crate::outcome::Tasks;
use crate::procfs::{self, ProcStat};

/// How often a census looks.
pub(super) const TICK: Duration = Duration::from_millis(2);

/// What the samples saw of one program.
#[derive(Debug)]
pub(super) struct Census {
    /// The program's first process.
    root: u32,
    /// Inside the program's own PID namespace: every process there but its init
    /// is the program's, and task numbers count what it created.
    namespace: bool,
    /// The highest task number given out at the last sample (namespace only).
    last_pid: u32,
    epoch: Epoch,
}

/// What the samples saw since the program's first process last ran a new
/// executable.
#[derive(Debug, Default)]
struct Epoch {
    /// The root's executable, as last seen.
    exe: Option<PathBuf>,
    /// In a namespace, tasks numbered above this were created since the exec
    /// (the root is the program's whatever the epoch).
    first_pid: u32,
    processes: HashSet<u32>,
    tasks: HashSet<u32>,
    peak_processes: usize,
    peak_threads: usize,
}

impl Census {
    /// A census of a fresh PID namespace seen from its init: the program is PID 2.
    pub(super) fn namespace() -> Self {
        Self {
            root: 2,
            namespace: true,
            last_pid: 1,
            epoch: Epoch {
                first_pid: 1,
                ..Epoch::default()
            },
        }
    }

    /// A census of process `root` and its descendants, in the machine's own PID
    /// space: what it created can only be sampled, not counted.
    pub(super) fn descendants_of(root: u32) -> Self {
        Self {
            root,
            namespace: false,
            last_pid: 0,
            epoch: Epoch::default(),
        }
    }

    /// Looks at the program's tasks now; returns how many of its processes were
    /// running outside the run's process group (in a namespace, where that group
    /// shows as 0; elsewhere 0).
    pub(super) fn sample(&mut self) -> usize {
        let last_pid = match self.namespace {
            true => last_pid(),
            false => 0,
        };
        if let Ok(exe) = fs::read_link(format!("/proc/{}/exe", self.root)) {
            match &self.epoch.exe {
                None => self.epoch.exe = Some(exe),
                Some(before) if *before != exe => {
                    self.epoch = Epoch {
                        exe: Some(exe),
                        first_pid: self.last_pid,
                        ..Epoch::default()
                    };
                }
                Some(_) => {}
            }
        }
        self.last_pid = last_pid;
        let running = running();
        let scope: Vec<&ProcStat> = match self.namespace {
            true => running.iter().filter(|s| s.pid != 1).collect(),
            false => descendants(&running, self.root),
        };
        let mut processes = 0;
        let mut escaped = 0;
        for stat in scope {
            escaped += usize::from(self.namespace && stat.group != 0);
            if !self.ours(stat.pid) {
                continue;
            }
            processes += 1;
            self.epoch.processes.insert(stat.pid);
            let mut threads = 0;
            if let Ok(tasks) = fs::read_dir(format!("/proc/{}/task", stat.pid)) {
                for task in tasks.flatten() {
                    if let Some(tid) = task.file_name().to_str().and_then(|n| n.parse().ok()) {
                        if self.ours(tid) {
                            self.epoch.tasks.insert(tid);
                        }
                        threads += 1;
                    }
                }
            }
            self.epoch.peak_threads = self.epoch.peak_threads.max(threads);
        }
        self.epoch.peak_processes = self.epoch.peak_processes.max(processes);
        escaped
    }

    /// Whether task `id` belongs to the program as it runs now.
    fn ours(&self, id: u32) -> bool {
        !self.namespace || id == self.root || id > self.epoch.first_pid
    }

    /// How many tasks the program's first process started before it last ran a
    /// new executable (namespace only): the first is task 2, and those numbered
    /// up to the epoch's start are the old executable's.
    pub(super) fn before_exec(&self) -> u32 {
        self.epoch.first_pid.saturating_sub(2)
    }

    /// What the samples add up to.
    pub(super) fn tasks(&self) -> Tasks {
        let seen = self.epoch.tasks.len() as u32;
        let created = match self.namespace {
            // The tasks numbered since the exec, and the program itself.
            true => {
                let since = last_pid().saturating_sub(self.epoch.first_pid);
                since + u32::from(self.epoch.first_pid >= 2)
            }
            false => seen,
        };
        Tasks {
            created,
            seen,
            processes: self.epoch.processes.len() as u32,
            peak_processes: self.epoch.peak_processes as u32,
            peak_threads: self.epoch.peak_threads as u32,
            peak_tasks: None,
            exact: self.namespace,
            exits: None,
            exits_missing: None,
        }
    }
}

/// A census of a program outside any namespace, taken by a thread of its own
/// until [`Sampler::stop`].
#[derive(Debug)]
pub(crate) struct Sampler {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Census>,
}

impl Sampler {
    /// Starts sampling process `root` and its descendants.
    pub(crate) fn start(root: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = Arc::clone(&stop);
            thread::spawn(move || {
                let mut census = Census::descendants_of(root);
                while !stop.load(Ordering::Relaxed) {
                    census.sample();
                    thread::sleep(TICK);
                }
                census
            })
        };
        Self { stop, thread }
    }

    /// Stops sampling; what was seen, or nothing if the sampler failed.
    pub(crate) fn stop(self) -> Option<Tasks> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().ok().map(|census| census.tasks())
    }
}

/// The highest task number this PID namespace has given out.
fn last_pid() -> u32 {
    fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(1)
}

/// Every running process (not gone, not a zombie waiting to be reaped).
fn running() -> Vec<ProcStat> {
    procfs::processes()
        .unwrap_or_default()
        .into_iter()
        .filter(|process| !process.zombie)
        .collect()
}

/// `root` and its descendants among `running`.
fn descendants(running: &[ProcStat], root: u32) -> Vec<&ProcStat> {
    let mut inside: HashSet<i64> = HashSet::from([i64::from(root)]);
    let mut found: Vec<&ProcStat> = running.iter().filter(|s| s.pid == root).collect();
    let mut grew = true;
    while grew {
        grew = false;
        for stat in running {
            if !inside.contains(&i64::from(stat.pid)) && inside.contains(&stat.parent) {
                inside.insert(i64::from(stat.pid));
                found.push(stat);
                grew = true;
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descendants_are_found_generation_by_generation() {
        let stat = |pid, parent| ProcStat {
            pid,
            parent,
            group: 0,
            zombie: false,
        };
        // 10 ← 11 ← 12, 10 ← 13; 20 is someone else's; 14's parent is listed after it.
        let running = vec![
            stat(14, 12),
            stat(10, 1),
            stat(11, 10),
            stat(12, 11),
            stat(13, 10),
            stat(20, 1),
        ];
        let mut pids: Vec<u32> = descendants(&running, 10).iter().map(|s| s.pid).collect();
        pids.sort_unstable();
        assert_eq!(pids, [10, 11, 12, 13, 14]);
    }

    #[test]
    fn a_sampler_sees_the_threads_of_this_process() {
        let sampler = Sampler::start(std::process::id());
        let (started, release) = (
            std::sync::Arc::new(std::sync::Barrier::new(3)),
            std::sync::Arc::new(std::sync::Barrier::new(3)),
        );
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (started, release) = (started.clone(), release.clone());
                thread::spawn(move || {
                    started.wait();
                    release.wait();
                })
            })
            .collect();
        started.wait();
        thread::sleep(TICK * 10);
        release.wait();
        for worker in workers {
            worker.join().unwrap();
        }
        let tasks = sampler.stop().unwrap();
        // This process, its two workers and the sampler's own thread at least.
        assert!(tasks.peak_threads >= 3, "{tasks:?}");
        assert!(!tasks.exact && !tasks.complete(), "{tasks:?}");
    }
}
