//! What the kernel's exit records of a run say ([`runner::outcome::ProcessExit`]):
//! how many processes it had, how many threads of its own each one started, and
//! which threads used the CPU.
//!
//! A runtime's own threads are not the program's: a JVM starts about seventeen
//! (its compilers, its garbage collector, its finalizer…) before `main` runs,
//! and a second thread named `java` to run `main` in. They are known by their
//! names, in a process that has the JVM's `VM Thread`; the list is checked
//! against an idle JVM by the grader's evidence tests.

use runner::outcome::{ProcessExit, ThreadExit};

/// The thread every JVM has, which marks a process as one.
const JVM_MARK: &str = "VM Thread";

/// The names (or their beginnings) of the threads a JVM starts for itself, as
/// the kernel keeps them (15 characters): HotSpot's in JDK 8 to 21, with the G1,
/// parallel, Z and Shenandoah collectors.
const JVM_THREADS: &[&str] = &[
    "java",
    "VM Thread",
    "VM Periodic Tas",
    "GC Thread#",
    "G1 ",
    "C1 CompilerThre",
    "C2 CompilerThre",
    "Common-Cleaner",
    "Finalizer",
    "Reference Handl",
    "Signal Dispatch",
    "Service Thread",
    "Monitor Deflati",
    "Notification Th",
    "Sweeper thread",
    "Attach Listener",
    "process reaper",
    "DestroyJavaVM",
    "JFR ",
    "ZDirector",
    "ZDriver",
    "ZStat",
    "ZUnmapper",
    "ZWorker",
    "Shenandoah",
    "Surrogate Locke",
];

/// A run's processes and threads, as counted from their exits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counted {
    /// Every process the run had.
    pub processes: u32,
    /// The most threads one process had of its own: its main thread and those
    /// it started, a runtime's not counted.
    pub most_threads: u32,
    /// Threads a runtime started for itself, not counted above.
    pub runtime: u32,
}

/// Counts `exits`.
pub fn count(exits: &[ProcessExit]) -> Counted {
    let most_threads = exits
        .iter()
        .map(|process| 1 + own_started(process).count() as u32)
        .max()
        .unwrap_or(0);
    let runtime = exits
        .iter()
        .map(|process| {
            let started = process.threads.len().saturating_sub(1);
            (started - own_started(process).count()) as u32
        })
        .sum();
    Counted {
        processes: exits.len() as u32,
        most_threads,
        runtime,
    }
}

/// The threads `process` started of its own: not its main thread, and not a
/// runtime's.
fn own_started(process: &ProcessExit) -> impl Iterator<Item = &ThreadExit> {
    let jvm = is_jvm(process);
    process
        .threads
        .iter()
        .skip(1)
        .filter(move |thread| !(jvm && is_jvms(&thread.name)))
}

/// The thread that ran `process`'s main function: its first, but in a JVM the
/// second thread named `java` (the first only launched the JVM and waits).
fn main_thread(process: &ProcessExit) -> Option<&ThreadExit> {
    let java_main = is_jvm(process)
        .then(|| {
            process
                .threads
                .iter()
                .skip(1)
                .find(|thread| thread.name == "java")
        })
        .flatten();
    java_main.or(process.threads.first())
}

/// Whether `process` is a JVM: it has HotSpot's `VM Thread`.
fn is_jvm(process: &ProcessExit) -> bool {
    process.threads.iter().any(|thread| thread.name == JVM_MARK)
}

/// Whether a JVM names its own threads `name`.
fn is_jvms(name: &str) -> bool {
    JVM_THREADS
        .iter()
        .any(|jvm| name == *jvm || (jvm.ends_with([' ', '#']) && name.starts_with(jvm)))
}

