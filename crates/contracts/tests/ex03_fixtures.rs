//! The ex03 checker against its fixtures: ranges in any order, with or without the
//! expectation of how they split 1..L, and the mistakes a prime finder makes.

mod common;

use common::{Accept, Reject, Suite, fixture_tests};
use contracts::Exercise;
use contracts::ex03::rules;

fixture_tests!(SUITE);

const SUITE: Suite = Suite {
    exercise: Exercise::Ex03,
    accept: ACCEPT,
    reject: REJECT,
};

const SPLIT: &[(&str, &str)] = &[("limit", "200"), ("ranges", "5")];

const ACCEPT: &[Accept] = &[
    Accept {
        file: "accept/dict-of-ranges.txt",
        expect: &[("limit", "60"), ("ranges", "2")],
        summary: "2 ranges from 1 to 60, 17 primes, all exact",
        ignored: &[],
    },
    Accept {
        file: "accept/course-ranges-in-order.txt",
        expect: &[],
        summary: "4 ranges from 1 to 4000, 550 primes, all exact",
        ignored: &[],
    },
    Accept {
        file: "accept/equal-ranges-completion-order.txt",
        expect: SPLIT,
        summary: "5 ranges from 1 to 200, 46 primes, all exact",
        ignored: &[],
    },
    Accept {
        file: "accept/mixed-spacing.txt",
        expect: &[("limit", "29"), ("ranges", "3")],
        summary: "3 ranges from 1 to 29, 9 primes, all exact",
        ignored: &[],
    },
    Accept {
        file: "accept/progress-line-is-noise.txt",
        expect: SPLIT,
        summary: "5 ranges from 1 to 200, 46 primes, all exact",
        ignored: &[3],
    },
    Accept {
        file: "accept/worker-prints-and-banners.txt",
        expect: &[],
        summary: "4 ranges from 1 to 4000, 550 primes, all exact",
        ignored: &[1, 3, 5, 7, 9, 11],
    },
    Accept {
        file: "accept/list-on-the-next-line-inclusive-ends.txt",
        expect: &[],
        summary: "4 ranges from 1 to 4000, 550 primes, all exact",
        ignored: &[],
    },
    Accept {
        file: "accept/counts-only.txt",
        expect: &[],
        summary: "4 ranges from 1 to 4000, 550 primes, all exact",
        ignored: &[],
    },
    Accept {
        file: "accept/merged-results-nested-list.txt",
        expect: &[],
        summary: "the 550 primes below 4000 in one list, all exact; the ranges were not printed, so their number is not checked",
        ignored: &[1],
    },
    Accept {
        file: "accept/all-primes-one-list.txt",
        expect: &[],
        summary: "the 550 primes below 4000 in one list, all exact; the ranges were not printed, so their number is not checked",
        ignored: &[2],
    },
];

const REJECT: &[Reject] = &[
    Reject {
        file: "reject/unrecognised-line-strict-banner.txt",
        expect: &[("--strict", ""), ("limit", "30"), ("ranges", "1")],
        rule: rules::UNRECOGNISED_LINE,
        line: Some(1),
    },
    Reject {
        file: "reject/range-missing-far-range-at-the-largest-end.txt",
        expect: &[("limit", "any"), ("ranges", "any")],
        rule: rules::RANGE_MISSING,
        line: None,
    },
    Reject {
        file: "reject/bad-range-past-the-largest-end.txt",
        expect: &[("limit", "any"), ("ranges", "any")],
        rule: rules::BAD_RANGE,
        line: Some(1),
    },
    Reject {
        file: "reject/unreadable-record-cut-list.txt",
        expect: &[],
        rule: rules::UNREADABLE_RECORD,
        line: Some(1),
    },
    Reject {
        file: "reject/interleaved-lines.txt",
        expect: &[],
        rule: rules::INTERLEAVED,
        line: Some(1),
    },
    Reject {
        file: "reject/bad-range-backwards.txt",
        expect: &[],
        rule: rules::BAD_RANGE,
        line: Some(2),
    },
    Reject {
        file: "reject/range-repeated.txt",
        expect: &[],
        rule: rules::RANGE_REPEATED,
        line: Some(6),
    },
    Reject {
        file: "reject/range-unexpected-overlap.txt",
        expect: &[],
        rule: rules::RANGE_UNEXPECTED,
        line: Some(6),
    },
    Reject {
        file: "reject/range-unexpected-past-limit.txt",
        expect: SPLIT,
        rule: rules::RANGE_UNEXPECTED,
        line: Some(6),
    },
    Reject {
        file: "reject/wrong-primes-missing.txt",
        expect: &[],
        rule: rules::WRONG_PRIMES,
        line: Some(4),
    },
    Reject {
        file: "reject/wrong-primes-composite.txt",
        expect: &[],
        rule: rules::WRONG_PRIMES,
        line: Some(4),
    },
    Reject {
        file: "reject/wrong-primes-one.txt",
        expect: &[],
        rule: rules::WRONG_PRIMES,
        line: Some(5),
    },
    Reject {
        file: "reject/wrong-primes-end-included.txt",
        expect: &[],
        rule: rules::WRONG_PRIMES,
        line: Some(4),
    },
    Reject {
        file: "reject/wrong-primes-unsorted.txt",
        expect: &[],
        rule: rules::WRONG_PRIMES,
        line: Some(1),
    },
    Reject {
        file: "reject/wrong-primes-count.txt",
        expect: &[],
        rule: rules::WRONG_PRIMES,
        line: Some(2),
    },
    Reject {
        file: "reject/range-missing.txt",
        expect: SPLIT,
        rule: rules::RANGE_MISSING,
        line: None,
    },
    Reject {
        file: "reject/range-missing-gap.txt",
        expect: &[("limit", "any"), ("ranges", "any")],
        rule: rules::RANGE_MISSING,
        line: None,
    },
    Reject {
        file: "reject/range-missing-empty.txt",
        expect: &[],
        rule: rules::RANGE_MISSING,
        line: None,
    },
];

#[test]
fn each_wrong_list_is_explained() {
    for (file, reason) in [
        (
            "reject/wrong-primes-missing.txt",
            "the prime 47 is missing (the list goes on with 53)",
        ),
        (
            "reject/wrong-primes-composite.txt",
            "45 is not prime (or is out of order)",
        ),
        (
            "reject/wrong-primes-one.txt",
            "1 is not prime (or is out of order)",
        ),
        (
            "reject/wrong-primes-end-included.txt",
            "80 is not prime (or is out of order)",
        ),
        (
            "reject/range-missing.txt",
            "no range covers 80 to 120, which holds primes",
        ),
        (
            "reject/range-missing-gap.txt",
            "no range covers 20 to 24, which holds primes",
        ),
    ] {
        let rejection = SUITE.check(file, SPLIT).expect_err(file);
        assert_eq!(rejection.reason, reason, "{file}");
    }
}
