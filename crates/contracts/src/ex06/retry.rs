//! Checks the Retry section against its policy line: attempts count from 1; the
//! wait before attempt k + 1 is the first wait times 2^(k-1), moved by at most the
//! jitter; the next attempt comes after it; a task gives up only with no attempt
//! left, or when its next wait would pass the deadline. The section shows a task
//! that succeeds after failing and one that gives up.

use std::collections::BTreeMap;

use super::rules;
use crate::pylist::{fields, numbers};
use crate::sections::{Section, first_missing, once, unrecognised};
use crate::{Line, Rejection};

const SECTION: &str = "Retry";

/// The policy line's numbers.
#[derive(Clone, Copy)]
struct Policy {
    attempts: u64,
    first_ms: u64,
    jitter_percent: u64,
    deadline_ms: u64,
}

/// Where one task's retries stand.
#[derive(Default)]
struct Task {
    attempts: u64,
    /// When the last attempt failed, and the wait it announced.
    last: Option<(u64, u64)>,
    ended: bool,
}

#[derive(Default)]
pub(super) struct RetrySection {
    policy: Option<Policy>,
    tasks: BTreeMap<String, Task>,
    succeeded_after_failing: bool,
    gave_up: bool,
}

/// How an attempt's line ends.
enum Ending {
    Succeeded,
    Next(u64),
    NoneLeft,
    PastDeadline(u64, u64),
}

fn read(text: &str) -> Option<(String, u64, u64, Ending)> {
    let parse = |found: &[&str]| -> Option<(String, u64, u64)> {
        Some((
            found[0].to_owned(),
            found[1].parse().ok()?,
            found[2].parse().ok()?,
        ))
    };
    if let Some(found) = fields(text, "{}: attempt {} succeeded at {} ms: {}") {
        let (task, k, at) = parse(&found)?;
        return Some((task, k, at, Ending::Succeeded));
    }
    if let Some(found) = fields(text, "{}: attempt {} failed at {} ms: {}; next in {} ms") {
        let (task, k, at) = parse(&found)?;
        return Some((task, k, at, Ending::Next(found[4].parse().ok()?)));
    }
    if let Some(found) = fields(
        text,
        "{}: attempt {} failed at {} ms: {}; no attempts left: gave up",
    ) {
        let (task, k, at) = parse(&found)?;
        return Some((task, k, at, Ending::NoneLeft));
    }
    let found = fields(
        text,
        "{}: attempt {} failed at {} ms: {}; a wait of {} ms would pass the {} ms deadline: gave up",
    )?;
    let (task, k, at) = parse(&found)?;
    let ending = Ending::PastDeadline(found[4].parse().ok()?, found[5].parse().ok()?);
    Some((task, k, at, ending))
}

impl Section for RetrySection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let text = line.text.as_str();
        if let Some([attempts, first_ms, jitter_percent, deadline_ms]) = numbers(
            text,
            "policy: up to {} attempts, first wait {} ms, doubling, jitter ±{} %, deadline {} ms",
        ) {
            let policy = Policy {
                attempts,
                first_ms,
                jitter_percent: jitter_percent.min(100),
                deadline_ms,
            };
            return once(&mut self.policy, policy, line, "policy");
        }
        let Some((name, k, at, ending)) = read(text) else {
            return Err(unrecognised(line, SECTION));
        };
        let reject = |why: String| Err(Rejection::at(line, rules::RETRY_SCHEDULE, why));
        let Some(policy) = self.policy else {
            return reject("an attempt before the policy line".into());
        };
        let task = self.tasks.entry(name.clone()).or_default();
        if task.ended {
            return reject(format!("{name} had already succeeded or given up"));
        }
        if k != task.attempts + 1 {
            return reject(format!(
                "{name}'s attempt {} comes next, not {k}",
                task.attempts + 1
            ));
        }
        if let Some((failed_at, wait)) = task.last
            && at + 1 < failed_at + wait
        {
            return reject(format!(
                "attempt {k} at {at} ms came before the {wait} ms wait after {failed_at} ms was over"
            ));
        }
        // Whole milliseconds either way: the program rounds each wait.
        let nominal = policy.first_ms.saturating_mul(1 << (k - 1).min(40));
        let spread = nominal * policy.jitter_percent / 100;
        let (low, high) = (nominal - spread, nominal + spread);
        let check_wait = |wait: u64| -> Result<(), Rejection> {
            if wait + 1 < low || wait > high + 1 {
                return Err(Rejection::at(
                    line,
                    rules::RETRY_SCHEDULE,
                    format!(
                        "the wait after attempt {k} is {nominal} ms ± {spread}: {low} to {high}, not {wait}"
                    ),
                ));
            }
            Ok(())
        };
        task.attempts = k;
        match ending {
            Ending::Succeeded => {
                task.ended = true;
                self.succeeded_after_failing |= k > 1;
            }
            Ending::Next(wait) => {
                check_wait(wait)?;
                if k >= policy.attempts {
                    return reject(format!("attempt {k} was the last the policy allows"));
                }
                if at + wait > policy.deadline_ms + 1 {
                    return reject(format!(
                        "a wait of {wait} ms at {at} ms passes the {} ms deadline",
                        policy.deadline_ms
                    ));
                }
                task.last = Some((at, wait));
            }
            Ending::NoneLeft => {
                if k != policy.attempts {
                    return reject(format!(
                        "{} attempts are allowed, and only {k} were made",
                        policy.attempts
                    ));
                }
                task.ended = true;
                self.gave_up = true;
            }
            Ending::PastDeadline(wait, deadline) => {
                check_wait(wait)?;
                if deadline != policy.deadline_ms || at + wait + 1 < deadline {
                    return reject(format!(
                        "a wait of {wait} ms at {at} ms ends within the {} ms deadline",
                        policy.deadline_ms
                    ));
                }
                task.ended = true;
                self.gave_up = true;
            }
        }
        Ok(())
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        if let Some((name, _)) = self.tasks.iter().find(|(_, task)| !task.ended) {
            return Err(Rejection::at(
                header,
                rules::RETRY_SCHEDULE,
                format!("{name} neither succeeded nor gave up"),
            ));
        }
        first_missing(
            header,
            SECTION,
            &[
                (self.policy.is_none(), "policy"),
                (
                    !self.succeeded_after_failing,
                    "attempt K succeeded (after a failure)",
                ),
                (!self.gave_up, "… gave up"),
            ],
        )
    }
}
