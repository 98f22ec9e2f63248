//! Fault injection on sync-kit's process `Pool`, alone in its test
//! process: it counts this process's worker children in `/proc`, which other
//! tests' pools would blur. Its tests take one lock, for the same reason.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use sync_kit::process::{BuildError, Pool, TaskError};
use tests_integration::pool_tasks::{
    ECHO_AFTER, INIT_TAG, SQUARE, assert_gone, try_kill, worker_children,
};
use tests_integration::watchdog::Watchdog;

const WORKER: &str = env!("CARGO_BIN_EXE_pool-worker");

/// How long a test may run (waiting its turn included) before it counts as hung.
const PATIENCE: Duration = Duration::from_secs(20);

/// One test at a time: each asserts this process has no worker children after.
static ALONE: Mutex<()> = Mutex::new(());

#[test]
fn a_failed_build_leaves_no_worker_behind() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let _alone = ALONE.lock().unwrap_or_else(PoisonError::into_inner);
    let failed = Pool::builder()
        .workers(3)
        .program(WORKER)
        .initializer(&INIT_TAG, String::new())
        .build();
    assert!(
        matches!(failed, Err(BuildError::Initializer { .. })),
        "{failed:?}"
    );
    assert!(
        worker_children(WORKER).is_empty(),
        "left: {:?}",
        worker_children(WORKER)
    );
}

/// Fault injection: kill workers at random during a long
/// `imap_unordered`; every task must complete exactly once or fail with
/// `WorkerDied`, the pool must serve new work after, and nothing may be left.
#[test]
fn killing_workers_during_a_long_imap_unordered_loses_nothing_silently() {
    let _watchdog = Watchdog::arm(PATIENCE);
    const TASKS: u64 = 10_000;
    let _alone = ALONE.lock().unwrap_or_else(PoisonError::into_inner);
    const IN_FLIGHT: usize = 4;
    let pool = Pool::builder()
        .workers(4)
        .in_flight(IN_FLIGHT)
        .program(WORKER)
        .build();
    let pool = Arc::new(pool.expect("the pool starts"));
    let killed = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let killer = {
        let (pool, killed, stop) = (Arc::clone(&pool), Arc::clone(&killed), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut seed = u64::from(std::process::id());
            while !stop.load(Ordering::SeqCst) && killed.lock().unwrap().len() < 12 {
                // xorshift: a different worker and pause each time, no dependency.
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                std::thread::sleep(Duration::from_millis(2 + seed % 15));
                let pids = pool.pids();
                if let Some(&pid) = pids.get((seed >> 8) as usize % pids.len().max(1))
                    // A worker killed a moment ago may be gone before it is replaced.
                    && try_kill(pid)
                {
                    killed.lock().unwrap().push(pid);
                }
            }
        })
    };
    let inputs = (0..TASKS).map(|n| (n, 20));
    let mut completed = BTreeSet::new();
    let mut died = 0;
    let mut results = pool.imap_unordered(&ECHO_AFTER, inputs);
    // A lost answer fails the test instead of hanging it (the pool is then
    // terminated, since joining it would wait for that answer for ever). The wait
    // ends well before the watchdog's, so the loss is reported as such.
    let mut lost = false;
    loop {
        let (index, result) = match results.next_timeout(PATIENCE / 2) {
            Ok(Some(next)) => next,
            Ok(None) => break,
            Err(_) => {
                lost = true;
                break;
            }
        };
        match result {
            Ok(value) => {
                assert_eq!(value, index as u64, "each value belongs to its own input");
                assert!(completed.insert(value), "task {value} completed twice");
            }
            Err(TaskError::WorkerDied {
                signal: Some(9), ..
            }) => died += 1,
            Err(other) => panic!("task {index} failed unexpectedly: {other}"),
        }
    }
    stop.store(true, Ordering::SeqCst);
    killer.join().expect("the killer thread ends");
    if lost {
        drop(results);
        Arc::try_unwrap(pool)
            .expect("the killer let go")
            .terminate();
        panic!("an answer never came: a task was lost without an error");
    }
    let killed = killed.lock().unwrap().clone();
    eprintln!(
        "{} completed, {died} died, {} kills",
        completed.len(),
        killed.len()
    );
    assert_eq!(completed.len() + died, TASKS as usize);
    assert!(!killed.is_empty(), "the test killed no worker");
    assert!(
        died <= killed.len() * 4,
        "{died} failures from {} kills",
        killed.len()
    );
    assert_eq!(pool.map(&SQUARE, 1..=5), Ok(vec![1, 4, 9, 16, 25]));
    let pool = Arc::try_unwrap(pool).expect("the killer let go of the pool");
    let last = pool.pids();
    pool.join();
    assert_gone(&killed);
    assert_gone(&last);
    let left = worker_children(WORKER);
    assert!(left.is_empty(), "workers left: {left:?}");
}
