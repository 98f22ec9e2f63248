//! Exercise 7's work: exact factorials, and the two engines that run them.
//!
//! The binary prints them; the benchmarks (`cargo xtask bench`) time the same code.
//! Each task computes one factorial *and* its decimal text: for large n the
//! conversion to decimal costs as much as the product, and doing it in the worker
//! keeps the main thread free to print.

use std::io;

use num_bigint::BigUint;
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
            match order {
                Order::Input => {
                    for result in pool.map(factorial_line, 1..=upto) {
                        let (n, value) = result?;
                        emit(n, &value)?;
                    }
                }
                Order::Completion => {
                    let handles = (1..=upto).map(|n| pool.submit(move || factorial_line(n)));
                    for (_, result) in as_completed(handles.collect::<Vec<_>>()) {
                        let (n, value) = result?;
                        emit(n, &value)?;
                    }
                }
            }
        }
        Engine::Rayon => {
            use rayon::prelude::*;
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(workers)
                .build()?;
            match order {
                Order::Input => {
                    let lines: Vec<_> =
                        pool.install(|| (1..=upto).into_par_iter().map(factorial_line).collect());
                    for (n, value) in lines {
                        emit(n, &value)?;
                    }
                }
                Order::Completion => {
                    let (done, finished) = std::sync::mpsc::channel();
                    let emitted = pool.in_place_scope(|scope| {
                        for n in 1..=upto {
                            let done = done.clone();
                            scope.spawn(move |_| {
                                // The receiver outlives the scope: sending cannot fail.
                                let _ = done.send(factorial_line(n));
                            });
                        }
                        drop(done);
                        // On a failed write, stop printing; the scope still waits for
                        // the remaining tasks, whose sends go into the channel's buffer.
                        finished.iter().try_for_each(|(n, value)| emit(n, &value))
                    });
                    emitted?;
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
