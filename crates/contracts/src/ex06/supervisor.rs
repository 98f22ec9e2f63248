//! Checks the Supervisor section: one run per supervisor, each begun by its
//! header. A restart answers the crash just before it and restarts what its
//! strategy says; a supervisor restarts while fewer than R restarts happened in
//! the last T and gives up exactly when R did; every worker finishes unless it
//! gave up. The section shows both strategies and one supervisor giving up.

use std::collections::BTreeSet;

use super::rules;
use crate::pylist::{fields, numbers, parse_int_list};
use crate::sections::{Section, first_missing, incomplete, unrecognised};
use crate::{Line, Rejection};

const SECTION: &str = "Supervisor";

#[derive(Default)]
pub(super) struct SupervisorSection {
    run: Option<Run>,
    seen_one_for_one: bool,
    seen_one_for_all: bool,
    seen_give_up: bool,
}

/// One supervisor, from its header to its last line.
struct Run {
    strategy: &'static str,
    /// At most `allowed` restarts in any `period_ms`.
    allowed: u64,
    period_ms: u64,
    workers: BTreeSet<u64>,
    running: BTreeSet<u64>,
    finished: BTreeSet<u64>,
    /// The crash not yet answered by a restart or a give-up: worker, time.
    crash: Option<(u64, u64)>,
    last_crash_ms: u64,
    /// When each restart's crash happened.
    restarts: Vec<u64>,
    gave_up: bool,
    ended: bool,
}

impl Run {
    /// The restarts within the period before `now`: for certain, and at most
    /// (times are printed in whole milliseconds, so one either side of the
    /// period's edge may be in or out).
    fn within(&self, now: u64) -> (usize, usize) {
        let ago = |at: &&u64| now.saturating_sub(**at);
        let sure = self
            .restarts
            .iter()
            .filter(|at| ago(at) < self.period_ms)
            .count();
        let maybe = self
            .restarts
            .iter()
            .filter(|at| ago(at) <= self.period_ms + 1)
            .count();
        (sure, maybe)
    }
}

fn list(text: &str) -> Option<BTreeSet<u64>> {
    parse_int_list(text)?
        .into_iter()
        .map(|n| u64::try_from(n).ok())
        .collect()
}

impl Section for SupervisorSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let text = line.text.as_str();
        if let Some(found) = fields(text, "{}, at most {} restarts in {} ms: started workers {}") {
            return self.header(line, &found);
        }
        let restart = |why: String| Err(Rejection::at(line, rules::SUPERVISOR_RESTART, why));
        let Some(run) = self.run.as_mut().filter(|run| !run.ended) else {
            return Err(Rejection::at(
                line,
                rules::UNRECOGNISED_LINE,
                "a supervisor's line outside any supervisor (each begins `STRATEGY, at most R restarts in T ms: started workers […]`)",
            ));
        };
        if let Some(found) = fields(text, "worker {} crashed at {} ms: {}") {
            let (Ok(worker), Ok(at)) = (found[0].parse::<u64>(), found[1].parse::<u64>()) else {
                return Err(unrecognised(line, SECTION));
            };
            if let Some((earlier, _)) = run.crash {
                return restart(format!("worker {earlier}'s crash was never answered"));
            }
            if !run.running.remove(&worker) {
                return restart(format!("worker {worker} crashed while not running"));
            }
            if at < run.last_crash_ms {
                return restart(format!(
                    "a crash at {at} ms after one at {} ms",
                    run.last_crash_ms
                ));
            }
            run.last_crash_ms = at;
            run.crash = Some((worker, at));
            return Ok(());
        }
        if let Some([worker]) = numbers(text, "worker {} finished") {
            if !run.running.remove(&worker) {
                return restart(format!("worker {worker} finished while not running"));
            }
            run.finished.insert(worker);
            return Ok(());
        }
        if let Some(found) = fields(text, "restart {}: restarted workers {}")
            .or_else(|| fields(text, "restart {}: stopped workers {}, restarted workers {}"))
        {
            return Self::restart(run, line, &found);
        }
        if let Some(found) = fields(
            text,
            "gave up at {} ms: restart {} would be more than {} in {} ms; stopped workers {}",
        ) {
            let numbers: Vec<u64> = found[..4].iter().filter_map(|n| n.parse().ok()).collect();
            let (Ok([at, next, allowed, period]), Some(stopped)) =
                (<[u64; 4]>::try_from(numbers), list(found[4]))
            else {
                return Err(unrecognised(line, SECTION));
            };
            let Some((_, crashed)) = run.crash.take() else {
                return restart("a give-up answers a crash just before it".into());
            };
            if at != crashed || next != run.restarts.len() as u64 + 1 {
                return restart(format!(
                    "the crash was at {crashed} ms, and restart {} would come next",
                    run.restarts.len() + 1
                ));
            }
            if (allowed, period) != (run.allowed, run.period_ms) {
                return restart(format!(
                    "this supervisor allows {} restarts in {} ms",
                    run.allowed, run.period_ms
                ));
            }
            let (_, maybe) = run.within(at);
            if (maybe as u64) < run.allowed {
                return Err(Rejection::at(
                    line,
                    rules::SUPERVISOR_INTENSITY,
                    format!(
                        "gave up with {maybe} restarts in the last {} ms: it may restart until there are {}",
                        run.period_ms, run.allowed
                    ),
                ));
            }
            if stopped != run.running {
                return restart(format!("the workers still running were {:?}", run.running));
            }
            run.running.clear();
            run.gave_up = true;
            self.seen_give_up = true;
            return Ok(());
        }
        if let Some(found) = fields(text, "{}: gave up after {} restarts") {
            if !run.gave_up
                || found[0] != run.strategy
                || found[1] != run.restarts.len().to_string()
            {
                return restart(format!(
                    "this {} supervisor {} after {} restarts",
                    run.strategy,
                    if run.gave_up {
                        "gave up"
                    } else {
                        "did not give up"
                    },
                    run.restarts.len()
                ));
            }
            run.ended = true;
            return Ok(());
        }
        if let Some(found) = fields(text, "{}: {} restart, every worker finished")
            .or_else(|| fields(text, "{}: {} restarts, every worker finished"))
        {
            if run.gave_up || found[0] != run.strategy || found[1] != run.restarts.len().to_string()
            {
                return restart(format!(
                    "this {} supervisor made {} restarts{}",
                    run.strategy,
                    run.restarts.len(),
                    if run.gave_up { " and gave up" } else { "" }
                ));
            }
            if run.finished != run.workers || run.crash.is_some() {
                return restart("not every worker finished".into());
            }
            run.ended = true;
            return Ok(());
        }
        Err(unrecognised(line, SECTION))
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        if self.run.as_ref().is_some_and(|run| !run.ended) {
            return Err(incomplete(
                header,
                SECTION,
                "STRATEGY: N restarts (or gave up)",
            ));
        }
        first_missing(
            header,
            SECTION,
            &[
                (!self.seen_one_for_one, "one-for-one, at most …"),
                (!self.seen_one_for_all, "one-for-all, at most …"),
                (!self.seen_give_up, "gave up at …"),
            ],
        )
    }
}

