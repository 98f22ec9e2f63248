//! Evidence that a run really was concurrent: the processes and threads each
//! exercise's question needs alive at once, and the verdict on what a jailed run's
//! init counted ([`runner::outcome::Tasks`]).
//!
//! Output alone cannot tell a thread pool from a loop. A run is failed for it only
//! on conclusive evidence: the kernel's exit records of every task show too few
//! processes, or no thread started of its own (a runtime's not counted:
//! [`crate::exits`]); or, without them, every task the program created was seen
//! and too few were processes (or threads). Where the count is incomplete, or
//! was not taken (no namespaces), the run is not failed, and its report says so.

use crate::exits;
use crate::verdict::{Judgement, Rejection, Rule, Verdict};
use runner::outcome::Tasks;

/// What an exercise's question needs alive at once, at the least.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Concurrency {
    /// Processes alive at once (1: no need).
    pub processes: u32,
    /// Threads alive at once in one process (1: no need).
    pub threads: u32,
}

impl Concurrency {
    /// Two processes alive at once.
    pub const PROCESSES: Self = Self {
        processes: 2,
        threads: 1,
    };
    /// Two threads alive at once in one process.
    pub const THREADS: Self = Self {
        processes: 1,
        threads: 2,
    };
    /// Both: two processes, and two threads in one of them.
    pub const BOTH: Self = Self {
        processes: 2,
        threads: 2,
    };

    /// The rules a run below this minimum breaks.
    pub fn rules(self) -> Vec<Rule> {
        let mut rules = Vec::new();
        if self.processes > 1 {
            rules.push(TOO_FEW_PROCESSES);
        }
        if self.threads > 1 {
            rules.push(TOO_FEW_THREADS);
        }
        rules
    }
}

/// The program never had two processes: the question is about processes.
pub const TOO_FEW_PROCESSES: Rule = Rule {
    id: "too-few-processes",
    hint: "The question asks for work in several processes at once (multiprocessing, a process pool, fork): a single process printing the same lines does not answer it.",
};

/// The program never had a second thread: the question is about threads.
pub const TOO_FEW_THREADS: Rule = Rule {
    id: "too-few-threads",
    hint: "The question asks for work in several threads at once (threading, a thread pool): a single thread printing the same lines does not answer it.",
};

/// `judgement` of a run, failed as `wrong-output` when its counted tasks prove it
/// below `minimum`, or with a note when they could not be counted or trusted.
/// Only a pass is looked at: a run that already failed keeps its verdict.
pub fn judge(judgement: Judgement, tasks: Option<&Tasks>, minimum: Concurrency) -> Judgement {
    if judgement.verdict != Verdict::Pass || minimum.rules().is_empty() {
        return judgement;
    }
    let Some(tasks) = tasks else {
        return noted(
            judgement,
            "its processes and threads were not counted (no PID namespace here), so the \
             concurrency the question asks for was not checked",
        );
    };
    let (rule, what) = match assess(tasks, minimum) {
        Assessment::Met => return judgement,
        Assessment::Unconfirmed(why) => {
            return noted(
                judgement,
                &format!("the concurrency the question asks for could not be confirmed: {why}"),
            );
        }
        Assessment::Below(rule, what) => (rule, what),
    };
    let evidence = format!(
        "{} created, {}",
        match tasks.created {
            1 => "1 task".to_owned(),
            n => format!("{n} tasks"),
        },
        match (&tasks.exits, tasks.complete()) {
            (Some(_), _) => "each known from its exit",
            (None, true) => "all seen",
            (None, false) => "counted by its PID namespace",
        }
    );
    below(judgement, rule, &what, &evidence)
}

