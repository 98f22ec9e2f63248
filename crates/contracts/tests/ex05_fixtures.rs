//! The ex05 checker against its fixtures: sections in any order and any valid
//! interleaving inside them are accepted; each rule has transcripts that break it.

mod common;

use common::fixture_tests;
use contracts::Exercise;

fixture_tests!(Exercise::Ex05);

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
