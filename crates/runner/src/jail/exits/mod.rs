//! The kernel's record of every task of a run as it exits (taskstats, over generic
//! netlink): each process and thread however briefly it lived, with its name and
//! the CPU time it used. Sampling `/proc` misses a task that lives between two
//! looks; a taskstats listener is told of every exit.
//!
//! A [`Ledger`] registers for the exits on every CPU before a run starts, and a
//! thread of its own reads them, keeping a few numbers of each. The kernel sends
//! the exits of the whole machine. Once the run is over (its helper reaped, so
//! every task of the run has exited and its record is queued), [`Ledger::finish`]
//! keeps the run's own: the processes descended from the jail's init, and their
//! threads.
//!
//! The kernel allows a listener only in its first user and PID namespaces, and
//! asks for `CAP_NET_ADMIN` to register one: a grader run by a user counts by
//! sampling, and its reports say so.

mod netlink;

use std::collections::BTreeMap;
use std::collections::{HashMap, HashSet};
use std::io;
use std::os::fd::OwnedFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};

use crate::outcome::{ProcessExit, ThreadExit};
use netlink::{DATAGRAM, GENL_HEADER, NLMSG_ERROR, attributes, messages, receive, register};
use rustix::io::Errno;
use rustix::net::RecvFlags;

/// The attributes of taskstats' exit messages: a task's id and its statistics,
/// nested in one attribute per task.
const TASKSTATS_TYPE_PID: u16 = 1;
const TASKSTATS_TYPE_STATS: u16 = 3;
const TASKSTATS_TYPE_AGGR_PID: u16 = 4;

/// Where `struct taskstats` (linux/taskstats.h, version 12 and later) keeps what
/// a ledger reads.
mod field {
    pub(super) const VERSION: usize = 0;
    pub(super) const RUN_REAL_TOTAL: usize = 64;
    pub(super) const COMM: usize = 80;
    pub(super) const COMM_LEN: usize = 32;
    pub(super) const PPID: usize = 132;
    pub(super) const UTIME: usize = 152;
    pub(super) const STIME: usize = 160;
    pub(super) const TGID: usize = 368;
    /// The first version with `ac_tgid`.
    pub(super) const TGID_SINCE: u16 = 12;
}

/// A listener for the exit of every task of the machine, from before a run
/// starts to after it ends.
#[derive(Debug)]
pub(super) struct Ledger {
    stop: Arc<AtomicBool>,
    /// Taken by [`Ledger::finish`]; a ledger dropped unfinished lets its reader
    /// end by itself.
    reader: Option<JoinHandle<Heard>>,
}

/// What the reader heard.
#[derive(Debug, Default)]
struct Heard {
    records: Vec<Record>,
    /// The kernel dropped records: the socket's queue overflowed.
    lost: bool,
}

/// A few numbers of one task's exit record.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Record {
    pid: u32,
    tgid: u32,
    /// The parent of its process, when it exited.
    ppid: u32,
    name: String,
    /// The CPU time it used, in microseconds.
    cpu_us: u64,
}

impl Ledger {
    /// Registers a listener and starts reading; the error says why the kernel
    /// would not have one.
    pub(super) fn open() -> io::Result<Self> {
        let socket = Arc::new(register()?);
        let stop = Arc::new(AtomicBool::new(false));
        let reader = {
            let (socket, stop) = (Arc::clone(&socket), Arc::clone(&stop));
            thread::Builder::new()
                .name("exit-ledger".into())
                .spawn(move || read_until(&socket, &stop))?
        };
        Ok(Self {
            stop,
            reader: Some(reader),
        })
    }

    /// Stops reading, and returns the exits of the processes descended from
    /// `helper`'s child (the jail's init), which must have been reaped, and of
    /// their threads, each process's first thread first; or why they are not
    /// known.
    pub(super) fn finish(mut self, helper: u32) -> Result<Vec<ProcessExit>, String> {
        let heard = self
            .stop_reading()
            .ok_or_else(|| "the exit records' reader failed".to_owned())?;
        if heard.lost {
            return Err("the kernel dropped exit records (its queue overflowed)".to_owned());
        }
        of_run(&heard.records, helper)
            .ok_or_else(|| "the exit record of the jail's init never came".to_owned())
    }

