//! Proof of concurrency by the work done, for Python programs: which threads of
//! which processes ran the program's own functions, as the grader's module for
//! Python runs logged it, and the verdict on a run whose work was not where its
//! question asks for it.
//!
//! Being alive is not working: an idle `threading.Thread(target=time.sleep)`, a
//! pool whose workers never ran the program's code, or worker processes where
//! the question asks for threads, all have the tasks [`crate::concurrency`]
//! counts. Here a thread counts when it ran a function of the program's own
//! files (not the standard library's, not a module's top level), or a built-in
//! the program handed a thread or a pool to run (a nap excepted).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::concurrency::{Concurrency, TOO_FEW_PROCESSES, TOO_FEW_THREADS, below};
use crate::verdict::{Judgement, Verdict};

/// Who did a run's work, from the log of the grader's Python module.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Work {
    /// Each Python process of the run, by pid.
    pub processes: BTreeMap<u32, ProcessWork>,
}

/// One Python process of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessWork {
    /// Its parent's pid.
    pub parent: u32,
    /// Threads other than its main one that ran any Python code.
    pub threads_started: u32,
    /// The threads that ran the program's own functions: the first function
    /// each ran, by the thread's id (`main` for the main thread).
    pub working: BTreeMap<String, String>,
}

impl ProcessWork {
    /// Whether a thread other than the main one ran the program's functions.
    fn worked_off_main(&self) -> bool {
        self.working.keys().any(|thread| thread != MAIN)
    }
}

/// How the main thread is named among a process's working threads.
const MAIN: &str = "main";

impl Work {
    /// Reads the module's log: `loaded PID PPID VERSION`, `forked PID PPID`,
    /// `thread PID TID`, `work PID PPID TID MAIN NAME`; a line it does not know
    /// is skipped. `None` when no Python process loaded the module (not a Python
    /// program, or one started with `-I`, `-E` or `-S`).
    pub fn parse(log: &str) -> Option<Self> {
        let mut work = Self::default();
        let mut loaded = false;
        for line in log.lines() {
            let words: Vec<&str> = line.split(' ').collect();
            let number = |i: usize| words.get(i).and_then(|w| w.parse::<u32>().ok());
            match (words.first().copied(), number(1), number(2)) {
                (Some("loaded" | "forked"), Some(pid), Some(parent)) => {
                    loaded = true;
                    work.processes.entry(pid).or_default().parent = parent;
                }
                (Some("thread"), Some(pid), Some(_)) => {
                    work.processes.entry(pid).or_default().threads_started += 1;
                }
                (Some("work"), Some(pid), Some(parent)) => {
                    let (Some(thread), Some(main)) = (number(3), words.get(4)) else {
                        continue;
                    };
                    let name = words
                        .get(5..)
                        .map(|rest| rest.join(" "))
                        .unwrap_or_default();
                    let process = work.processes.entry(pid).or_default();
                    process.parent = parent;
                    let thread = match *main {
                        "1" => MAIN.to_owned(),
                        _ => thread.to_string(),
                    };
                    process.working.entry(thread).or_insert(name);
                }
                _ => {}
            }
        }
        loaded.then_some(work)
    }

    /// The processes that ran the program's functions.
    fn working_processes(&self) -> impl Iterator<Item = (&u32, &ProcessWork)> {
        self.processes.iter().filter(|(_, p)| !p.working.is_empty())
    }

    /// Whether `pid`'s parent is a Python process of the run too.
    fn has_python_parent(&self, pid: u32) -> bool {
        self.processes
            .get(&pid)
            .is_some_and(|p| self.processes.contains_key(&p.parent))
    }

    /// Who did the work, for a person: `own functions ran in 4 threads of 1
    /// process (factorial)`.
    pub fn summary(&self) -> String {
        let processes = self.working_processes().count();
        let threads: usize = self.working_processes().map(|(_, p)| p.working.len()).sum();
        let mut names: Vec<&str> = self
            .working_processes()
            .flat_map(|(_, p)| p.working.values().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.dedup();
        match processes {
            0 => "no thread ran a function of its own: its top level did the work".to_owned(),
            _ => format!(
                "its own functions ran in {threads} thread(s) of {processes} process(es) ({})",
                names.join(", ")
            ),
        }
    }
}

/// `judgement` of a Python run, failed as `wrong-output` when its work was not
/// where `minimum` asks for it: for threads, some thread other than a process's
/// main one must have run the program's functions; for processes, two processes
/// must have, or one started by another of the run's Python processes (a pool's
/// worker, a `multiprocessing.Process`). Only a pass is looked at, and only when
/// the module ran (`work` is there).
pub fn judge(judgement: Judgement, work: Option<&Work>, minimum: Concurrency) -> Judgement {
    let Some(work) = work else {
        return judgement;
    };
    if judgement.verdict != Verdict::Pass {
        return judgement;
    }
    let started: u32 = work.processes.values().map(|p| p.threads_started).sum();
    if minimum.threads > 1 && !work.processes.values().any(ProcessWork::worked_off_main) {
        let what = format!(
            "only main threads ran its own functions: {started} other thread(s) were started and ran none"
        );
        return below(judgement, TOO_FEW_THREADS, &what, &work.summary());
    }
    let working = work.working_processes().count();
    let in_a_child = work
        .working_processes()
        .any(|(&pid, _)| work.has_python_parent(pid));
    if minimum.processes > 1 && working < 2 && !in_a_child {
        let children = work
            .processes
            .keys()
            .filter(|&&pid| work.has_python_parent(pid))
            .count();
        let what = format!(
            "only one process ran its own functions: {children} other process(es) were started and ran none"
        );
        return below(judgement, TOO_FEW_PROCESSES, &what, &work.summary());
    }
    judgement
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passed() -> Judgement {
        Judgement {
            verdict: Verdict::Pass,
            detail: "10 factorials".into(),
            rejection: None,
            ignored: Vec::new(),
        }
    }

    fn rule(judged: &Judgement) -> Option<&'static str> {
        judged.rejection.as_ref().map(|r| r.rule.id)
    }

