//! Exercise 7's work: exact factorials, and the two engines that run them.
//!
//! The binary prints them; the benchmarks (`cargo xtask bench`) time the same code.
//! Each task computes one factorial *and* its decimal text: for large n the
//! conversion to decimal costs as much as the product, and doing it in the worker
//! keeps the main thread free to print.

use std::collections::BTreeMap;
use std::io;

use num_bigint::BigUint;
use rayon::prelude::*;
use sync_kit::{ThreadPool, as_completed};

/// n! as an exact integer, by splitting the product in halves: the two halves have
/// similar sizes, which suits big-integer multiplication far better than
/// multiplying a growing number by one small factor at a time.
pub fn factorial(n: u64) -> BigUint {
    fn product(low: u64, high: u64) -> BigUint {
        // The product of low..=high, for low <= high.
        if high - low < 8 {
            (low..=high).fold(BigUint::from(1u32), |acc, k| acc * k)
        } else {
            let middle = low + (high - low) / 2;
            product(low, middle) * product(middle + 1, high)
        }
    }
    if n < 2 {
        BigUint::from(1u32)
    } else {
        product(2, n)
    }
}

/// One task: n and n! in decimal.
pub fn factorial_line(n: u64) -> (u64, String) {
    (n, factorial(n).to_string())
}

/// Which pool runs the tasks (`--engine` on the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Engine {
    /// sync-kit's `ThreadPool` (the `ThreadPoolExecutor` counterpart).
    Pool,
    /// A rayon thread pool, for comparison.
    Rayon,
}

/// In what order results are handed to `emit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// 1, 2, …, N (Python's `executor.map`).
    Input,
    /// As the tasks finish (Python's `as_completed`).
    Completion,
}

/// Computes the factorials of 1..=`upto` on `workers` threads and hands each
/// `(n, decimal)` to `emit` on the calling thread, in `order`. A task that panics
/// (it cannot, short of running out of memory) is reported as an error.
pub fn run(
    engine: Engine,
    upto: u64,
    workers: usize,
    order: Order,
    mut emit: impl FnMut(u64, &str) -> io::Result<()>,
) -> anyhow::Result<()> {
    match engine {
        Engine::Pool => {
            let pool = ThreadPool::new(workers)?;
            let printed = match order {
                Order::Input => pool
                    .map(factorial_line, 1..=upto)
                    .try_for_each(|result| emit_line(result?, &mut emit)),
                Order::Completion => {
                    let handles = (1..=upto).map(|n| pool.submit(move || factorial_line(n)));
                    as_completed(handles.collect::<Vec<_>>())
                        .try_for_each(|(_, result)| emit_line(result?, &mut emit))
                }
            };
            if printed.is_err() {
                // The reader has gone (or a task failed): the queued tasks are
                // cancelled, not run, as Python's `shutdown(cancel_futures=True)`.
                pool.shutdown(true, true);
            }
            printed?;
        }
        Engine::Rayon => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(workers)
                .build()?;
            rayon_lines(&pool, upto, order, &mut emit)?;
        }
    }
    Ok(())
}

/// Emits one computed line.
fn emit_line(
    (n, value): (u64, String),
    emit: &mut impl FnMut(u64, &str) -> io::Result<()>,
) -> anyhow::Result<()> {
    Ok(emit(n, &value)?)
}

/// The factorials on rayon's `pool`, as a parallel iterator that sends each line
/// to this thread as it is made; in input order, lines that come early wait for
/// those before them. Once a line cannot be emitted (the reader has gone), this
/// thread stops receiving, the next send fails, and the iterator starts nothing
/// more.
fn rayon_lines(
    pool: &rayon::ThreadPool,
    upto: u64,
    order: Order,
    emit: &mut impl FnMut(u64, &str) -> io::Result<()>,
) -> anyhow::Result<()> {
    let (done, finished) = std::sync::mpsc::channel();
    pool.spawn(move || {
        let _ = (1..=upto)
            .into_par_iter()
            .try_for_each_with(done, |done, n| done.send(factorial_line(n)));
    });
    let mut waiting = BTreeMap::new();
    let mut next = 1;
    for (n, value) in finished {
        match order {
            Order::Completion => emit(n, &value)?,
            Order::Input => {
                waiting.insert(n, value);
                while let Some(value) = waiting.remove(&next) {
                    emit(next, &value)?;
                    next += 1;
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_factorials_are_exact() {
        let expected = [1u64, 1, 2, 6, 24, 120, 720, 5040, 40320, 362880, 3628800];
        for (n, value) in expected.into_iter().enumerate() {
            assert_eq!(factorial(n as u64), BigUint::from(value), "{n}!");
        }
        // Past u64 (20!) and past f64's exact range; the running product agrees.
        let running = (1..=35u32).fold(BigUint::from(1u32), |acc, k| acc * k);
        assert_eq!(factorial(35), running);
        assert_eq!(
            factorial(35).to_string(),
            "10333147966386144929666651337523200000000"
        );
    }

    #[test]
    fn every_engine_and_order_gives_the_same_lines() {
        let collect = |engine, order| {
            let mut lines = Vec::new();
            run(engine, 60, 3, order, |n, v| {
                lines.push((n, v.to_owned()));
                Ok(())
            })
            .unwrap();
            lines
        };
        let reference: Vec<_> = (1..=60).map(factorial_line).collect();
        for engine in [Engine::Pool, Engine::Rayon] {
            assert_eq!(collect(engine, Order::Input), reference, "{engine:?}");
            let mut completed = collect(engine, Order::Completion);
            completed.sort();
            assert_eq!(completed, reference, "{engine:?} as completed");
        }
    }
}
