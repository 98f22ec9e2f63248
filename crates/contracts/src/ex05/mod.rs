//! The exercise-5 contract: one labelled section per tool for sharing data safely,
//! each a small real scenario whose result lines are deterministic and whose
//! causal order (a waiter leaves only after the event is set; a consumer takes only
//! what was produced) is enforced, and nothing more.
//!
//! The thread half has six sections, in any order, each exactly once:
//!
//! ```text
//! == Lock ==
//! unlocked: 4 threads x 50000 increments: counter = 131072 of 200000
//! locked: 4 threads x 50000 increments: counter = 200000 of 200000
//! == RLock ==
//! owner re-entered: depth 2
//! 4 threads x 1000 nested updates: total = 4000 of 4000
//! == Condition ==
//! added 1
//! took 1
//! consumer took [1]
//! == Semaphore ==
//! 6 threads, 2 permits: at most 2 inside at once
//! bounded: release past 2 permits refused
//! == Event ==
//! waiter 1 waiting
//! event set
//! waiter 1 released
//! == Queue ==
//! consumer 1 took 7 items
//! consumer 2 took 5 items
//! 3 producers x 4 items: 12 taken, each once
//! join returned: 0 unfinished
//! ```
//!
//! The process half has five more, each across real processes:
//!
//! ```text
//! == Lock (processes) ==
//! unlocked: 2 processes x 100000 increments: counter = 100750 of 200000 (99250 lost)
//! locked: 2 processes x 100000 increments: counter = 200000 of 200000
//! holder 31047 took the lock and moved 10 out of a: a = 90, b = 0
//! holder 31047 killed inside the lock
//! next locker: process 31047 died holding the lock; a = 90, b = 0: a + b = 90 of 100
//! repaired: a = 90, b = 10: a + b = 100 of 100
//! == Value and Array (processes) ==
//! 1 [1, 1, 2, 3]
//! value += 1 without get_lock(): 2 processes x 100000: value = 106528 of 200000 (93472 lost)
//! value += 1 with get_lock(): 2 processes x 100000: value = 200000 of 200000
//! == Queue (processes) ==
//! consumer 1 took 676 items
//! consumer 2 took 1324 items
//! 2 producers x 1000 items: 2000 taken, each once
//! producer 31057 killed halfway through its second put
//! after: got item 1 of producer 31057, then nothing: 1 repair, no torn item
//! == Pipe (processes) ==
//! parent sent "data" to child 31058
//! parent received "data" back from child 31058
//! child 31058 killed
//! parent's recv: end of file
//! == Manager (processes) ==
//! ['data']
//! 2 processes x 100 appends: list has 200 items, each once
//! server 30897 ended with its manager
//! ```
//!
//! An unlocked counter may show any count from 1 to the total: lost updates are
//! likely, not certain. Its line may end by saying what was lost, `(K lost)`, or
//! why nothing was, `(none lost: …)`; if it does, the words must match the count.

mod condition;
mod event;
mod lock;
mod manager;
mod pipe;
mod process_lock;
mod process_queue;
mod queue;
mod rlock;
mod semaphore;
mod value_array;

use crate::{Accepted, Checker, Contract, Rejection, Transcript};

/// The ex05 contract, as the registry ([`crate::Exercise`]) sees it.
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
    checker: |_| Ok(Box::new(SharingDataChecker)),
};

/// The sections the contract requires, in the order the program prints them.
pub const SECTIONS: &[&str] = &[
    "Lock",
    "RLock",
    "Condition",
    "Semaphore",
    "Event",
    "Queue",
    "Lock (processes)",
    "Value and Array (processes)",
    "Queue (processes)",
    "Pipe (processes)",
    "Manager (processes)",
];

/// Rule ids, as reported in [`Rejection::rule`] and listed in the exercise's doc page.
pub mod rules {
    use crate::Rule;

    pub use crate::sections::rules::{
        SECTION_INCOMPLETE, SECTION_MISSING, SECTION_REPEATED, UNRECOGNISED_LINE,
    };

