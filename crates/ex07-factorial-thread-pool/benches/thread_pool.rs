//! Benchmarks of exercise 7's thread pools, run by `cargo xtask bench`.
//!
//! Every pool is built before timing starts ("warm"), as Python's figures are for a
//! pool that already exists. `benches/python_pool.py` times `ThreadPoolExecutor` on
//! the same work; `cargo xtask bench` runs both, one after the other.

use divan::Bencher;
use ex07_factorial_thread_pool::{factorial, factorial_line};
use rayon::prelude::*;
use sync_kit::ThreadPool;

fn main() {
    divan::main();
}

fn pool(workers: usize) -> ThreadPool {
    ThreadPool::new(workers).expect("worker threads start")
}

fn rayon_pool(workers: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(workers)
        .build()
        .expect("worker threads start")
}

/// One tiny task: submit, then wait for its result (Python: `submit(f).result()`).
#[divan::bench]
fn submit_then_result(bencher: Bencher<'_, '_>) {
    let pool = pool(2);
    bencher.bench_local(|| pool.submit(|| divan::black_box(1)).result());
}

/// `map(factorial, 1..=10)` on a warm pool of 2 (Python: `list(ex.map(math.factorial, range(1, 11)))`).
#[divan::bench]
fn warm_map_factorial_1_to_10(bencher: Bencher<'_, '_>) {
    let pool = pool(2);
    bencher.bench_local(|| pool.map(factorial, 1..=10).count());
}

/// The same on a warm rayon pool of 2.
#[divan::bench]
fn warm_map_factorial_1_to_10_rayon(bencher: Bencher<'_, '_>) {
    let pool = rayon_pool(2);
    bencher.bench_local(|| {
        pool.install(|| {
            (1..=10u64)
                .into_par_iter()
                .map(factorial)
                .collect::<Vec<_>>()
        })
    });
}

/// Exercise 7 at scale: n! and its decimal text for n in 1..=2000, in order.
#[divan::bench(args = [1, 2], sample_count = 10)]
fn factorials_1_to_2000(bencher: Bencher<'_, '_>, workers: usize) {
    let pool = pool(workers);
    bencher.bench_local(|| pool.map(factorial_line, 1..=2000).count());
}

/// The same on rayon.
#[divan::bench(args = [1, 2], sample_count = 10)]
fn factorials_1_to_2000_rayon(bencher: Bencher<'_, '_>, workers: usize) {
    let pool = rayon_pool(workers);
    bencher.bench_local(|| {
        pool.install(|| {
            (1..=2000u64)
                .into_par_iter()
                .map(factorial_line)
                .collect::<Vec<_>>()
        })
    });
}

/// The same in a plain loop on the calling thread: the baseline the pools must beat.
#[divan::bench(sample_count = 10)]
fn factorials_1_to_2000_serial() -> usize {
    (1..=2000).map(factorial_line).count()
}
