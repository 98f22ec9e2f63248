//! The exercise-6 contract: one labelled section per technique for handling
//! errors in concurrent code, each meeting a real failure. Result lines are
//! checked for their values, and events for their causal order (an error is
//! received after its task started; a restart follows its crash; a supervisor
//! gives up exactly when one more restart would exceed its intensity; no job
//! starts after the signal was received), and nothing more.
//!
//! ```text
//! == Thread panic ==
//! unjoined thread panicked: "cannot divide 10 by 0"; only the panic hook heard it, nobody was told
//! joined thread panicked: join() returned Err("cannot divide 10 by 0")
//! scoped thread panicked: the scope panicked in the caller in turn: "a scoped thread panicked"
//! next lock(): PoisonError: its holder panicked after moving 10 out of a: a = 90, b = 0
//! repaired, then clear_poison(): a = 90, b = 10: a + b = 100 of 100; the next lock() is Ok
//! == Errors as values ==
//! task 1 started: 10 / 5
//! task 2 started: 10 / 0
//! received from task 2: error: division by zero
//! received from task 1: 2.0
//! task 3 started: 10 / 2
//! received from task 3: 5.0
//! task 4 started: 10 / 4
//! received from task 4: 2.5
//! 4 tasks: 3 values, 1 error, every outcome received
//! == Thread pool ==
//! submitted task 1: parse "42x" as a number
//! submitted task 2: element 7 of a list of 3
//! task 1 returned an error: invalid digit found in string
//! task 2 panicked: index 7 is out of range for a list of 3
//! after: the pool's 2 workers ran 2 more tasks: [42, 42]
//! == Process pool ==
//! apply_async(worker, (5,))
//! apply_async(worker, (0,))
//! Result: 2.0
//! apply_async(worker, (2,))
//! apply_async(worker, (4,))
//! Exception: Zero is not allowed!
//! Result: 5.0
//! Result: 2.5
//! submitted: a task that kills its own worker with SIGKILL, 3 squares queued behind it
//! error_callback: worker 29376 died of SIGKILL in the middle of the task
//! the 3 squares behind it: [1, 4, 9], on the new worker 29377
//! == Errors collected across processes ==
//! started process 29381: 10 / 5
//! started process 29383: 10 / 0
//! started process 29385: 10 / 2
//! started process 29386: 10 / 0
//! started process 29389: 10 / 4
//! exit codes: [0, 1, 0, 1, 0]: they say who failed, not why
//! Exceptions encountered: ['process 29383: division by zero', 'process 29386: division by zero']
//! 5 processes, 2 failed, 2 errors collected: none lost
//! == Supervisor ==
//! one-for-one, at most 3 restarts in 5000 ms: started workers [1, 2, 3]
//! worker 2 crashed at 2 ms: exit code 3
//! restart 1: restarted workers [2]
//! worker 1 finished
//! worker 3 finished
//! worker 2 finished
//! one-for-one: 1 restart, every worker finished
//! one-for-all, at most 3 restarts in 5000 ms: started workers [1, 2, 3]
//! worker 2 crashed at 2 ms: exit code 3
//! restart 1: stopped workers [1, 3], restarted workers [1, 2, 3]
//! worker 1 finished
//! worker 2 finished
//! worker 3 finished
//! one-for-all: 1 restart, every worker finished
//! one-for-one, at most 3 restarts in 5000 ms: started workers [1]
//! worker 1 crashed at 2 ms: exit code 3
//! restart 1: restarted workers [1]
//! worker 1 crashed at 5 ms: exit code 3
//! restart 2: restarted workers [1]
//! worker 1 crashed at 7 ms: exit code 3
//! restart 3: restarted workers [1]
//! worker 1 crashed at 9 ms: exit code 3
//! gave up at 9 ms: restart 4 would be more than 3 in 5000 ms; stopped workers []
//! one-for-one: gave up after 3 restarts
//! == Retry ==
//! policy: up to 8 attempts, first wait 20 ms, doubling, jitter ±50 %, deadline 400 ms
//! flaky: attempt 1 failed at 0 ms: connection refused; next in 17 ms
//! flaky: attempt 2 failed at 17 ms: connection refused; next in 58 ms
//! flaky: attempt 3 succeeded at 75 ms: 42
//! hopeless: attempt 1 failed at 0 ms: connection refused; next in 15 ms
//! hopeless: attempt 2 failed at 15 ms: connection refused; next in 40 ms
//! hopeless: attempt 3 failed at 55 ms: connection refused; next in 66 ms
//! hopeless: attempt 4 failed at 121 ms: connection refused; next in 213 ms
//! hopeless: attempt 5 failed at 334 ms: connection refused; a wait of 269 ms would pass the 400 ms deadline: gave up
//! == Timeouts and cancellation ==
//! thread task with a stop flag: no result within 100 ms: cancelled: it saw the flag and stopped after 90 of 1000 steps
//! queued thread task: cancel() before it started: it never ran
//! thread task without a stop flag: no result within 100 ms: abandoned, still running
//! the abandoned task ended by itself at 300 ms; nobody used its result
//! process task: no result within 100 ms: cancelled by killing its worker 29407 (worker 29407 died before the task finished: killed by SIGKILL)
//! the pool's new worker 29408 answered: 7 x 7 = 49
//! == Graceful shutdown ==
//! child: 6 jobs on 2 threads, grace period 300 ms
//! child: job 1 started
//! child: job 2 started
//! parent: sending SIGTERM to child 29409
//! child: SIGTERM received: no new job starts; 2 in flight get 300 ms
//! child: job 1 finished
//! child: job 2 cancelled: still running when the grace period ended
//! child: summary: 1 finished, 1 cancelled, 4 not started
//! child: finished: job 1
//! child: cancelled: job 2
//! child: not started: job 3, job 4, job 5, job 6
//! child 29409 exited with code 143
//! ```
//!
//! The Graceful shutdown section holds one or more such rounds, each ended by the
//! child's exit line. Lines printed by different threads (a task's `started`, the
//! caller's `received`) may come in any order the events allow.

