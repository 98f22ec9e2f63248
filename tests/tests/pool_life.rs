//! A worker's life in the process `Pool`: when one is started or replaced (an
//! initializer that writes each worker's pid to a file counts them), how its end
//! is reported (its own exit, SIGKILL after a grace, a program that is no
//! worker), and what it inherits from the pool.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sync_kit::process::{BuildError, Builder, Pool, TaskError};
use tests_integration::pool_tasks::{
    DIE, ECHO_AFTER, HANG_UP_THEN_EXIT, INIT_COUNT, OPEN_FILES, assert_gone, scratch_path,
};
use tests_integration::watchdog::Watchdog;

const WORKER: &str = env!("CARGO_BIN_EXE_pool-worker");

/// How long a test may run before it counts as hung.
const PATIENCE: Duration = Duration::from_secs(20);

fn builder(workers: usize) -> Builder {
    Pool::builder().workers(workers).program(WORKER)
}

/// The pids of the workers that wrote to `path`.
fn started(path: &Path) -> Vec<u32> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(|line| line.parse().expect("a pid per line"))
        .collect()
}

#[test]
fn a_worker_that_dies_while_the_pool_drains_is_not_replaced_when_no_work_waits() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let log = scratch_path("drain-starts");
    let pool = builder(1)
        .in_flight(1)
        .initializer(&INIT_COUNT, (log.display().to_string(), 0))
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
        started(&log).len(),
        1,
        "a replacement started with no work for it"
    );
    let _ = std::fs::remove_file(&log);
}

#[test]
fn a_pool_shows_its_size_and_its_live_workers() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = builder(2).build().expect("the pool starts");
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
    let pool = builder(1).build().expect("the pool starts");
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

#[test]
fn a_worker_started_as_the_pool_stops_is_let_go_and_reaped() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let log = scratch_path("stop-starts");
    let pool = builder(1)
        .initializer(&INIT_COUNT, (log.display().to_string(), 300))
        .build()
        .expect("the pool starts");
    assert!(matches!(
        pool.apply(&DIE, None),
        Err(TaskError::WorkerDied { .. })
    ));
    // The replacement takes 300 ms to be ready: the pool is terminated first, and
    // must not leave it running or unreaped.
    pool.terminate();
    let pids = started(&log);
    assert_eq!(
        pids.len(),
        2,
        "the first worker and its replacement: {pids:?}"
    );
    assert_gone(&pids);
    let _ = std::fs::remove_file(&log);
}

#[test]
fn a_worker_holds_nothing_of_the_pool_but_its_channel() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = builder(2).build().expect("the pool starts");
    for _ in 0..2 {
        let files = pool.apply(&OPEN_FILES, ()).expect("the worker answers");
        // The worker reads and writes its channel through two descriptors of it.
        let sockets: BTreeSet<&String> =
            files.iter().filter(|f| f.starts_with("socket:")).collect();
        assert_eq!(
            sockets.len(),
            1,
            "one channel, no other worker's: {files:?}"
        );
        assert!(
            !files.iter().any(|f| f.contains("eventfd")),
            "the pool's wake-up descriptors stay in the pool: {files:?}"
        );
    }
    pool.join();
}

#[test]
fn a_program_that_breaks_the_protocol_or_stays_silent_is_not_a_worker() {
    let _watchdog = Watchdog::arm(PATIENCE);
    // Writes a frame header of 1.9 GB, past the frame limit, then sleeps.
    let talker = script("talker", "printf nonsense >&0\nexec sleep 30");
    let result = Pool::builder().workers(1).program(&talker).build();
    assert!(
        matches!(result, Err(BuildError::NotAWorker { ref what, .. }) if what.starts_with("broke the protocol")),
        "{result:?}"
    );
    let silent = script("silent", "exec sleep 30");
    let result = Pool::builder().workers(1).program(&silent).build();
    assert!(
        matches!(result, Err(BuildError::NotAWorker { ref what, .. }) if what == "was silent for 10 s"),
        "{result:?}"
    );
    let _ = std::fs::remove_file(talker);
    let _ = std::fs::remove_file(silent);
}

/// An executable shell script in the temporary directory.
fn script(name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = scratch_path(&format!("{name}.sh"));
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("the script is written");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
        .expect("the script is made executable");
    path
}
