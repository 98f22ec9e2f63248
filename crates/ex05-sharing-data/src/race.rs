//! The lost-update race, made to show: an unlocked increment that really reads,
//! works, then writes, and the words that report what it lost and, when it lost
//! nothing, why.
//!
//! Python's `counter += 1` is a load, an add and a store, with the interpreter's
//! own work in between: a thread switched out after the load writes back a stale
//! value. A compiled `load; store(seen + 1)` leaves a window of a nanosecond or
//! two, and on a busy machine the race often does not bite at all. So each
//! unlocked increment here does a little real work between its read and its write
//! (about what CPython spends between the two), which keeps the window open long
//! enough that on two cores an update is lost in nearly every run.

use std::hint::black_box;
use std::time::Duration;

/// Steps of work between an increment's read and its write.
const WORK: u32 = 200;

/// The new value an unlocked increment writes back after reading `seen`: one more,
/// computed slowly enough for another thread or process to write in between.
pub(crate) fn increment(seen: u64) -> u64 {
    let mut value = seen;
    for _ in 0..WORK {
        value = black_box(value);
    }
    value + 1
}

/// When each of the racing threads or processes ran, from the system's monotonic
/// clock (the same in every process), in nanoseconds: `(start, end)`.
pub(crate) type Span = (u64, u64);

/// Now, on the monotonic clock, in nanoseconds.
pub(crate) fn now() -> u64 {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
    let since = Duration::new(now.tv_sec.max(0) as u64, now.tv_nsec as u32);
    since.as_nanos() as u64
}

/// What the unlocked counter's line ends with: how many updates were lost and, if
/// none, why the race did not bite this time. `who` names the racers ("threads",
/// "processes").
pub(crate) fn lost(counter: u64, total: u64, spans: &[Span], who: &str) -> String {
    let lost = total.saturating_sub(counter);
    if lost > 0 {
        return format!("{lost} lost");
    }
    if spans.len() < 2 {
        return format!("none lost: one of the {who} has nobody to race with");
    }
    if overlapped(spans) {
        format!(
            "none lost: the {who} ran at the same time, but none was interrupted between its read and its write this time"
        )
    } else {
        format!("none lost: the {who} ran one after another, never at the same time")
    }
}

/// Whether any two spans overlap.
fn overlapped(spans: &[Span]) -> bool {
    spans
        .iter()
        .enumerate()
        .any(|(i, a)| spans[i + 1..].iter().any(|b| a.0 < b.1 && b.0 < a.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_say_what_was_lost_or_why_nothing_was() {
        assert_eq!(lost(7, 10, &[(0, 5), (1, 6)], "threads"), "3 lost");
        assert!(lost(10, 10, &[(0, 5), (1, 6)], "threads").contains("at the same time"));
        assert!(lost(10, 10, &[(0, 5), (5, 6)], "threads").contains("one after another"));
        assert!(lost(10, 10, &[(0, 5)], "threads").contains("nobody to race with"));
        assert_eq!(increment(41), 42);
    }
}