/// `judgement`, a pass, failed as `wrong-output` for breaking `rule`: the output
/// is right, but `what` the program did falls short, as `evidence` shows.
pub(crate) fn below(judgement: Judgement, rule: Rule, what: &str, evidence: &str) -> Judgement {
    let reason = format!("the output is right, but {what} ({evidence}) [{}]", rule.id);
    Judgement {
        verdict: Verdict::WrongOutput,
        detail: format!("{reason}\nhint: {}", rule.hint),
        rejection: Some(Rejection {
            rule,
            line: None,
            text: None,
            reason,
        }),
        ignored: judgement.ignored,
    }
}

/// What the counts say of a run against a minimum.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Assessment {
    Met,
    /// Below it, for certain: the rule broken and what the program did.
    Below(Rule, String),
    /// Not seen to meet it, but some tasks were never seen: why it is unsure.
    Unconfirmed(String),
}

/// Whether `tasks` meet `minimum`, fall below it for certain, or cannot tell.
fn assess(tasks: &Tasks, minimum: Concurrency) -> Assessment {
    if let Some(exits) = &tasks.exits {
        return counted(exits::count(exits), minimum);
    }
    // A program that created a single task, counted exactly, was one process of
    // one thread, whatever the samples saw (a short one ends before the first).
    if tasks.exact && tasks.created == 1 {
        let (rule, what) = match minimum.processes > 1 {
            true => (TOO_FEW_PROCESSES, "it ran as a single process"),
            false => (TOO_FEW_THREADS, "it never started a second thread"),
        };
        if minimum.processes > 1 || minimum.threads > 1 {
            return Assessment::Below(rule, what.to_owned());
        }
    }
    let complete = tasks.complete();
    let unseen = match tasks.exact {
        true => format!("{} of {} tasks were seen", tasks.seen, tasks.created),
        false => "its tasks were sampled from /proc, not counted (no PID namespace)".to_owned(),
    };
    if tasks.peak_processes < minimum.processes {
        // Every task seen and fewer processes than needed, ever: certain. (The
        // program's first process lives until it exits, so any second one seen
        // was alive beside it.)
        if complete && tasks.processes < minimum.processes {
            return Assessment::Below(
                TOO_FEW_PROCESSES,
                match tasks.processes {
                    1 => format!(
                        "it ran as a single process, never {} at once",
                        minimum.processes
                    ),
                    n => format!(
                        "it ran as {n} processes, never {} at once",
                        minimum.processes
                    ),
                },
            );
        }
        return Assessment::Unconfirmed(format!(
            "at most {} process(es) were seen alive at once, and {unseen}",
            tasks.peak_processes
        ));
    }
    if tasks.peak_threads < minimum.threads {
        // Every task seen, and each one a process's first thread: no thread was
        // ever started.
        if complete && tasks.seen <= tasks.processes {
            return Assessment::Below(
                TOO_FEW_THREADS,
                "it never started a second thread".to_owned(),
            );
        }
        return Assessment::Unconfirmed(format!(
            "at most {} thread(s) were seen alive at once in one process, and {unseen}",
            tasks.peak_threads
        ));
    }
    Assessment::Met
}

/// Whether a run whose every task is known from its exit records (`counted`)
/// started the processes and threads `minimum` asks for: certain either way.
fn counted(counted: exits::Counted, minimum: Concurrency) -> Assessment {
    if counted.processes < minimum.processes {
        return Assessment::Below(
            TOO_FEW_PROCESSES,
            match counted.processes {
                1 => "it ran as a single process".to_owned(),
                n => format!("it ran as {n} processes, not {}", minimum.processes),
            },
        );
    }
    if counted.most_threads < minimum.threads {
        let runtime = match counted.runtime {
            0 => String::new(),
            n => format!(" ({n} threads of its runtime's own are not its)"),
        };
        return Assessment::Below(
            TOO_FEW_THREADS,
            format!("it never started a thread of its own{runtime}"),
        );
    }
    Assessment::Met
}

