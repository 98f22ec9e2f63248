//! When the process `Pool` starts a worker and when it does not: a worker that
//! dies is replaced only while there is work it could run. Each worker's
//! initializer writes its pid to a file, which counts the workers started.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sync_kit::process::{Pool, TaskError};
use tests::pool_tasks::{DIE, ECHO_AFTER, HANG_UP_THEN_EXIT, INIT_COUNT};
use tests::watchdog::Watchdog;

const WORKER: &str = env!("CARGO_BIN_EXE_pool-worker");

/// How long a test may run before it counts as hung.
const PATIENCE: Duration = Duration::from_secs(30);

/// A file in the temporary directory for this test's count, emptied.
fn count_file(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// How many workers wrote to `path`.
fn started(path: &Path) -> usize {
    std::fs::read_to_string(path).map_or(0, |text| text.lines().count())
}

#[test]
fn a_worker_that_dies_while_the_pool_drains_is_not_replaced_when_no_work_waits() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let log = count_file("drain-starts");
    let pool = Pool::builder()
        .workers(1)
        .in_flight(1)
        .program(WORKER)
        .initializer(&INIT_COUNT, log.display().to_string())
        .build()
        .expect("the pool starts");
    let first = pool.apply_async(&ECHO_AFTER, (1, 100_000));
    // Queued behind the first: it is sent, and kills the worker, while `join`
    // drains the pool, with nothing queued after it.
    let dying = pool.apply_async(&DIE, Some(3));
    pool.join();
    assert_eq!(first.get_timeout(Duration::ZERO), Ok(1));
    assert!(
        matches!(
            dying.get_timeout(Duration::ZERO),
            Err(TaskError::WorkerDied { code: Some(3), .. })
        ),
        "the task that exited fails"
    );
    assert_eq!(
        started(&log),
        1,
        "a replacement started with no work for it"
    );
    let _ = std::fs::remove_file(&log);
}

#[test]
fn a_pool_shows_its_size_and_its_live_workers() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = Pool::builder()
        .workers(2)
        .program(WORKER)
        .build()
        .expect("the pool starts");
    let pids = pool.pids();
    assert_eq!(pids.len(), 2);
    assert_eq!(
        format!("{pool:?}"),
        format!("Pool {{ workers: 2, pids: {pids:?} }}")
    );
    pool.join();
}

#[test]
fn a_worker_that_hangs_up_is_given_a_moment_to_exit_then_killed() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = Pool::builder()
        .workers(1)
        .program(WORKER)
        .build()
        .expect("the pool starts");
    // Exiting 10 ms after hanging up: its own exit code is reported.
    assert_eq!(
        pool.apply(&HANG_UP_THEN_EXIT, (10, 4)).map_err(died_how),
        Err((Some(4), None))
    );
    // Lingering for 10 s: killed well before (after the pool's grace of half a
    // second), and reported so.
    let started = std::time::Instant::now();
    assert_eq!(
        pool.apply(&HANG_UP_THEN_EXIT, (10_000, 4))
            .map_err(died_how),
        Err((None, Some(9)))
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the pool waited {:?} for a worker that hung up",
        started.elapsed()
    );
    pool.join();
}

/// A dead worker's exit code and signal, or a panic for any other error.
fn died_how(error: TaskError) -> (Option<i32>, Option<i32>) {
    match error {
        TaskError::WorkerDied { code, signal, .. } => (code, signal),
        other => panic!("expected the worker to die: {other:?}"),
    }
}
