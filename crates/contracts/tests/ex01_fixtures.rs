//! The ex01 checker against its fixtures: runs of the program (with and without
//! the Python rows) are accepted; each rule has transcripts that break it.

mod common;

use common::fixture_tests;
use contracts::Exercise;
use contracts::ex01::rules;

fixture_tests!(Exercise::Ex01);

#[test]
fn the_python_rows_are_checked_against_what_was_asked() {
    let rejection = SUITE
        .check("accept/quick-run.txt", &[("python", "yes")])
        .expect_err("no Python rows");
    assert_eq!((rejection.rule, rejection.line), (rules::ROW_MISSING, None));
    let rejection = SUITE
        .check("accept/quick-run-with-python.txt", &[("python", "no")])
        .expect_err("Python rows not asked for");
    assert_eq!(rejection.rule, rules::ROW_REPEATED);
}
