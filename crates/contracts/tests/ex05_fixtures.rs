//! The ex05 checker against its fixtures: sections in any order and any valid
//! interleaving inside them are accepted; each rule has transcripts that break it.

mod common;

use common::{Accept, Reject, Suite, fixture_tests};
use contracts::Exercise;
use contracts::ex05::rules;

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
        summary: "all 11 sections keep their rules; 283297 of 400000 updates lost without the lock; 100000 of 200000 updates lost by processes without the lock; 98560 of 200000 updates lost by value += 1 without get_lock()",
        ignored: &[],
    },
    Accept {
        file: "accept/process-lock-both-accounts-held.txt",
        expect: &[],
        summary: "all 11 sections keep their rules; 283297 of 400000 updates lost without the lock; 100000 of 200000 updates lost by processes without the lock; 98560 of 200000 updates lost by value += 1 without get_lock()",
        ignored: &[],
    },
    Accept {
        file: "accept/lock-one-increment-each-one-survives.txt",
        expect: &[],
        summary: "all 11 sections keep their rules; 3 of 4 updates lost without the lock; 100000 of 200000 updates lost by processes without the lock; 98560 of 200000 updates lost by value += 1 without get_lock()",
        ignored: &[],
    },
    Accept {
        file: "accept/sections-reordered-nothing-lost.txt",
        expect: &[],
        summary: "all 11 sections keep their rules; 0 of 20 updates lost without the lock; 0 of 20 updates lost by processes without the lock; 0 of 20 updates lost by value += 1 without get_lock()",
        ignored: &[],
    },
    Accept {
        file: "accept/producer-runs-ahead.txt",
        expect: &[],
        summary: "all 11 sections keep their rules; 47349 of 400000 updates lost without the lock; 0 of 5 updates lost by value += 1 without get_lock(); 0 of 30 updates lost by processes without the lock",
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
        file: "reject/section-incomplete-rlock-no-depth.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(4),
    },
    Reject {
        file: "reject/section-incomplete-rlock-no-total.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(4),
    },
    Reject {
        file: "reject/section-incomplete-queue-no-join.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(30),
    },
    Reject {
        file: "reject/section-incomplete-queue-no-consumers.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(30),
    },
    Reject {
        file: "reject/section-incomplete-queue-no-total.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(30),
    },
    Reject {
        file: "reject/section-incomplete-process-queue-no-kill.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(46),
    },
    Reject {
        file: "reject/section-incomplete-process-queue-no-after.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(46),
    },
    Reject {
        file: "reject/section-incomplete-semaphore-no-limit.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(19),
    },
    Reject {
        file: "reject/section-incomplete-semaphore-no-bounded.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(19),
    },
    Reject {
        file: "reject/section-incomplete-value-array-no-result.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(42),
    },
    Reject {
        file: "reject/unrecognised-line-value-array-value-not-a-number.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(43),
    },
    Reject {
        file: "reject/unrecognised-line-value-array-cut.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(43),
    },
    Reject {
        file: "reject/section-incomplete-lock-no-unlocked-line.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(1),
    },
    Reject {
        file: "reject/unrecognised-line-manager-list-cut.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(58),
    },
    Reject {
        file: "reject/section-incomplete-pipe-no-end-of-file.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(52),
    },
    Reject {
        file: "reject/unrecognised-line-pipe-text-with-backslash.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(53),
    },
    Reject {
        file: "reject/lock-owner-died-repair-changes-a.txt",
        expect: &[],
        rule: rules::LOCK_OWNER_DIED,
        line: Some(41),
    },
    Reject {
        file: "reject/lock-owner-died-another-holder-killed.txt",
        expect: &[],
        rule: rules::LOCK_OWNER_DIED,
        line: Some(39),
    },
    Reject {
        file: "reject/unrecognised-line-locked-count-with-a-loss.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(3),
    },
    Reject {
        file: "reject/unrecognised-line-unlocked-loss-unclosed.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(2),
    },
    Reject {
        file: "reject/section-incomplete-condition-no-summary.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(7),
    },
    Reject {
        file: "reject/section-incomplete-condition-nothing-taken.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(7),
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
    Reject {
        file: "reject/lock-count-lost-words-wrong.txt",
        expect: &[],
        rule: rules::LOCK_COUNT,
        line: Some(2),
    },
    Reject {
        file: "reject/lock-count-none-lost-but-some-were.txt",
        expect: &[],
        rule: rules::LOCK_COUNT,
        line: Some(2),
    },
    Reject {
        file: "reject/lock-count-processes-locked-lost.txt",
        expect: &[],
        rule: rules::LOCK_COUNT,
        line: Some(37),
    },
    Reject {
        file: "reject/lock-count-value-with-get-lock-lost.txt",
        expect: &[],
        rule: rules::LOCK_COUNT,
        line: Some(45),
    },
    Reject {
        file: "reject/lock-owner-died-killed-before-it-took-the-lock.txt",
        expect: &[],
        rule: rules::LOCK_OWNER_DIED,
        line: Some(38),
    },
    Reject {
        file: "reject/lock-owner-died-another-pid.txt",
        expect: &[],
        rule: rules::LOCK_OWNER_DIED,
        line: Some(40),
    },
    Reject {
        file: "reject/lock-owner-died-state-not-as-left.txt",
        expect: &[],
        rule: rules::LOCK_OWNER_DIED,
        line: Some(40),
    },
    Reject {
        file: "reject/lock-owner-died-not-repaired.txt",
        expect: &[],
        rule: rules::LOCK_OWNER_DIED,
        line: Some(41),
    },
    Reject {
        file: "reject/lock-owner-died-never-killed.txt",
        expect: &[],
        rule: rules::LOCK_OWNER_DIED,
        line: Some(39),
    },
    Reject {
        file: "reject/value-array-result.txt",
        expect: &[],
        rule: rules::VALUE_ARRAY_RESULT,
        line: Some(43),
    },
    Reject {
        file: "reject/queue-torn-second-item-half-there.txt",
        expect: &[],
        rule: rules::QUEUE_TORN,
        line: Some(51),
    },
    Reject {
        file: "reject/queue-torn-no-repair.txt",
        expect: &[],
        rule: rules::QUEUE_TORN,
        line: Some(51),
    },
    Reject {
        file: "reject/queue-count-processes.txt",
        expect: &[],
        rule: rules::QUEUE_COUNT,
        line: Some(49),
    },
    Reject {
        file: "reject/pipe-order-end-of-file-before-the-kill.txt",
        expect: &[],
        rule: rules::PIPE_ORDER,
        line: Some(55),
    },
    Reject {
        file: "reject/pipe-order-not-what-was-sent.txt",
        expect: &[],
        rule: rules::PIPE_ORDER,
        line: Some(54),
    },
    Reject {
        file: "reject/section-incomplete-process-lock-not-repaired.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(35),
    },
    Reject {
        file: "reject/section-missing-pipe.txt",
        expect: &[],
        rule: rules::SECTION_MISSING,
        line: None,
    },
    Reject {
        file: "reject/manager-result-course-list.txt",
        expect: &[],
        rule: rules::MANAGER_RESULT,
        line: Some(58),
    },
    Reject {
        file: "reject/manager-result-appends-lost.txt",
        expect: &[],
        rule: rules::MANAGER_RESULT,
        line: Some(59),
    },
    Reject {
        file: "reject/section-incomplete-manager-server-not-ended.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(57),
    },
];

#[test]
fn an_incomplete_section_names_the_first_line_it_lacks() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/ex05/reject/section-incomplete-process-queue-no-kill.txt"
    );
    let text = std::fs::read_to_string(path).expect("the fixture");
    let checker = Exercise::Ex05
        .checker(&contracts::Expectations::new())
        .expect("a checker");
    let rejection = checker
        .check(&contracts::Transcript::from_bytes(text.as_bytes()))
        .expect_err("a section without its kill and what came after");
    assert!(
        rejection.reason.contains("`producer killed halfway`"),
        "{}",
        rejection.reason
    );
}
