//! Property tests of the ex04 checker on transcripts it has never seen.
//!
//! A generator plays a correctly locked program: a random interleaving of adds and
//! removal attempts, each line printed in a random one of several wordings. Every
//! such transcript must be accepted. Then one targeted corruption (the kind a race or
//! a wrong program produces) must make it rejected, for the rule that corruption breaks.

use std::collections::VecDeque;

use contracts::ex04::rules;
use contracts::{Exercise, Expectations, Transcript};
use proptest::prelude::*;
use sync_kit::fmt::PyList;

/// A generated run: its lines, and the counts it was "asked for".
#[derive(Debug, Clone)]
struct Run {
    lines: Vec<String>,
    adds: u64,
    removes: u64,
}

/// Plays `script` (true: add, false: remove attempt), printing each line in the
/// wording its number picks: the course's, the short one, or a producer/consumer's.
fn play(script: &[(bool, u8)]) -> Run {
    let mut list = VecDeque::new();
    let (mut next, mut removes) = (0u64, 0u64);
    let mut lines = Vec::new();
    for &(add, wording) in script {
        if add {
            list.push_back(next);
            lines.push(match wording {
                0 => format!("Added {next} to the list. Current list: {}", PyList(&list)),
                1 => format!("Added: {next}"),
                _ => format!("Produced: {next}, Current List: {}", PyList(&list)),
            });
            next += 1;
        } else {
            removes += 1;
            lines.push(match (list.pop_front(), wording) {
                (None, 2) => "List is empty, cannot remove.".to_owned(),
                (None, _) => "List is empty, nothing to remove.".to_owned(),
                (Some(x), 0) => {
                    format!("Removed {x} from the list. Current list: {}", PyList(&list))
                }
                (Some(x), 1) => format!("Removed: {x}"),
                (Some(x), _) => format!("Consumed: {x}, Current List: {}", PyList(&list)),
            });
        }
    }
    lines.push(format!("Final list: {}", PyList(&list)));
    Run {
        lines,
        adds: next,
        removes,
    }
}

fn check(run: &Run) -> Result<contracts::Accepted, contracts::Rejection> {
    let expect = Expectations::new()
        .with("adds", run.adds)
        .with("removes", run.removes);
    let checker = Exercise::Ex04.checker(&expect).expect("valid expectations");
    checker.check(&Transcript::parse(&run.lines.join("\n")))
}

fn runs() -> impl Strategy<Value = Run> {
    prop::collection::vec((any::<bool>(), 0u8..3), 0..40).prop_map(|script| play(&script))
}

proptest! {
    #[test]
    fn every_correct_interleaving_is_accepted(run in runs()) {
        if let Err(rejection) = check(&run) {
            prop_assert!(false, "rejected:\n{}\n{}", rejection, run.lines.join("\n"));
        }
    }

    #[test]
    fn a_repeated_removal_is_rejected(run in runs(), pick in any::<prop::sample::Index>()) {
        let removals: Vec<usize> = (0..run.lines.len())
            .filter(|&i| ["Removed", "Consumed"].iter().any(|verb| run.lines[i].starts_with(verb)))
            .collect();
        prop_assume!(!removals.is_empty());
        let at = removals[pick.index(removals.len())];
        let mut bad = run.clone();
        bad.lines.insert(at + 1, run.lines[at].clone());
        let rejection = check(&bad).expect_err("a removal printed twice");
        prop_assert!(
            [rules::REMOVED_NOT_HELD, rules::REMOVED_FROM_EMPTY].contains(&rejection.rule),
            "{}", rejection
        );
        prop_assert_eq!(rejection.line, Some(at + 2));
    }

    #[test]
    fn a_stale_shown_list_is_rejected(run in runs(), pick in any::<prop::sample::Index>()) {
        // Print one shown list as it was one operation earlier: what a program that
        // prints after unlocking can show.
        let shown: Vec<usize> = (1..run.lines.len() - 1).filter(|&i| run.lines[i].contains("Current list: ")).collect();
        prop_assume!(!shown.is_empty());
        let at = shown[pick.index(shown.len())];
        let before = match run.lines[..at].iter().rev().find_map(|l| l.split_once("list: ").map(|(_, list)| list.to_owned())) {
            Some(list) => list,
            None => "[]".to_owned(),
        };
        let (head, now) = run.lines[at].split_once("Current list: ").expect("a shown list");
        prop_assume!(now != before);
        let mut bad = run.clone();
        bad.lines[at] = format!("{head}Current list: {before}");
        let rejection = check(&bad).expect_err("a stale list");
        prop_assert_eq!((rejection.rule, rejection.line), (rules::SHOWN_LIST_MISMATCH, Some(at + 1)));
    }

    #[test]
    fn a_final_list_with_an_item_too_many_is_rejected(run in runs()) {
        prop_assume!(run.lines.len() > 1);
        let mut bad = run.clone();
        let last = bad.lines.len() - 1;
        bad.lines[last] = bad.lines[last].replace("[]", "[99]").replace(']', ", 99]").replace("[, ", "[");
        let rejection = check(&bad).expect_err("a wrong final list");
        prop_assert_eq!((rejection.rule, rejection.line), (rules::FINAL_LIST_MISMATCH, Some(last + 1)));
    }

    #[test]
    fn without_its_final_line_a_run_is_still_accepted(run in runs()) {
        let mut short = run.clone();
        short.lines.pop();
        prop_assume!(short.lines.iter().any(|l| !l.starts_with("List is empty")));
        prop_assert!(check(&short).is_ok(), "{}", short.lines.join("\n"));
    }
}