    /// Totals are racers times increments; the locked counter reaches it, the
    /// unlocked one is between 1 and it, and what it says it lost is what it lost.
    pub const LOCK_COUNT: Rule = Rule {
        id: "lock-count",
        hint: "Count with the lock held around the whole read-modify-write; the unlocked total can only lose updates, never gain them.",
    };
    /// A holder killed inside the process lock is reported dead by the next
    /// locker, who finds the state as the holder left it and repairs it.
    pub const LOCK_OWNER_DIED: Rule = Rule {
        id: "lock-owner-died",
        hint: "Kill the holder only after it took the lock; the next locker must be told it died, see the state it left, and make it whole.",
    };
    /// The course's Value and Array example leaves `1 [1, 1, 2, 3]`.
    pub const VALUE_ARRAY_RESULT: Rule = Rule {
        id: "value-array-result",
        hint: "Have one child add 1 to Value(0) and to the first element of Array([0, 1, 2, 3]), and print both after it ended.",
    };
    /// A producer killed halfway through a put leaves its earlier item whole and
    /// no torn one.
    pub const QUEUE_TORN: Rule = Rule {
        id: "queue-torn",
        hint: "After killing a producer inside a put, the queue must hold exactly its whole items, and say it repaired itself.",
    };
    /// The Manager's shared list holds `['data']` after the course's example, and
    /// every append of every process after the many appenders.
    pub const MANAGER_RESULT: Rule = Rule {
        id: "manager-result",
        hint: "Append through the manager's list proxy from each child, and print the list after every child ended.",
    };
    /// What comes back through the pipe is what was sent, from the same child,
    /// and end-of-file follows that child's death.
    pub const PIPE_ORDER: Rule = Rule {
        id: "pipe-order",
        hint: "Print what the child sent back after it was sent, and end of file only after the child was killed.",
    };
    /// The owner re-enters at a depth of at least 2, and every nested update counts.
    pub const RLOCK_RESULT: Rule = Rule {
        id: "rlock-result",
        hint: "Re-enter the lock from its owner at least twice, and count every nested update.",
    };
    /// Items are added 1, 2, 3, … and taken in that order, each after it was added.
    pub const CONDITION_ORDER: Rule = Rule {
        id: "condition-order",
        hint: "Take items only after they were added, in the order they were added (wait on the condition until the list has one).",
    };
    /// The consumer's summary lists exactly the items taken.
    pub const CONDITION_RESULT: Rule = Rule {
        id: "condition-result",
        hint: "List in the consumer's summary exactly the items it took.",
    };
    /// At most as many threads inside as there are permits, and at least one.
    pub const SEMAPHORE_LIMIT: Rule = Rule {
        id: "semaphore-limit",
        hint: "Report how many threads are inside the semaphore while holding it; it can be no more than its permits or the threads that exist.",
    };
    /// The event is set once; a waiter is released after the set, after it waited,
    /// and once.
    pub const EVENT_ORDER: Rule = Rule {
        id: "event-order",
        hint: "Set the event once, and report a waiter released only after the set and after it began waiting.",
    };
    /// Every waiter that waited is released.
    pub const EVENT_UNRELEASED: Rule = Rule {
        id: "event-unreleased",
        hint: "Wait for every waiter to be released before the section ends.",
    };
    /// Every item produced is taken once: the consumers' counts add up to it.
    pub const QUEUE_COUNT: Rule = Rule {
        id: "queue-count",
        hint: "Take every item produced exactly once: the consumers' counts must add up to what was produced.",
    };
    /// `join` returns with nothing unfinished.
    pub const QUEUE_JOIN: Rule = Rule {
        id: "queue-join",
        hint: "Call task_done for every item taken, so that join returns with nothing unfinished.",
    };

    /// Every rule, in the order the doc page lists them.
    pub const ALL: &[Rule] = &[
        UNRECOGNISED_LINE,
        SECTION_MISSING,
        SECTION_REPEATED,
        SECTION_INCOMPLETE,
        LOCK_COUNT,
        RLOCK_RESULT,
        CONDITION_ORDER,
        CONDITION_RESULT,
        SEMAPHORE_LIMIT,
        EVENT_ORDER,
        EVENT_UNRELEASED,
        QUEUE_COUNT,
        QUEUE_JOIN,
        LOCK_OWNER_DIED,
        VALUE_ARRAY_RESULT,
        QUEUE_TORN,
        PIPE_ORDER,
        MANAGER_RESULT,
    ];
}

/// The ex05 checker. It needs no expectations: every count it checks is printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SharingDataChecker;

pub(super) use crate::sections::{Section, first_missing, incomplete, once, unrecognised};

fn section(name: &str) -> Option<Box<dyn Section>> {
    Some(match name {
        "Lock" => Box::<lock::LockSection>::default(),
        "RLock" => Box::<rlock::RLockSection>::default(),
        "Condition" => Box::<condition::ConditionSection>::default(),
        "Semaphore" => Box::<semaphore::SemaphoreSection>::default(),
        "Event" => Box::<event::EventSection>::default(),
        "Queue" => Box::<queue::QueueSection>::default(),
        "Lock (processes)" => Box::<process_lock::ProcessLockSection>::default(),
        "Value and Array (processes)" => Box::<value_array::ValueArraySection>::default(),
        "Queue (processes)" => Box::<process_queue::ProcessQueueSection>::default(),
        "Pipe (processes)" => Box::<pipe::PipeSection>::default(),
        "Manager (processes)" => Box::<manager::ManagerSection>::default(),
        _ => return None,
    })
}

impl Checker for SharingDataChecker {
    fn check(&self, transcript: &Transcript) -> Result<Accepted, Rejection> {
        crate::sections::check(transcript, SECTIONS, section, crate::sections::Order::Any)
    }
}

#[cfg(test)]
mod tests {
    use crate::pylist::numbers;

    #[test]
    fn templates_match_whole_numbers_only() {
        assert_eq!(numbers("added 12", "added {}"), Some([12]));
        assert_eq!(numbers("3 x 4 = 12", "{} x {} = {}"), Some([3, 4, 12]));
        for text in [
            "added",
            "added x",
            "added 1 ",
            "added -1",
            "added 1.5",
            "Added 1",
        ] {
            assert_eq!(numbers::<1>(text, "added {}"), None, "{text:?}");
        }
    }
}
