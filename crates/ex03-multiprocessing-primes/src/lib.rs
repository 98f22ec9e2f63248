//! Exercise 3's work: the primes in a range by trial division, the ranges to split
//! a span into, and the four ways of running one task per range.

use rayon::prelude::*;
use sync_kit::process::{Pool, Task};
use sync_kit::{ThreadPool, as_completed};

/// The course's ranges, used when no `--limit` is given.
pub const DEFAULT_RANGES: [(u64, u64); 4] = [(1, 1000), (1000, 2000), (2000, 3000), (3000, 4000)];

/// The largest `--limit`: the checker verifies ranges up to here.
pub const MAX_LIMIT: u64 = 1_000_000_000;

/// Whether `n` is prime, by trial division up to √n as the course's `is_prime`
/// does, trying 2 and then odd divisors only.
pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n.is_multiple_of(2) {
        return n == 2;
    }
    // Below 2³² (every range this program allows), 32-bit division is faster.
    match u32::try_from(n) {
        Ok(n) => (3..)
            .step_by(2)
            .take_while(|d: &u32| d * d <= n)
            .all(|d| n % d != 0),
        Err(_) => (3..)
            .step_by(2)
            .take_while(|d: &u64| d * d <= n)
            .all(|d| !n.is_multiple_of(d)),
    }
}

/// The primes p with `start ≤ p < end`, ascending.
pub fn primes_between((start, end): (u64, u64)) -> Vec<u64> {
    (start..end).filter(|&n| is_prime(n)).collect()
}

/// The task each worker process runs: one range's primes.
pub static PRIMES_BETWEEN: Task<(u64, u64), Vec<u64>> = Task::new("primes_between", primes_between);

/// Splits `1..limit` into `count` contiguous ranges whose lengths differ by at most
/// one. `count` must be in `1..limit`, so no range is empty.
pub fn equal_ranges(limit: u64, count: u64) -> Vec<(u64, u64)> {
    let span = limit - 1;
    let bound = |i: u64| 1 + (u128::from(i) * u128::from(span) / u128::from(count)) as u64;
    (0..count).map(|i| (bound(i), bound(i + 1))).collect()
}

/// How the tasks run (`--mode` on the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// One task per range on a pool of worker processes (`multiprocessing.Pool`).
    Processes,
    /// On sync-kit's thread pool.
    Threads,
    /// On rayon's pool.
    Rayon,
    /// One after the other on the main thread.
    Sequential,
}

/// Finds the primes of every range with `workers` workers in `mode`, calling `emit`
/// with each range and its primes as soon as they are known (in completion order
/// for the concurrent modes).
pub fn run(
    mode: Mode,
    ranges: &[(u64, u64)],
    workers: usize,
    mut emit: impl FnMut((u64, u64), &[u64]) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    match mode {
        Mode::Processes => {
            // Long tasks: two in flight per worker keeps each busy while an answer
            // travels, without queueing the last ranges behind a busy worker.
            let pool = Pool::builder().workers(workers).in_flight(2).build()?;
            let mut results = pool.imap_unordered(&PRIMES_BETWEEN, ranges.iter().copied());
            let printed = std::iter::from_fn(|| results.next_indexed())
                .try_for_each(|(index, primes)| emit(ranges[index], &primes?));
            match printed {
                Ok(()) => pool.join(),
                // The reader has gone (or a task failed): the queued ranges are not
                // worked on; the workers are killed, as Python's `terminate()`.
                Err(_) => pool.terminate(),
            }
            printed?;
        }
        Mode::Threads => {
            let pool = ThreadPool::new(workers)?;
            let handles: Vec<_> = ranges
                .iter()
                .map(|&range| pool.submit(move || primes_between(range)))
                .collect();
            let printed =
                as_completed(handles).try_for_each(|(index, primes)| emit(ranges[index], &primes?));
            if printed.is_err() {
                // The queued ranges are cancelled, not run:
                // `shutdown(cancel_futures=True)`.
                pool.shutdown(true, true);
            }
            printed?;
        }
        Mode::Rayon => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(workers)
                .build()?;
            let (sender, receiver) = std::sync::mpsc::channel();
            let owned = ranges.to_vec();
            pool.spawn(move || {
                // A send fails once the receiver has gone; the ranges not yet
                // started are then skipped.
                let _ = owned
                    .into_par_iter()
                    .try_for_each_with(sender, |sender, range| {
                        sender.send((range, primes_between(range)))
                    });
            });
            for (range, primes) in receiver {
                emit(range, &primes)?;
            }
        }
        Mode::Sequential => {
            for &range in ranges {
                emit(range, &primes_between(range))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trial_division_agrees_with_a_sieve() {
        const N: usize = 20_000;
        let mut composite = vec![false; N];
        for p in 2..N {
            if !composite[p] {
                (p * p..N).step_by(p).for_each(|m| composite[m] = true);
            }
        }
        for (n, &is_composite) in composite.iter().enumerate() {
            assert_eq!(is_prime(n as u64), n >= 2 && !is_composite, "{n}");
        }
        assert!(is_prime(4_294_967_311)); // the first prime past 2³²
        assert!(!is_prime(4_294_967_297)); // 641 × 6700417
    }

    #[test]
    fn equal_ranges_cover_the_span_without_gaps() {
        for (limit, count) in [(2, 1), (10, 3), (4000, 4), (2_000_000, 64), (100, 99)] {
            let ranges = equal_ranges(limit, count);
            assert_eq!(ranges.len() as u64, count);
            assert_eq!(ranges[0].0, 1);
            assert_eq!(ranges[ranges.len() - 1].1, limit);
            for pair in ranges.windows(2) {
                assert_eq!(pair[0].1, pair[1].0);
            }
            let lengths: Vec<u64> = ranges.iter().map(|(a, b)| b - a).collect();
            let (min, max) = (lengths.iter().min(), lengths.iter().max());
            assert!(min > Some(&0) && max.zip(min).is_some_and(|(max, min)| max - min <= 1));
        }
    }
}