mod collected;
mod interrupted;
mod panics;
mod process_pool;
mod retry;
mod shutdown;
mod supervisor;
mod thread_pool;
mod timeouts;
mod values;

use crate::sections::{Order, Section};
use crate::{Accepted, Checker, Contract, Rejection, Transcript};

/// The ex06 contract, as the registry ([`crate::Exercise`]) sees it.
pub const CONTRACT: Contract = Contract {
    expect_keys: &[],
    rules: rules::ALL,
    defaults: &[],
    strict_lines: &[],
    timing_sensitive: false,
    default_runs: 4,
    reported_failures: false,
    expected_failure: None,
    concurrency: crate::concurrency::Concurrency::BOTH,
    checker: |_| Ok(Box::new(ConcurrentErrorsChecker)),
};

/// The sections the contract requires, in the order the program prints them.
pub const SECTIONS: &[&str] = &[
    "Thread panic",
    "Errors as values",
    "Thread pool",
    "Process pool",
    "Errors collected across processes",
    "Supervisor",
    "Retry",
    "Timeouts and cancellation",
    "Graceful shutdown",
];

/// Rule ids, as reported in [`Rejection::rule`] and listed in the exercise's doc page.
pub mod rules {
    use crate::Rule;

    pub use crate::sections::rules::{
        SECTION_INCOMPLETE, SECTION_MISSING, SECTION_REPEATED, UNRECOGNISED_LINE,
    };