/// `judgement` with `note` on a line of its own.
fn noted(judgement: Judgement, note: &str) -> Judgement {
    Judgement {
        detail: format!("{}\nnote: {note}", judgement.detail),
        ..judgement
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use runner::outcome::{ProcessExit, ThreadExit};

    fn tasks(created: u32, seen: u32, processes: u32, peaks: (u32, u32)) -> Tasks {
        Tasks {
            created,
            seen,
            processes,
            peak_processes: peaks.0,
            peak_threads: peaks.1,
            peak_tasks: None,
            exact: true,
            exits: None,
            exits_missing: None,
        }
    }

    /// Counts whose every task is known from its exit: `processes`, each with
    /// its threads' names (the first its main thread).
    fn exited(processes: &[&[&str]]) -> Tasks {
        let exits: Vec<ProcessExit> = processes
            .iter()
            .map(|threads| ProcessExit {
                threads: threads
                    .iter()
                    .map(|name| ThreadExit {
                        name: (*name).to_owned(),
                        cpu_us: 10,
                    })
                    .collect(),
            })
            .collect();
        let created = exits.iter().map(|p| p.threads.len() as u32).sum();
        Tasks {
            // No sample saw anything: the exits are the proof, either way.
            exits: Some(exits),
            ..tasks(created, 0, 0, (0, 0))
        }
    }

    #[test]
    fn exit_records_prove_a_run_short_or_concurrent_whatever_the_samples_saw() {
        let java = [
            "java",
            "java",
            "VM Thread",
            "GC Thread#0",
            "C2 CompilerThre",
        ];
        let sequential = exited(&[&java]);
        let judged = judge(passed(), Some(&sequential), Concurrency::THREADS);
        let rejection = judged.rejection.expect("no thread of its own");
        assert_eq!(rejection.rule, TOO_FEW_THREADS);
        assert!(
            rejection.reason.contains("4 threads of its runtime"),
            "{}",
            rejection.reason
        );
        let pooled = exited(&[&[&java[..], &["pool-1-thread-1"]].concat()]);
        let judged = judge(passed(), Some(&pooled), Concurrency::THREADS);
        assert_eq!(judged.verdict, Verdict::Pass, "{}", judged.detail);
        let forked = exited(&[&["a.out"], &["a.out"]]);
        assert_eq!(
            judge(passed(), Some(&forked), Concurrency::PROCESSES).verdict,
            Verdict::Pass
        );
        let both = judge(passed(), Some(&forked), Concurrency::BOTH);
        assert_eq!(both.rejection.unwrap().rule, TOO_FEW_THREADS);
        let single = exited(&[&["a.out", "worker"]]);
        let judged = judge(passed(), Some(&single), Concurrency::PROCESSES);
        assert_eq!(judged.rejection.unwrap().rule, TOO_FEW_PROCESSES);
    }

    fn passed() -> Judgement {
        Judgement {
            verdict: Verdict::Pass,
            detail: "10 factorials".into(),
            rejection: None,
            ignored: vec![3],
        }
    }

    #[test]
    fn one_task_counted_is_proof_even_when_no_sample_saw_it() {
        // A C program that ends inside the first sampling tick: created 1, seen 0.
        let unseen = tasks(1, 0, 0, (0, 0));
        let judged = judge(passed(), Some(&unseen), Concurrency::THREADS);
        assert_eq!(judged.rejection.unwrap().rule, TOO_FEW_THREADS);
        let judged = judge(passed(), Some(&unseen), Concurrency::PROCESSES);
        assert_eq!(judged.rejection.unwrap().rule, TOO_FEW_PROCESSES);
        // Sampled, not counted: no proof.
        let sampled = Tasks {
            exact: false,
            ..unseen
        };
        assert_eq!(
            judge(passed(), Some(&sampled), Concurrency::THREADS).verdict,
            Verdict::Pass
        );
    }

    #[test]
    fn a_single_process_fails_a_question_about_processes() {
        let sequential = tasks(1, 1, 1, (1, 1));
        let judged = judge(passed(), Some(&sequential), Concurrency::PROCESSES);
        assert_eq!(judged.verdict, Verdict::WrongOutput);
        assert_eq!(judged.rejection.unwrap().rule, TOO_FEW_PROCESSES);
        assert_eq!(judged.ignored, [3]);
        // The same run passes a question that needs no processes.
        let judged = judge(passed(), Some(&sequential), Concurrency::THREADS);
        assert_eq!(judged.rejection.unwrap().rule, TOO_FEW_THREADS);
    }

    #[test]
    fn a_single_thread_fails_a_question_about_threads_but_threads_of_several_processes_do_not_count()
     {
        // Three processes, one thread each, all seen: no thread was started.
        let processes = tasks(3, 3, 3, (3, 1));
        let judged = judge(passed(), Some(&processes), Concurrency::THREADS);
        assert_eq!(judged.rejection.unwrap().rule, TOO_FEW_THREADS);
        assert_eq!(
            judge(passed(), Some(&processes), Concurrency::PROCESSES),
            passed()
        );
    }

    #[test]
    fn enough_seen_at_once_passes() {
        let pool = tasks(5, 5, 5, (5, 1));
        assert_eq!(
            judge(passed(), Some(&pool), Concurrency::PROCESSES),
            passed()
        );
        let threads = tasks(5, 2, 1, (1, 2));
        assert_eq!(
            judge(passed(), Some(&threads), Concurrency::THREADS),
            passed()
        );
        let both = tasks(9, 9, 4, (4, 3));
        assert_eq!(judge(passed(), Some(&both), Concurrency::BOTH), passed());
    }

    #[test]
    fn tasks_never_seen_make_a_low_count_a_note_not_a_failure() {
        // Six tasks created, two seen: the unseen ones may have been workers.
        for unseen in [tasks(6, 2, 1, (1, 2)), tasks(6, 5, 1, (1, 1))] {
            for minimum in [Concurrency::PROCESSES, Concurrency::THREADS] {
                let judged = judge(passed(), Some(&unseen), minimum);
                assert_eq!(judged.verdict, Verdict::Pass, "{unseen:?} {minimum:?}");
                if judged != passed() {
                    assert!(
                        judged.detail.contains("could not be confirmed"),
                        "{}",
                        judged.detail
                    );
                }
            }
        }
        let judged = judge(
            passed(),
            Some(&tasks(6, 2, 1, (1, 2))),
            Concurrency::PROCESSES,
        );
        assert!(
            judged.detail.contains("could not be confirmed"),
            "{}",
            judged.detail
        );
    }

    #[test]
    fn sampled_counts_never_fail_a_run_but_can_meet_the_minimum() {
        let sampled = |peaks| Tasks {
            exact: false,
            ..tasks(1, 1, 1, peaks)
        };
        let judged = judge(passed(), Some(&sampled((1, 1))), Concurrency::BOTH);
        assert_eq!(judged.verdict, Verdict::Pass);
        assert!(
            judged.detail.contains("sampled from /proc"),
            "{}",
            judged.detail
        );
        assert_eq!(
            judge(passed(), Some(&sampled((2, 2))), Concurrency::BOTH),
            passed()
        );
    }

    #[test]
    fn uncounted_runs_and_failed_runs_are_left_as_they_are() {
        let judged = judge(passed(), None, Concurrency::PROCESSES);
        assert_eq!(judged.verdict, Verdict::Pass);
        assert!(
            judged.detail.contains("were not counted"),
            "{}",
            judged.detail
        );
        let crashed = Judgement {
            verdict: Verdict::Crash,
            ..passed()
        };
        let sequential = tasks(1, 1, 1, (1, 1));
        assert_eq!(
            judge(crashed.clone(), Some(&sequential), Concurrency::BOTH),
            crashed
        );
        // A question that needs nothing adds no note.
        let none = Concurrency {
            processes: 1,
            threads: 1,
        };
        assert_eq!(judge(passed(), None, none), passed());
    }
}
