//! The ex03 checker against its fixtures: ranges in any order, with or without the
//! expectation of how they split 1..L, and the mistakes a prime finder makes.

mod common;

use common::fixture_tests;
use contracts::Exercise;

fixture_tests!(Exercise::Ex03);

const SPLIT: &[(&str, &str)] = &[("limit", "200"), ("ranges", "5")];

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