    /// Each panic is reported with its message; a poisoned mutex's data is found
    /// as its holder left it and repaired whole.
    pub const PANIC_REPORT: Rule = Rule {
        id: "panic-report",
        hint: "Report each thread's panic with its message, and repair the poisoned mutex's data so that nothing is lost.",
    };
    /// Every task's outcome is received once, after the task started: its value
    /// `10 / n`, or an error exactly when `n` is 0.
    pub const ERROR_VALUES: Rule = Rule {
        id: "error-values",
        hint: "Send each task's value or error back; receive each once, after its task started, and count them right.",
    };
    /// The pool hands back the failed task's error and the panicked task's
    /// message, after they were submitted, and runs tasks afterwards.
    pub const POOL_ERRORS: Rule = Rule {
        id: "pool-errors",
        hint: "Report each task's error or panic after it was submitted, and show the workers still running tasks afterwards.",
    };
    /// The callbacks report `10 / n` for each input but 0, and one exception for
    /// it, each after its `apply_async`; a killed worker fails its task and the
    /// tasks behind it complete.
    pub const CALLBACK_RESULTS: Rule = Rule {
        id: "callback-results",
        hint: "Report each result or exception after the apply_async it answers; after a worker is killed, complete every task queued behind it on a new worker.",
    };
    /// Every error a child process caught is in the shared list, once, and the
    /// exit codes say which children failed.
    pub const COLLECTED_ERRORS: Rule = Rule {
        id: "collected-errors",
        hint: "Have each child that fails put its error in the shared list; print the list after every child ended.",
    };
    /// A restart follows the crash it answers and restarts what its strategy
    /// says; every worker finishes unless the supervisor gave up.
    pub const SUPERVISOR_RESTART: Rule = Rule {
        id: "supervisor-restart",
        hint: "Restart only after a crash: one-for-one the crashed worker, one-for-all every worker still running too; number the restarts 1, 2, ….",
    };
    /// The supervisor gives up exactly when one more restart would be more than
    /// R within T, and not before.
    pub const SUPERVISOR_INTENSITY: Rule = Rule {
        id: "supervisor-intensity",
        hint: "Count the restarts in the last T: restart while fewer than R, give up when there are R already.",
    };
    /// Attempts count from 1; each wait is the doubled backoff within its jitter;
    /// the next attempt comes after it; a task gives up only with no attempt
    /// left or when its next wait would pass the deadline.
    pub const RETRY_SCHEDULE: Rule = Rule {
        id: "retry-schedule",
        hint: "Wait the first wait times 2^(k-1), moved by at most the jitter, before attempt k+1; give up only when the attempts or the deadline run out.",
    };
    /// A task that overran was cancelled or abandoned, as the line says, and the
    /// pool whose worker was killed answers from a new one.
    pub const TIMEOUT_OUTCOME: Rule = Rule {
        id: "timeout-outcome",
        hint: "Say of each overrunning task whether it was cancelled or abandoned, and show what became of it.",
    };
    /// After the signal is received no job starts; every started job ends once;
    /// only jobs in flight are cancelled; the summary counts what happened; the
    /// child exits 128 plus the signal's number.
    pub const SHUTDOWN_ORDER: Rule = Rule {
        id: "shutdown-order",
        hint: "On the signal start no new job, finish or cancel those in flight, print a summary that counts them, and exit 128 + the signal's number.",
    };

    /// Every rule, in the order the doc page lists them.
    pub const ALL: &[Rule] = &[
        UNRECOGNISED_LINE,
        SECTION_MISSING,
        SECTION_REPEATED,
        SECTION_INCOMPLETE,
        PANIC_REPORT,
        ERROR_VALUES,
        POOL_ERRORS,
        CALLBACK_RESULTS,
        COLLECTED_ERRORS,
        SUPERVISOR_RESTART,
        SUPERVISOR_INTENSITY,
        RETRY_SCHEDULE,
        TIMEOUT_OUTCOME,
        SHUTDOWN_ORDER,
    ];
}

/// The ex06 checker. It needs no expectations: every count it checks is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConcurrentErrorsChecker;

fn section(name: &str) -> Option<Box<dyn Section>> {
    Some(match name {
        "Thread panic" => Box::<panics::PanicSection>::default(),
        "Errors as values" => Box::<values::ValuesSection>::default(),
        "Thread pool" => Box::<thread_pool::ThreadPoolSection>::default(),
        "Process pool" => Box::<process_pool::ProcessPoolSection>::default(),
        "Errors collected across processes" => Box::<collected::CollectedSection>::default(),
        "Supervisor" => Box::<supervisor::SupervisorSection>::default(),
        "Retry" => Box::<retry::RetrySection>::default(),
        "Timeouts and cancellation" => Box::<timeouts::TimeoutsSection>::default(),
        "Graceful shutdown" => Box::<shutdown::ShutdownSection>::default(),
        _ => return None,
    })
}

impl Checker for ConcurrentErrorsChecker {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        let lines = transcript.lines();
        let Some(at) = lines.iter().position(|l| l.text == interrupted::HEADING) else {
            return crate::sections::check(transcript, SECTIONS, section, Order::Any);
        };
        // Every section must have run before the signal; then the block must say so.
        let accepted = crate::sections::check(&transcript.head(at), SECTIONS, section, Order::Any)?;
        let signal = interrupted::check(&lines[at..], &SECTIONS.iter().copied().collect())?;
        Ok(Accepted {
            summary: format!(
                "{}; {signal} came after every section had finished",
                accepted.summary
            ),
            ..accepted
        })
    }
}

/// `10 / n` as Python prints it (`2.0`, `2.5`), or `None` for 0.
pub(crate) fn python_quotient(n: u64) -> Option<String> {
    #[expect(clippy::cast_precision_loss, reason = "n is read from a short line")]
    let quotient = 10.0 / n as f64;
    (n != 0).then(|| format!("{quotient:?}"))
}

/// `"text"`: a non-empty quoted text, without its quotes.
pub(crate) fn quoted(text: &str) -> Option<&str> {
    text.strip_prefix('"')?
        .strip_suffix('"')
        .filter(|inner| !inner.is_empty())
}