/// The CPU each process's own threads used, for a person: `1 process(es), 3
/// thread(s) of its own; CPU time: java 12 ms, pool-1-thread-1 4 ms, 1 more (18
/// thread(s) of the JVM not counted)`; at most `shown` threads are named. The
/// kernel samples CPU time at its tick (4 ms here), so a thread that worked
/// less may show none.
pub fn summary(exits: &[ProcessExit], shown: usize) -> String {
    let counted = count(exits);
    let mut threads: Vec<&ThreadExit> = exits
        .iter()
        .flat_map(|process| main_thread(process).into_iter().chain(own_started(process)))
        .collect();
    let total = threads.len();
    threads.sort_by_key(|thread| std::cmp::Reverse(thread.cpu_us));
    let mut named: Vec<String> = threads
        .iter()
        .take(shown)
        .map(|thread| format!("{} {}", thread.name, cpu(thread.cpu_us)))
        .collect();
    if total > shown {
        named.push(format!("{} more", total - shown));
    }
    let mut line = format!(
        "{} process(es), {} thread(s) of its own; CPU time: {}",
        counted.processes,
        total,
        named.join(", ")
    );
    if counted.runtime > 0 {
        line.push_str(&format!(
            " ({} thread(s) of the JVM not counted)",
            counted.runtime
        ));
    }
    line
}

/// Microseconds of CPU for a person.
fn cpu(us: u64) -> String {
    match us {
        0..1_000 => format!("{us} µs"),
        _ => format!("{} ms", us / 1_000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process(threads: &[(&str, u64)]) -> ProcessExit {
        ProcessExit {
            threads: threads
                .iter()
                .map(|&(name, cpu_us)| ThreadExit {
                    name: name.to_owned(),
                    cpu_us,
                })
                .collect(),
        }
    }

    /// A JVM's threads as seen here (`java` running an idle `main`).
    const IDLE_JVM: &[&str] = &[
        "java",
        "java",
        "GC Thread#0",
        "G1 Main Marker",
        "G1 Conc#0",
        "G1 Refine#0",
        "G1 Service",
        "VM Periodic Tas",
        "VM Thread",
        "Reference Handl",
        "Finalizer",
        "Signal Dispatch",
        "Service Thread",
        "Monitor Deflati",
        "C2 CompilerThre",
        "C1 CompilerThre",
        "Sweeper thread",
        "Notification Th",
        "Common-Cleaner",
    ];

    fn jvm(own: &[&str]) -> ProcessExit {
        let names = IDLE_JVM.iter().chain(own);
        process(&names.map(|&name| (name, 100)).collect::<Vec<_>>())
    }

    #[test]
    fn a_jvms_own_threads_are_not_the_programs() {
        let idle = count(&[jvm(&[])]);
        assert_eq!(
            idle,
            Counted {
                processes: 1,
                most_threads: 1,
                runtime: 18
            }
        );
        let pool = count(&[jvm(&["pool-1-thread-1", "pool-1-thread-2", "Thread-0"])]);
        assert_eq!((pool.most_threads, pool.runtime), (4, 18));
    }

    #[test]
    fn outside_a_jvm_every_thread_counts_whatever_its_name() {
        // A C program may name a thread `java` or `Finalizer`: no VM Thread, no JVM.
        let c = count(&[process(&[("a.out", 5), ("java", 1), ("Finalizer", 1)])]);
        assert_eq!((c.most_threads, c.runtime), (3, 0));
        let forked = count(&[process(&[("a.out", 5)]), process(&[("a.out", 7)])]);
        assert_eq!((forked.processes, forked.most_threads), (2, 1));
    }

    #[test]
    fn the_summary_names_the_busiest_threads_first() {
        // The JVM's second `java` thread ran main; the first only waited.
        let mut busy = [jvm(&["pool-1-thread-1"])];
        busy[0].threads[0].cpu_us = 0;
        busy[0].threads[1].cpu_us = 52_000;
        busy[0].threads[19].cpu_us = 900;
        assert_eq!(
            summary(&busy, 1),
            "1 process(es), 2 thread(s) of its own; CPU time: java 52 ms, 1 more \
             (18 thread(s) of the JVM not counted)"
        );
        assert_eq!(
            summary(&[process(&[("a.out", 3)])], 4),
            "1 process(es), 1 thread(s) of its own; CPU time: a.out 3 µs"
        );
    }
}
