//! Benchmarks of exercise 3, run by `cargo xtask bench ex03`:
//! the primes below 2,000,000 in 64 ranges, on each of the program's modes.
//!
//! This bench binary is its own pool worker (`main` calls `process::init` before
//! divan runs). `benches/python_primes.py` times Python's `multiprocessing.Pool`
//! on the same trial division.

use divan::Bencher;
use ex03_multiprocessing_primes::{Mode, PRIMES_BETWEEN, equal_ranges, run};
use sync_kit::process;

fn main() {
    process::init(&[&PRIMES_BETWEEN]);
    divan::main();
}

/// Every mode on 2 workers, pool start and shutdown included (as the program does).
#[divan::bench(args = ["processes", "threads", "rayon", "sequential"], sample_count = 10)]
fn primes_below_2_000_000_in_64_ranges(bencher: Bencher<'_, '_>, mode: &str) {
    let mode = match mode {
        "processes" => Mode::Processes,
        "threads" => Mode::Threads,
        "rayon" => Mode::Rayon,
        _ => Mode::Sequential,
    };
    let ranges = equal_ranges(2_000_000, 64);
    bencher.bench_local(|| {
        let mut count = 0;
        run(mode, &ranges, 2, |_, primes| {
            count += primes.len();
            Ok(())
        })
        .expect("the primes are found");
        assert_eq!(count, 148_933);
    });
}