    /// A thread pool's log: the main thread, and two of four workers working.
    const POOL: &str = "loaded 10 1 3.11.7\nthread 10 11\nwork 10 1 11 0 factorial\n\
        thread 10 12\nwork 10 1 12 0 factorial\nthread 10 13\nthread 10 14\n";

    #[test]
    fn a_log_becomes_who_worked_where() {
        let work = Work::parse(POOL).unwrap();
        let pool = &work.processes[&10];
        assert_eq!(pool.threads_started, 4);
        assert_eq!(pool.working.len(), 2);
        assert_eq!(
            work.summary(),
            "its own functions ran in 2 thread(s) of 1 process(es) (factorial)"
        );
        assert_eq!(Work::parse(""), None, "no Python loaded the module");
        assert_eq!(Work::parse("nonsense\n"), None);
    }

    #[test]
    fn threads_must_have_run_the_programs_functions() {
        let pool = Work::parse(POOL).unwrap();
        assert_eq!(
            rule(&judge(passed(), Some(&pool), Concurrency::THREADS)),
            None
        );
        // An idle thread beside a main thread that did everything.
        let idle = Work::parse("loaded 10 1 3.11\nthread 10 11\nwork 10 1 10 1 main\n").unwrap();
        let judged = judge(passed(), Some(&idle), Concurrency::THREADS);
        assert_eq!(rule(&judged), Some("too-few-threads"));
        assert!(
            judged
                .detail
                .contains("1 other thread(s) were started and ran none")
        );
        // Worker processes, where the question asks for threads.
        let processes = Work::parse(
            "loaded 10 1 3.11\nforked 20 10\nforked 21 10\nthread 10 12\n\
             work 20 10 20 1 f\nwork 21 10 21 1 f\n",
        )
        .unwrap();
        let judged = judge(passed(), Some(&processes), Concurrency::THREADS);
        assert_eq!(rule(&judged), Some("too-few-threads"));
        assert_eq!(
            rule(&judge(passed(), Some(&processes), Concurrency::PROCESSES)),
            None
        );
    }

    #[test]
    fn processes_must_have_run_the_programs_functions() {
        // A pool of two that idles while the parent computes.
        let idle = Work::parse(
            "loaded 10 1 3.11\nforked 20 10\nforked 21 10\nwork 10 1 10 1 <listcomp>\n",
        )
        .unwrap();
        let judged = judge(passed(), Some(&idle), Concurrency::PROCESSES);
        assert_eq!(rule(&judged), Some("too-few-processes"));
        assert!(
            judged
                .detail
                .contains("2 other process(es) were started and ran none")
        );
        // Two Python programs a shell started side by side both worked.
        let siblings =
            Work::parse("loaded 10 1 3.11\nloaded 11 1 3.11\nwork 10 1 10 1 a\nwork 11 1 11 1 b\n")
                .unwrap();
        assert_eq!(
            rule(&judge(passed(), Some(&siblings), Concurrency::PROCESSES)),
            None
        );
    }

    #[test]
    fn a_run_already_failed_or_not_python_is_left_as_it_is() {
        let idle = Work::parse("loaded 10 1 3.11\nwork 10 1 10 1 main\n").unwrap();
        let failed = Judgement {
            verdict: Verdict::Crash,
            ..passed()
        };
        assert_eq!(
            judge(failed, Some(&idle), Concurrency::THREADS).verdict,
            Verdict::Crash
        );
        assert_eq!(rule(&judge(passed(), None, Concurrency::THREADS)), None);
        assert_eq!(
            rule(&judge(
                passed(),
                Some(&idle),
                Concurrency {
                    processes: 1,
                    threads: 1
                }
            )),
            None
        );
    }
}
