//! The ex06 checker against its fixtures: sections in any order and any valid
//! interleaving inside them are accepted; each rule has transcripts that break it.

mod common;

use common::{Accept, Reject, Suite, fixture_tests};
use test_kit::Exercise;
use test_kit::ex06::rules;

fixture_tests!(SUITE);

const SUITE: Suite = Suite {
    exercise: Exercise::Ex06,
    accept: ACCEPT,
    reject: REJECT,
};

const ACCEPT: &[Accept] = &[
    Accept {
        file: "accept/program-order.txt",
        expect: &[],
        summary: "all 9 sections keep their rules",
        ignored: &[],
    },
    Accept {
        file: "accept/sections-reversed-full-run.txt",
        expect: &[],
        summary: "all 9 sections keep their rules",
        ignored: &[],
    },
    Accept {
        file: "accept/other-interleavings.txt",
        expect: &[],
        summary: "all 9 sections keep their rules",
        ignored: &[],
    },
    Accept {
        // No child divides by 0, so the list is empty; the abandoned task ends
        // within the millisecond of its timeout.
        file: "accept/no-child-fails-and-edges.txt",
        expect: &[],
        summary: "all 9 sections keep their rules",
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
        line: Some(4),
    },
    Reject {
        file: "reject/unrecognised-line-unknown-section.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(69),
    },
    Reject {
        file: "reject/section-missing-timeouts.txt",
        expect: &[],
        rule: rules::SECTION_MISSING,
        line: None,
    },
    Reject {
        file: "reject/section-repeated-thread-panic.txt",
        expect: &[],
        rule: rules::SECTION_REPEATED,
        line: Some(111),
    },
    Reject {
        file: "reject/section-incomplete-abandoned-never-ends.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(79),
    },
    Reject {
        file: "reject/section-incomplete-supervisor-never-ends.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(44),
    },
    Reject {
        file: "reject/section-incomplete-line-twice.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(23),
    },
    Reject {
        file: "reject/panic-report-repair-loses-money.txt",
        expect: &[],
        rule: rules::PANIC_REPORT,
        line: Some(6),
    },
    Reject {
        file: "reject/panic-report-message-unquoted.txt",
        expect: &[],
        rule: rules::PANIC_REPORT,
        line: Some(3),
    },
    Reject {
        file: "reject/error-values-received-before-started.txt",
        expect: &[],
        rule: rules::ERROR_VALUES,
        line: Some(8),
    },
    Reject {
        file: "reject/error-values-wrong-quotient.txt",
        expect: &[],
        rule: rules::ERROR_VALUES,
        line: Some(13),
    },
    Reject {
        file: "reject/error-values-error-for-nonzero.txt",
        expect: &[],
        rule: rules::ERROR_VALUES,
        line: Some(15),
    },
    Reject {
        file: "reject/error-values-value-for-zero.txt",
        expect: &[],
        rule: rules::ERROR_VALUES,
        line: Some(11),
    },
    Reject {
        file: "reject/error-values-summary-miscounts.txt",
        expect: &[],
        rule: rules::ERROR_VALUES,
        line: Some(16),
    },
    Reject {
        file: "reject/error-values-outcome-lost.txt",
        expect: &[],
        rule: rules::ERROR_VALUES,
        line: Some(15),
    },
    Reject {
        file: "reject/pool-errors-error-before-submitted.txt",
        expect: &[],
        rule: rules::POOL_ERRORS,
        line: Some(18),
    },
    Reject {
        file: "reject/pool-errors-workers-answer-wrong.txt",
        expect: &[],
        rule: rules::POOL_ERRORS,
        line: Some(22),
    },
    Reject {
        file: "reject/callback-results-result-before-submitted.txt",
        expect: &[],
        rule: rules::CALLBACK_RESULTS,
        line: Some(27),
    },
    Reject {
        file: "reject/callback-results-wrong-result.txt",
        expect: &[],
        rule: rules::CALLBACK_RESULTS,
        line: Some(31),
    },
    Reject {
        file: "reject/callback-results-two-exceptions.txt",
        expect: &[],
        rule: rules::CALLBACK_RESULTS,
        line: Some(30),
    },
    Reject {
        file: "reject/callback-results-callback-missing.txt",
        expect: &[],
        rule: rules::CALLBACK_RESULTS,
        line: Some(23),
    },
    Reject {
        file: "reject/callback-results-wrong-squares.txt",
        expect: &[],
        rule: rules::CALLBACK_RESULTS,
        line: Some(34),
    },
    Reject {
        file: "reject/callback-results-squares-on-dead-worker.txt",
        expect: &[],
        rule: rules::CALLBACK_RESULTS,
        line: Some(34),
    },
    Reject {
        file: "reject/collected-errors-wrong-exit-code.txt",
        expect: &[],
        rule: rules::COLLECTED_ERRORS,
        line: Some(41),
    },
    Reject {
        file: "reject/collected-errors-error-lost.txt",
        expect: &[],
        rule: rules::COLLECTED_ERRORS,
        line: Some(42),
    },
    Reject {
        file: "reject/collected-errors-error-from-healthy-child.txt",
        expect: &[],
        rule: rules::COLLECTED_ERRORS,
        line: Some(42),
    },
    Reject {
        file: "reject/collected-errors-summary-miscounts.txt",
        expect: &[],
        rule: rules::COLLECTED_ERRORS,
        line: Some(43),
    },
    Reject {
        file: "reject/supervisor-restart-without-crash.txt",
        expect: &[],
        rule: rules::SUPERVISOR_RESTART,
        line: Some(49),
    },
    Reject {
        file: "reject/supervisor-restart-one-for-one-restarts-others.txt",
        expect: &[],
        rule: rules::SUPERVISOR_RESTART,
        line: Some(47),
    },
    Reject {
        file: "reject/supervisor-restart-one-for-all-leaves-one-running.txt",
        expect: &[],
        rule: rules::SUPERVISOR_RESTART,
        line: Some(54),
    },
    Reject {
        file: "reject/supervisor-restart-finished-twice.txt",
        expect: &[],
        rule: rules::SUPERVISOR_RESTART,
        line: Some(49),
    },
    Reject {
        file: "reject/supervisor-restart-summary-miscounts.txt",
        expect: &[],
        rule: rules::SUPERVISOR_RESTART,
        line: Some(51),
    },
    Reject {
        file: "reject/supervisor-restart-numbering-skips.txt",
        expect: &[],
        rule: rules::SUPERVISOR_RESTART,
        line: Some(63),
    },
    Reject {
        file: "reject/supervisor-intensity-gave-up-too-early.txt",
        expect: &[],
        rule: rules::SUPERVISOR_INTENSITY,
        line: Some(65),
    },
    Reject {
        file: "reject/supervisor-intensity-restarted-past-it.txt",
        expect: &[],
        rule: rules::SUPERVISOR_INTENSITY,
        line: Some(65),
    },
    Reject {
        file: "reject/supervisor-intensity-old-restarts-counted.txt",
        expect: &[],
        rule: rules::SUPERVISOR_INTENSITY,
        line: Some(67),
    },
    Reject {
        file: "reject/retry-schedule-wait-outside-jitter.txt",
        expect: &[],
        rule: rules::RETRY_SCHEDULE,
        line: Some(72),
    },
    Reject {
        file: "reject/retry-schedule-attempt-before-wait-ends.txt",
        expect: &[],
        rule: rules::RETRY_SCHEDULE,
        line: Some(73),
    },
    Reject {
        file: "reject/retry-schedule-attempt-skipped.txt",
        expect: &[],
        rule: rules::RETRY_SCHEDULE,
        line: Some(75),
    },
    Reject {
        file: "reject/retry-schedule-gave-up-within-deadline.txt",
        expect: &[],
        rule: rules::RETRY_SCHEDULE,
        line: Some(78),
    },
    Reject {
        file: "reject/retry-schedule-never-ends.txt",
        expect: &[],
        rule: rules::RETRY_SCHEDULE,
        line: Some(69),
    },
    Reject {
        file: "reject/retry-schedule-waits-past-deadline.txt",
        expect: &[],
        rule: rules::RETRY_SCHEDULE,
        line: Some(77),
    },
    Reject {
        file: "reject/timeout-outcome-not-really-cancelled.txt",
        expect: &[],
        rule: rules::TIMEOUT_OUTCOME,
        line: Some(80),
    },
    Reject {
        file: "reject/timeout-outcome-abandoned-ended-early.txt",
        expect: &[],
        rule: rules::TIMEOUT_OUTCOME,
        line: Some(83),
    },
    Reject {
        file: "reject/timeout-outcome-killed-worker-answers.txt",
        expect: &[],
        rule: rules::TIMEOUT_OUTCOME,
        line: Some(85),
    },
    Reject {
        file: "reject/timeout-outcome-timeouts-differ.txt",
        expect: &[],
        rule: rules::TIMEOUT_OUTCOME,
        line: Some(82),
    },
    Reject {
        file: "reject/shutdown-order-job-starts-after-signal.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(92),
    },
    Reject {
        file: "reject/shutdown-order-cancelled-before-signal.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(90),
    },
    Reject {
        file: "reject/shutdown-order-summary-miscounts.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(94),
    },
    Reject {
        file: "reject/shutdown-order-wrong-exit-code.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(98),
    },
    Reject {
        file: "reject/shutdown-order-other-signal-received.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(91),
    },
    Reject {
        file: "reject/shutdown-order-not-started-list-wrong.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(97),
    },
    Reject {
        file: "reject/section-incomplete-child-never-exits.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(86),
    },
    Reject {
        file: "reject/section-incomplete-collected-no-summary.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(35),
    },
    Reject {
        file: "reject/panic-report-sum-misadded.txt",
        expect: &[],
        rule: rules::PANIC_REPORT,
        line: Some(6),
    },
    Reject {
        file: "reject/panic-report-repair-short-of-total.txt",
        expect: &[],
        rule: rules::PANIC_REPORT,
        line: Some(6),
    },
    Reject {
        file: "reject/panic-report-repair-changes-a.txt",
        expect: &[],
        rule: rules::PANIC_REPORT,
        line: Some(6),
    },
    Reject {
        file: "reject/panic-report-repair-misses-b.txt",
        expect: &[],
        rule: rules::PANIC_REPORT,
        line: Some(6),
    },
    Reject {
        file: "reject/section-incomplete-panic-line-missing.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(1),
    },
    Reject {
        file: "reject/callback-results-result-twice.txt",
        expect: &[],
        rule: rules::CALLBACK_RESULTS,
        line: Some(31),
    },
    Reject {
        file: "reject/unrecognised-line-killer-submission-cut-short.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(32),
    },
    Reject {
        file: "reject/pool-errors-after-before-the-panic.txt",
        expect: &[],
        rule: rules::POOL_ERRORS,
        line: Some(21),
    },
    Reject {
        file: "reject/pool-errors-no-workers.txt",
        expect: &[],
        rule: rules::POOL_ERRORS,
        line: Some(22),
    },
    Reject {
        file: "reject/section-incomplete-thread-pool-no-after.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(17),
    },
    Reject {
        file: "reject/section-incomplete-values-no-summary.txt",
        expect: &[],
        rule: rules::SECTION_INCOMPLETE,
        line: Some(7),
    },
    Reject {
        file: "reject/unrecognised-line-unknown-signal-sent.txt",
        expect: &[],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(90),
    },
    Reject {
        file: "reject/shutdown-order-job-zero-started.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(89),
    },
    Reject {
        file: "reject/shutdown-order-job-past-the-count-started.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(89),
    },
    Reject {
        file: "reject/shutdown-order-job-started-twice.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(89),
    },
    Reject {
        file: "reject/shutdown-order-summary-before-signal.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(90),
    },
    Reject {
        file: "reject/shutdown-order-summary-with-a-job-in-flight.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(93),
    },
    Reject {
        file: "reject/shutdown-order-summary-twice.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(95),
    },
    Reject {
        file: "reject/shutdown-order-finished-listed-before-summary.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(94),
    },
    Reject {
        file: "reject/shutdown-order-finished-list-wrong.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(95),
    },
    Reject {
        file: "reject/shutdown-order-cancelled-list-wrong.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(96),
    },
    Reject {
        file: "reject/shutdown-order-exit-of-another-child.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(98),
    },
    Reject {
        file: "reject/shutdown-order-exit-before-summary.txt",
        expect: &[],
        rule: rules::SHUTDOWN_ORDER,
        line: Some(94),
    },
];
