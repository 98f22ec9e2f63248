//! Benchmarks of sync-kit's process `Pool`, run by
//! `cargo xtask bench ex08`.
//!
//! This bench binary is its own pool worker: `main` calls `process::init` before
//! divan runs, so the pools below re-execute this very file's executable.
//! `benches/python_pool.py` times `multiprocessing.Pool` (fork and spawn) on the
//! same rows; `cargo xtask bench` runs both, one after the other.

use std::time::{Duration, Instant};

use divan::Bencher;
use sync_kit::process::{self, Pool, Task};

static SQUARE: Task<u64, u64> = Task::new("square", |n| n * n);
static SLEEP_MS: Task<u64, ()> = Task::new("sleep_ms", |ms| {
    std::thread::sleep(Duration::from_millis(ms));
});

fn main() {
    process::init(&[&SQUARE, &SLEEP_MS]);
    divan::main();
}

fn pool(workers: usize) -> Pool {
    Pool::new(workers).expect("the workers start")
}

/// A whole pool's life: start, `map(square, 1..=10)`, close and join (Python:
/// `with Pool(n) as p: p.map(square, range(1, 11))`).
#[divan::bench(args = [2, 4, 8], sample_count = 30)]
fn lifecycle_start_map_join(bencher: Bencher<'_, '_>, workers: usize) {
    bencher.bench_local(|| {
        let pool = pool(workers);
        let squares = pool.map(&SQUARE, 1..=10).expect("squares");
        pool.join();
        squares
    });
}

/// `map(square, 1..=10)` on a ready pool of 2.
#[divan::bench]
fn warm_map_square_1_to_10(bencher: Bencher<'_, '_>) {
    let pool = pool(2);
    bencher.bench_local(|| pool.map(&SQUARE, 1..=10).expect("squares"));
}

/// 1000 tiny tasks, one per message (chunksize 1), on a ready pool of 2; divan
/// shows the time per task as the inverse of its throughput.
#[divan::bench(counter = divan::counter::ItemsCount::new(1000usize))]
fn tiny_tasks_chunksize_1(bencher: Bencher<'_, '_>) {
    let pool = pool(2);
    bencher.bench_local(|| pool.map_chunked(&SQUARE, 0..1000, 1).expect("squares"));
}

/// One `apply` round trip on a ready pool of 2.
#[divan::bench]
fn apply_round_trip(bencher: Bencher<'_, '_>) {
    let pool = pool(2);
    bencher.bench_local(|| pool.apply(&SQUARE, 7).expect("a square"));
}

/// From SIGKILL of a busy worker to its task's `WorkerDied` error in the caller
/// (Python's `map` never returns). Each sample kills one worker; the pool replaces
/// it before the next.
#[divan::bench(sample_count = 30, sample_size = 1)]
fn sigkill_to_failed_task(bencher: Bencher<'_, '_>) {
    let pool = Pool::builder()
        .workers(1)
        .build()
        .expect("the worker starts");
    bencher
        .with_inputs(|| {
            // Wait for the replacement of the last victim, then give it a long task.
            let deadline = Instant::now() + Duration::from_secs(5);
            let pid = loop {
                if let Some(&pid) = pool.pids().first() {
                    break pid;
                }
                assert!(Instant::now() < deadline, "no worker came back");
                std::thread::sleep(Duration::from_micros(200));
            };
            let task = pool.apply_async(&SLEEP_MS, 10_000);
            std::thread::sleep(Duration::from_millis(2));
            (pid, task)
        })
        .bench_local_values(|(pid, task)| {
            let pid = rustix::process::Pid::from_raw(pid as i32).expect("a pid");
            rustix::process::kill_process(pid, rustix::process::Signal::KILL).expect("kill");
            assert!(task.get().is_err());
        });
    pool.terminate();
}
