//! How long after a failure the code that cares hears of it, timed under divan
//! and run by `cargo xtask bench ex06` beside Python doing the same
//! (python_failures.py): a task's panic reaching the caller through a thread
//! pool's handle; a process pool's worker killed with SIGKILL in the middle of a
//! task, until the caller holds the task's error; and a supervisor's restart of a
//! worker process that crashed.
//!
//! The pool's workers and the supervised workers are the exercise's own binary
//! (its pool tasks, its `work` role), which cargo builds for this bench.

use std::cell::RefCell;
use std::time::Duration;

use divan::Bencher;
use sync_kit::ThreadPool;
use sync_kit::process::children::Children;
use sync_kit::process::{Pool, Task, TaskError};

fn main() {
    // The panics below are expected: keep them off the report.
    std::panic::set_hook(Box::new(|_| {}));
    divan::main();
}

const PROGRAM: &str = env!("CARGO_BIN_EXE_ex06-concurrent-errors");

/// The exercise's `sleep_ms` task, by name: the binary lists it in its `init`.
static SLEEP_MS: Task<u64, ()> = Task::new("sleep_ms", |_| {});

/// A task that panics, from its submission until `result` returns the panic.
#[divan::bench(sample_count = 200)]
fn thread_pool_panic_reaches_caller(bencher: Bencher<'_, '_>) {
    let pool = ThreadPool::new(1).expect("a pool");
    bencher.bench_local(|| {
        let handle = pool.submit(|| -> u64 { panic!("boom") });
        assert!(handle.result().is_err());
    });
}

/// A worker killed with SIGKILL while it runs a task: from the kill until the
/// caller holds the task's `WorkerDied` error. (Setting up each sample starts the
/// task and lets it run 20 ms, untimed.)
#[divan::bench(sample_count = 30)]
fn process_pool_worker_death_reaches_caller(bencher: Bencher<'_, '_>) {
    let pool = Pool::builder()
        .workers(1)
        .program(PROGRAM)
        .build()
        .expect("a pool of the exercise's binary");
    bencher
        .with_inputs(|| {
            // The previous sample's replacement must be up before this one's task.
            let pid = loop {
                if let Some(&pid) = pool.pids().first() {
                    break pid;
                }
                std::thread::sleep(Duration::from_millis(1));
            };
            let running = pool.apply_async(&SLEEP_MS, 60_000);
            std::thread::sleep(Duration::from_millis(20));
            (pid, running)
        })
        .bench_local_values(|(pid, running)| {
            let pid = rustix::process::Pid::from_raw(pid as i32).expect("a pid");
            rustix::process::kill_process(pid, rustix::process::Signal::KILL).expect("killed");
            assert!(matches!(running.get(), Err(TaskError::WorkerDied { .. })));
        });
}

/// A supervised worker that crashed (exit code 3): from the supervisor's wait
/// that finds it until its replacement is started. (Each sample's setup lets the
/// worker started by the last one crash, untimed; a live supervisor looks every
/// millisecond, which adds up to 1 ms to what is timed here.)
#[divan::bench(sample_count = 100)]
fn supervisor_restarts_a_crashed_worker(bencher: Bencher<'_, '_>) {
    // `work 2 1`: a worker that crashes as it starts.
    let crasher: [u64; 2] = [2, 1];
    let children = RefCell::new(Children::new("EX06_CHILD").program(PROGRAM));
    children
        .borrow_mut()
        .start("work", &crasher, |_| Ok(()))
        .expect("a worker starts");
    bencher
        .with_inputs(|| std::thread::sleep(Duration::from_millis(20)))
        .bench_local_values(|()| {
            let mut children = children.borrow_mut();
            let (_, status) = children
                .wait_any(Duration::from_secs(10))
                .expect("waited")
                .expect("the worker crashed");
            assert_eq!(status.code(), Some(3));
            children
                .start("work", &crasher, |_| Ok(()))
                .expect("a worker restarts");
        });
}
