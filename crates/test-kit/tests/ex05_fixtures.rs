//! The ex05 checker against its fixtures: sections in any order and any valid
//! interleaving inside them are accepted; each rule has transcripts that break it.

mod common;

use common::{Accept, Reject, Suite, fixture_tests};
use test_kit::Exercise;
use test_kit::ex05::rules;

fixture_tests!(SUITE);

const SUITE: Suite = Suite {
    exercise: Exercise::Ex05,
    accept: ACCEPT,
    reject: REJECT,
};

const ACCEPT: &[Accept] = &[
    Accept {
        file: "accept/program-order.txt",
        expect: &[],
        summary: "all 6 sections keep their rules; 47349 of 400000 updates lost without the lock",
        ignored: &[],
    },
    Accept {
        file: "accept/sections-reordered-nothing-lost.txt",
        expect: &[],
        summary: "all 6 sections keep their rules; 0 of 20 updates lost without the lock",
        ignored: &[],
    },
    Accept {
        file: "accept/producer-runs-ahead.txt",
        expect: &[],
        summary: "all 6 sections keep their rules; 47349 of 400000 updates lost without the lock",
        ignored: &[],
    },
];

const REJECT: &[Reject] = &[
    Reject {
        file: "reject/unrecognised-line-before-first-section.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(1),
    },
    Reject {
        file: "reject/unrecognised-line-in-section.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(19),
    },
    Reject {
        file: "reject/unrecognised-line-unknown-section.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(18),
    },
    Reject {
        file: "reject/unrecognised-line-queue-not-each-once.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(30),
    },
    Reject {
        file: "reject/section-missing.txt",
        expect: &[],
        rule: rules::SECTION_MISSING,
        line: None,
    },
    Reject {
        file: "reject/section-repeated.txt",
        expect: &[],
        rule: rules::SECTION_REPEATED,
        line: Some(31),
    },
    Reject {
        file: "reject/section-incomplete-lock.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(1),
    },
    Reject {
        file: "reject/lock-count-lost-update-under-lock.txt",
        expect: &[],
        rule: rules::LOCK_COUNT,
        line: Some(3),
    },
    Reject {
        file: "reject/lock-count-unlocked-too-high.txt",
        expect: &[],
        rule: rules::LOCK_COUNT,
        line: Some(2),
    },
    Reject {
        file: "reject/rlock-result.txt",
        expect: &[],
        rule: rules::RLOCK_RESULT,
        line: Some(6),
    },
    Reject {
        file: "reject/condition-order-took-before-added.txt",
        expect: &[],
        rule: rules::CONDITION_ORDER,
        line: Some(10),
    },
    Reject {
        file: "reject/condition-order-out-of-order.txt",
        expect: &[],
        rule: rules::CONDITION_ORDER,
        line: Some(10),
    },
    Reject {
        file: "reject/condition-result.txt",
        expect: &[],
        rule: rules::CONDITION_RESULT,
        line: Some(12),
    },
    Reject {
        file: "reject/semaphore-limit.txt",
        expect: &[],
        rule: rules::SEMAPHORE_LIMIT,
        line: Some(16),
    },
    Reject {
        file: "reject/semaphore-limit-more-than-threads.txt",
        expect: &[],
        rule: rules::SEMAPHORE_LIMIT,
        line: Some(16),
    },
    Reject {
        file: "reject/lock-count-lost-with-one-thread.txt",
        expect: &[],
        rule: rules::LOCK_COUNT,
        line: Some(2),
    },
    Reject {
        file: "reject/lock-count-unlocked-below-two.txt",
        expect: &[],
        rule: rules::LOCK_COUNT,
        line: Some(2),
    },
    Reject {
        file: "reject/event-order-released-before-set.txt",
        expect: &[],
        rule: rules::EVENT_ORDER,
        line: Some(20),
    },
    Reject {
        file: "reject/event-order-never-set.txt",
        expect: &[],
        rule: rules::EVENT_ORDER,
        line: Some(20),
    },
    Reject {
        file: "reject/event-unreleased.txt",
        expect: &[],
        rule: rules::EVENT_UNRELEASED,
        line: Some(18),
    },
    Reject {
        file: "reject/queue-count.txt",
        expect: &[],
        rule: rules::QUEUE_COUNT,
        line: Some(30),
    },
    Reject {
        file: "reject/queue-join.txt",
        expect: &[],
        rule: rules::QUEUE_JOIN,
        line: Some(27),
    },
];