    /// Stops the reader and returns what it heard.
    fn stop_reading(&mut self) -> Option<Heard> {
        self.stop.store(true, Ordering::Release);
        self.reader.take()?.join().ok()
    }
}

impl Drop for Ledger {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
    }
}

/// The records of the run whose init is `helper`'s child, grouped by process.
fn of_run(records: &[Record], helper: u32) -> Option<Vec<ProcessExit>> {
    let leaders = records.iter().filter(|r| r.pid == r.tgid);
    let init = leaders.clone().find(|r| r.ppid == helper)?.pid;
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    for leader in leaders {
        children.entry(leader.ppid).or_default().push(leader.pid);
    }
    // Orphans are re-parented to the init, so every process of the run exits
    // with a parent in the run or the init itself.
    let mut run: HashSet<u32> = HashSet::new();
    let mut next = vec![init];
    while let Some(parent) = next.pop() {
        for &child in children.get(&parent).map_or(&[][..], Vec::as_slice) {
            if run.insert(child) {
                next.push(child);
            }
        }
    }
    // By process id: in order of creation, as far as pids tell.
    let mut processes: BTreeMap<u32, ProcessExit> = BTreeMap::new();
    for record in records.iter().filter(|r| run.contains(&r.tgid)) {
        let thread = ThreadExit {
            name: record.name.clone(),
            cpu_us: record.cpu_us,
        };
        let process = processes.entry(record.tgid).or_default();
        match record.pid == record.tgid {
            true => process.threads.insert(0, thread),
            false => process.threads.push(thread),
        }
    }
    Some(processes.into_values().collect())
}

/// Reads exit records until asked to stop and nothing more is queued.
fn read_until(socket: &OwnedFd, stop: &AtomicBool) -> Heard {
    let mut heard = Heard::default();
    let mut buffer = vec![0u8; DATAGRAM];
    loop {
        let stopping = stop.load(Ordering::Acquire);
        let flags = match stopping {
            true => RecvFlags::DONTWAIT,
            false => RecvFlags::empty(),
        };
        match receive(socket, &mut buffer, flags) {
            Ok(got) => heard.records.extend(records(&buffer[..got])),
            Err(Errno::NOBUFS) => heard.lost = true,
            Err(Errno::AGAIN) if stopping => return heard,
            Err(Errno::AGAIN) => {}
            Err(_) => {
                heard.lost = true;
                return heard;
            }
        }
    }
}

/// The task exits in a datagram from taskstats.
fn records(datagram: &[u8]) -> impl Iterator<Item = Record> + '_ {
    messages(datagram)
        .filter(|(kind, _, _)| *kind != NLMSG_ERROR)
        .flat_map(|(_, _, body)| attributes(body.get(GENL_HEADER..).unwrap_or_default()))
        .filter(|(kind, _)| *kind == TASKSTATS_TYPE_AGGR_PID)
        .filter_map(|(_, nested)| {
            let mut stats = None;
            let mut pid = None;
            for (kind, value) in attributes(nested) {
                match kind {
                    TASKSTATS_TYPE_PID => pid = number(value, 0).map(|pid| pid as u32),
                    TASKSTATS_TYPE_STATS => stats = Some(value),
                    _ => {}
                }
            }
            parse(stats?, pid?)
        })
}

/// One exit record of task `pid`, from its `struct taskstats`.
fn parse(stats: &[u8], pid: u32) -> Option<Record> {
    let version = u16::from_ne_bytes(stats.get(field::VERSION..2)?.try_into().ok()?);
    if version < field::TGID_SINCE {
        return None;
    }
    let word = |at: usize| Some(u32::from_ne_bytes(stats.get(at..at + 4)?.try_into().ok()?));
    let comm = stats.get(field::COMM..field::COMM + field::COMM_LEN)?;
    let name = comm.split(|&b| b == 0).next().unwrap_or_default();
    Some(Record {
        pid,
        tgid: word(field::TGID)?,
        ppid: word(field::PPID)?,
        name: String::from_utf8_lossy(name).into_owned(),
        // Both sampled at the kernel's tick; the scheduler's own sum, where it
        // keeps it, can be finer.
        cpu_us: number(stats, field::UTIME)?
            .saturating_add(number(stats, field::STIME)?)
            .max(number(stats, field::RUN_REAL_TOTAL)? / 1_000),
    })
}

