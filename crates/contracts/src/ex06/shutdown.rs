//! Checks the Graceful shutdown section: rounds of a child running jobs, each
//! begun by the child's first line and ended by its exit. Once the child has
//! received the signal the parent sent, no job starts; every job that started
//! ends once, finished or (only after the signal) cancelled; the summary counts
//! what happened; and the child exits 128 plus the signal's number.

use std::collections::BTreeSet;

use super::rules;
use crate::pylist::{fields, numbers};
use crate::sections::{Section, first_missing, incomplete, unrecognised};
use crate::{Line, Rejection};

const SECTION: &str = "Graceful shutdown";

#[derive(Default)]
pub(super) struct ShutdownSection {
    round: Option<Round>,
    rounds: usize,
}

#[derive(Default)]
struct Round {
    jobs: u64,
    threads: u64,
    grace_ms: u64,
    started: BTreeSet<u64>,
    in_flight: BTreeSet<u64>,
    finished: BTreeSet<u64>,
    cancelled: BTreeSet<u64>,
    /// The signal the parent sent, and to which child.
    sent: Option<(&'static str, u64)>,
    received: bool,
    summary: bool,
}

/// The signals a child is stopped with, and their numbers.
const SIGNALS: [(&str, u64); 2] = [("SIGINT", 2), ("SIGTERM", 15)];

fn signal(name: &str) -> Option<(&'static str, u64)> {
    SIGNALS.iter().copied().find(|(known, _)| *known == name)
}

/// `job 1, job 3`: the job numbers.
fn job_list(text: &str) -> Option<BTreeSet<u64>> {
    text.split(", ")
        .map(|job| job.strip_prefix("job ")?.parse().ok())
        .collect()
}

impl Section for ShutdownSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let text = line.text.as_str();
        let reject = |why: String| Err(Rejection::at(line, rules::SHUTDOWN_ORDER, why));
        if let Some([jobs, threads, grace_ms]) =
            numbers(text, "child: {} jobs on {} threads, grace period {} ms")
        {
            if self.round.is_some() {
                return reject("a child began before the last one exited".into());
            }
            self.round = Some(Round {
                jobs,
                threads,
                grace_ms,
                ..Round::default()
            });
            return Ok(());
        }
        let Some(round) = self.round.as_mut() else {
            return reject("each round begins with the child's `N jobs on T threads` line".into());
        };
        if let Some([job]) = numbers(text, "child: job {} started") {
            if round.received {
                return reject(format!("job {job} started after the signal was received"));
            }
            if job == 0 || job > round.jobs || !round.started.insert(job) {
                return reject(format!(
                    "job {job} is not one of the {} jobs, or started twice",
                    round.jobs
                ));
            }
            round.in_flight.insert(job);
            if round.in_flight.len() as u64 > round.threads {
                return reject(format!(
                    "more jobs in flight than the {} threads",
                    round.threads
                ));
            }
            return Ok(());
        }
        if let Some([job]) = numbers(text, "child: job {} finished") {
            if !round.in_flight.remove(&job) {
                return reject(format!("job {job} finished without being in flight"));
            }
            round.finished.insert(job);
            return Ok(());
        }
        if let Some([job]) = numbers(
            text,
            "child: job {} cancelled: still running when the grace period ended",
        ) {
            if !round.received {
                return reject(format!(
                    "job {job} was cancelled before any signal was received"
                ));
            }
            if !round.in_flight.remove(&job) {
                return reject(format!("job {job} was cancelled without being in flight"));
            }
            round.cancelled.insert(job);
            return Ok(());
        }
        if let Some(found) = fields(text, "parent: sending {} to child {}") {
            let (Some(sent), Ok(pid)) = (signal(found[0]), found[1].parse()) else {
                return Err(unrecognised(line, SECTION));
            };
            if round.sent.replace((sent.0, pid)).is_some() {
                return reject("one signal per child".into());
            }
            return Ok(());
        }
        if let Some(found) = fields(
            text,
            "child: {} received: no new job starts; {} in flight get {} ms",
        ) {
            let (Some((name, _)), Ok(in_flight), Ok(grace_ms)) = (
                signal(found[0]),
                found[1].parse::<usize>(),
                found[2].parse::<u64>(),
            ) else {
                return Err(unrecognised(line, SECTION));
            };
            if round.sent.is_none_or(|(sent, _)| sent != name) || round.received {
                return reject(format!(
                    "{name} was received without the parent sending it, or twice"
                ));
            }
            if in_flight != round.in_flight.len() || grace_ms != round.grace_ms {
                return reject(format!(
                    "{} jobs were in flight, with a grace period of {} ms",
                    round.in_flight.len(),
                    round.grace_ms
                ));
            }
            round.received = true;
            return Ok(());
        }
        if let Some([finished, cancelled, not_started]) = numbers(
            text,
            "child: summary: {} finished, {} cancelled, {} not started",
        ) {
            let really = (
                round.finished.len() as u64,
                round.cancelled.len() as u64,
                round.jobs - round.started.len() as u64,
            );
            if !round.received || !round.in_flight.is_empty() || round.summary {
                return reject(
                    "the summary comes once, after the signal, when no job is in flight".into(),
                );
            }
            if (finished, cancelled, not_started) != really {
                return reject(format!(
                    "{} finished, {} cancelled, {} not started",
                    really.0, really.1, really.2
                ));
            }
            round.summary = true;
            return Ok(());
        }
        for (label, wanted) in [
            ("child: finished: ", &round.finished),
            ("child: cancelled: ", &round.cancelled),
        ] {
            if let Some(jobs) = text.strip_prefix(label).and_then(job_list) {
                if !round.summary || jobs != *wanted {
                    return reject(format!("after the summary, {label}lists {wanted:?}"));
                }
                return Ok(());
            }
        }
        if let Some(jobs) = text.strip_prefix("child: not started: ").and_then(job_list) {
            let never: BTreeSet<u64> = (1..=round.jobs)
                .filter(|j| !round.started.contains(j))
                .collect();
            if !round.summary || jobs != never {
                return reject(format!(
                    "after the summary, the jobs not started are {never:?}"
                ));
            }
            return Ok(());
        }
        if let Some([pid, code]) = numbers(text, "child {} exited with code {}") {
            let Some((name, sent_to)) = round.sent else {
                return reject("the child exits after the parent sent it a signal".into());
            };
            let number = signal(name).map_or(0, |(_, number)| number);
            if pid != sent_to || code != 128 + number || !round.summary {
                return reject(format!(
                    "child {sent_to}, sent {name}, exits {} after its summary",
                    128 + number
                ));
            }
            self.round = None;
            self.rounds += 1;
            return Ok(());
        }
        Err(unrecognised(line, SECTION))
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        if self.round.is_some() {
            return Err(incomplete(header, SECTION, "child N exited with code C"));
        }
        first_missing(
            header,
            SECTION,
            &[(self.rounds == 0, "child: N jobs on T threads")],
        )
    }
}