impl SupervisorSection {
    /// `STRATEGY, at most R restarts in T ms: started workers [...]`.
    fn header(&mut self, line: &Line, found: &[&str]) -> Result<(), Rejection> {
        if self.run.as_ref().is_some_and(|run| !run.ended) {
            return Err(Rejection::at(
                line,
                rules::SECTION_INCOMPLETE,
                "a supervisor began before the last one ended",
            ));
        }
        let strategy = match found[0] {
            "one-for-one" => "one-for-one",
            "one-for-all" => "one-for-all",
            _ => return Err(unrecognised(line, SECTION)),
        };
        let (Ok(allowed), Ok(period_ms), Some(workers)) =
            (found[1].parse(), found[2].parse(), list(found[3]))
        else {
            return Err(unrecognised(line, SECTION));
        };
        self.seen_one_for_one |= strategy == "one-for-one";
        self.seen_one_for_all |= strategy == "one-for-all";
        self.run = Some(Run {
            strategy,
            allowed,
            period_ms,
            running: workers.clone(),
            workers,
            finished: BTreeSet::new(),
            crash: None,
            last_crash_ms: 0,
            restarts: Vec::new(),
            gave_up: false,
            ended: false,
        });
        Ok(())
    }

    /// `restart K: restarted workers [...]` (one-for-one) or `restart K: stopped
    /// workers [...], restarted workers [...]` (one-for-all).
    fn restart(run: &mut Run, line: &Line, found: &[&str]) -> Result<(), Rejection> {
        let reject = |why: String| Err(Rejection::at(line, rules::SUPERVISOR_RESTART, why));
        let Ok(number) = found[0].parse::<u64>() else {
            return Err(unrecognised(line, SECTION));
        };
        let lists: Option<Vec<BTreeSet<u64>>> = found[1..].iter().map(|l| list(l)).collect();
        let Some(lists) = lists else {
            return Err(unrecognised(line, SECTION));
        };
        let Some((worker, at)) = run.crash.take() else {
            return reject(format!("restart {number} answers no crash"));
        };
        if number != run.restarts.len() as u64 + 1 {
            return reject(format!(
                "restart {number} should be restart {}",
                run.restarts.len() + 1
            ));
        }
        let (sure, _) = run.within(at);
        if sure as u64 >= run.allowed {
            return Err(Rejection::at(
                line,
                rules::SUPERVISOR_INTENSITY,
                format!(
                    "{sure} restarts in the last {} ms already: the supervisor should have given up",
                    run.period_ms
                ),
            ));
        }
        match (run.strategy, lists.as_slice()) {
            ("one-for-one", [restarted]) => {
                if restarted.iter().ne([worker].iter()) {
                    return reject(format!("one-for-one restarts worker {worker} alone"));
                }
                run.running.insert(worker);
            }
            ("one-for-all", [stopped, restarted]) => {
                if *stopped != run.running {
                    return reject(format!(
                        "one-for-all stops every worker still running: {:?}",
                        run.running
                    ));
                }
                let mut all = stopped.clone();
                all.insert(worker);
                if *restarted != all {
                    return reject(format!(
                        "one-for-all restarts the stopped and the crashed: {all:?}"
                    ));
                }
                run.running = all;
            }
            _ => return reject(format!("not how a {} supervisor restarts", run.strategy)),
        }
        run.restarts.push(at);
        Ok(())
    }
}