/// The native-endian `u64` (or, for a shorter value, `u32`) at `at` of `bytes`.
fn number(bytes: &[u8], at: usize) -> Option<u64> {
    match bytes.len().checked_sub(at)? {
        0..4 => None,
        4..8 => Some(u64::from(u32::from_ne_bytes(
            bytes[at..at + 4].try_into().ok()?,
        ))),
        _ => Some(u64::from_ne_bytes(bytes[at..at + 8].try_into().ok()?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(pid: u32, tgid: u32, ppid: u32, name: &str) -> Record {
        Record {
            pid,
            tgid,
            ppid,
            name: name.to_owned(),
            cpu_us: u64::from(pid),
        }
    }

    #[test]
    fn a_run_is_its_inits_descendants_and_their_threads() {
        // Helper 10 forked init 11; the program 12 forked 14 (which forked 16 and
        // died, 16 re-parented to the init) and started thread 13. Process 20 and
        // thread 21 are another program's.
        let records = [
            record(13, 12, 11, "worker"),
            record(16, 16, 11, "orphan"),
            record(14, 14, 12, "child"),
            record(21, 20, 1, "other"),
            record(20, 20, 1, "other"),
            record(12, 12, 11, "program"),
            record(11, 11, 10, "init"),
        ];
        let run = of_run(&records, 10).expect("the init's record is there");
        let names: Vec<Vec<&str>> = run
            .iter()
            .map(|p| p.threads.iter().map(|t| t.name.as_str()).collect())
            .collect();
        assert_eq!(
            names,
            [vec!["program", "worker"], vec!["child"], vec!["orphan"]]
        );
        assert_eq!(run[0].threads[1].cpu_us, 13);
    }

    #[test]
    fn without_the_inits_record_the_run_is_unknown() {
        assert_eq!(of_run(&[record(12, 12, 11, "program")], 10), None);
    }

    #[test]
    fn a_short_or_old_record_is_skipped() {
        let mut stats = vec![0u8; 400];
        stats[..2].copy_from_slice(&11u16.to_ne_bytes());
        assert_eq!(parse(&stats, 5), None, "version 11 has no tgid");
        stats[..2].copy_from_slice(&13u16.to_ne_bytes());
        assert_eq!(parse(&stats[..300], 5), None, "too short for a tgid");
        stats[field::TGID..field::TGID + 4].copy_from_slice(&4u32.to_ne_bytes());
        stats[field::COMM..field::COMM + 3].copy_from_slice(b"abc");
        stats[field::UTIME..field::UTIME + 8].copy_from_slice(&7u64.to_ne_bytes());
        stats[field::STIME..field::STIME + 8].copy_from_slice(&2u64.to_ne_bytes());
        let parsed = parse(&stats, 5).expect("a version 13 record");
        assert_eq!(
            (parsed.pid, parsed.tgid, parsed.name.as_str(), parsed.cpu_us),
            (5, 4, "abc", 9)
        );
    }

    #[test]
    fn a_listener_hears_a_thread_of_its_own_process_exit() {
        // Only where the kernel allows a listener (root, first namespaces), which
        // a run that requires the jail's every part must have.
        let mut ledger = match Ledger::open() {
            Ok(ledger) => ledger,
            Err(error) if std::env::var_os("CONCURRENCY_GRADER_REQUIRE_JAIL").is_some() => {
                panic!("no exit records here: {error}")
            }
            Err(_) => return,
        };
        let parent = std::process::id();
        let worker = thread::Builder::new()
            .name("short-lived".into())
            .spawn(|| ())
            .expect("a thread starts");
        worker.join().expect("it ends");
        let heard = ledger.stop_reading().expect("the reader ends");
        assert!(
            heard
                .records
                .iter()
                .any(|r| r.tgid == parent && r.pid != parent && r.name == "short-lived"),
            "{} records, none of the thread",
            heard.records.len()
        );
    }
}
