//! The Retry section: a task that fails now and then, retried with exponential
//! backoff (each wait twice the last), jitter (each wait moved by a random part of
//! itself, so that many clients that failed together do not retry together) and an
//! overall deadline: one task fails twice then succeeds, the other never does and
//! is given up once the next wait would pass the deadline.

use std::time::{Duration, Instant};

use anyhow::bail;

use crate::jobs::Cancel;
use crate::{Args, say};

/// How the section retries.
#[derive(Debug, Clone, Copy)]
struct Policy {
    attempts: u32,
    /// The first wait; each next one is twice the last, before jitter.
    base: Duration,
    /// Each wait is moved by up to this share of itself, either way.
    jitter_percent: u32,
    /// No attempt starts after this long from the first.
    deadline: Duration,
}

const POLICY: Policy = Policy {
    attempts: 8,
    base: Duration::from_millis(20),
    jitter_percent: 50,
    deadline: Duration::from_millis(400),
};

/// Retry.
pub(crate) fn show(_: &Args, cancel: &Cancel) -> anyhow::Result<()> {
    say(format_args!(
        "policy: up to {} attempts, first wait {} ms, doubling, jitter ±{} %, deadline {} ms",
        POLICY.attempts,
        POLICY.base.as_millis(),
        POLICY.jitter_percent,
        POLICY.deadline.as_millis()
    ))?;
    let mut jitter = Jitter::seeded();
    let mut calls = 0;
    let flaky = retry("flaky", &mut jitter, cancel, || {
        calls += 1;
        match calls {
            1 | 2 => Err("connection refused".to_owned()),
            _ => Ok(42),
        }
    })?;
    if flaky != Some(42) {
        bail!("the flaky task never succeeded");
    }
    let hopeless = retry(
        "hopeless",
        &mut jitter,
        cancel,
        || -> Result<u64, String> { Err("connection refused".to_owned()) },
    )?;
    if hopeless.is_some() {
        bail!("the hopeless task succeeded");
    }
    Ok(())
}

/// Calls `attempt` until it succeeds, the attempts run out, or the next wait
/// would pass the deadline; prints each step. `None` when it gave up.
fn retry<T: std::fmt::Debug>(
    name: &str,
    jitter: &mut Jitter,
    cancel: &Cancel,
    mut attempt: impl FnMut() -> Result<T, String>,
) -> anyhow::Result<Option<T>> {
    let started = Instant::now();
    let mut wait = POLICY.base;
    for number in 1..=POLICY.attempts {
        cancel.check()?;
        let error = match attempt() {
            Ok(value) => {
                say(format_args!(
                    "{name}: attempt {number} succeeded at {} ms: {value:?}",
                    started.elapsed().as_millis()
                ))?;
                return Ok(Some(value));
            }
            Err(error) => error,
        };
        let at = started.elapsed();
        if number == POLICY.attempts {
            say(format_args!(
                "{name}: attempt {number} failed at {} ms: {error}; no attempts left: gave up",
                at.as_millis()
            ))?;
            return Ok(None);
        }
        let next = jitter.apply(wait, POLICY.jitter_percent);
        if at + next > POLICY.deadline {
            say(format_args!(
                "{name}: attempt {number} failed at {} ms: {error}; a wait of {} ms would pass the {} ms deadline: gave up",
                at.as_millis(),
                next.as_millis(),
                POLICY.deadline.as_millis()
            ))?;
            return Ok(None);
        }
        say(format_args!(
            "{name}: attempt {number} failed at {} ms: {error}; next in {} ms",
            at.as_millis(),
            next.as_millis()
        ))?;
        cancel.sleep(next)?;
        wait *= 2;
    }
    Ok(None)
}

/// A small pseudo-random source for the jitter (xorshift64): a retry schedule
/// needs spread, not cryptographic strength.
struct Jitter(u64);

impl Jitter {
    fn seeded() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        Self(u64::from(nanos) ^ u64::from(std::process::id()) << 32 | 1)
    }

    /// `wait` moved by a random part of itself up to `percent` %, either way,
    /// in whole milliseconds.
    fn apply(&mut self, wait: Duration, percent: u32) -> Duration {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        let ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        let spread = ms * u64::from(percent) / 100;
        let low = ms - spread;
        Duration::from_millis(low + self.0 % (2 * spread + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_its_share_and_spreads() {
        let mut jitter = Jitter(0x9e37_79b9_7f4a_7c15);
        let waits: Vec<u128> = (0..200)
            .map(|_| jitter.apply(Duration::from_millis(40), 50).as_millis())
            .collect();
        assert!(waits.iter().all(|&w| (20..=60).contains(&w)), "{waits:?}");
        assert!(waits.iter().any(|&w| w < 30) && waits.iter().any(|&w| w > 50));
    }
}
