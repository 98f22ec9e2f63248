//! How the process `Pool` cuts and deals its work, seen from outside: which
//! inputs share a chunk (a chunk runs in one worker, and with
//! `max_tasks_per_child(1)` each worker runs one chunk, so the worker's pid
//! names the chunk), how many chunks a worker is sent at once, and that sending
//! them never holds up the caller.

use std::collections::BTreeSet;
use std::time::Duration;

use sync_kit::process::{Builder, Pool};
use tests_integration::pool_tasks::{AWAIT_FILE, PID_AFTER, REVERSE, scratch_path};
use tests_integration::watchdog::Watchdog;

const WORKER: &str = env!("CARGO_BIN_EXE_pool-worker");

/// How long a test may run before it counts as hung.
const PATIENCE: Duration = Duration::from_secs(20);

fn builder(workers: usize) -> Builder {
    Pool::builder().workers(workers).program(WORKER)
}

/// A pool of two workers, each replaced after its first chunk.
fn one_chunk_per_worker() -> Builder {
    builder(2).max_tasks_per_child(1)
}

/// The lengths of the runs of equal pids, in order: the chunk sizes. Each run's
/// pid must be new, since a worker that ran one chunk is replaced.
fn chunk_sizes(pids: &[u32]) -> Vec<usize> {
    let mut sizes: Vec<usize> = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, pid) in pids.iter().enumerate() {
        if i > 0 && pids[i - 1] == *pid {
            *sizes.last_mut().expect("a run is open") += 1;
        } else {
            assert!(seen.insert(*pid), "worker {pid} ran two chunks: {pids:?}");
            sizes.push(1);
        }
    }
    sizes
}

#[test]
fn the_builder_chunk_size_shapes_map_and_imap() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = one_chunk_per_worker()
        .chunksize(4)
        .build()
        .expect("the pool starts");
    let mapped = pool.map(&PID_AFTER, vec![0; 12]).expect("map runs");
    assert_eq!(chunk_sizes(&mapped), [4, 4, 4], "map: {mapped:?}");
    let imapped: Vec<u32> = pool
        .imap(&PID_AFTER, vec![0; 8])
        .map(|pid| pid.expect("imap runs"))
        .collect();
    assert_eq!(chunk_sizes(&imapped), [4, 4], "imap: {imapped:?}");
    pool.join();
}

#[test]
fn without_a_chunk_size_map_follows_python_and_imap_sends_one_at_a_time() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = one_chunk_per_worker().build().expect("the pool starts");
    // ⌈24 / (4 × 2 workers)⌉ = 3.
    let mapped = pool.map(&PID_AFTER, vec![0; 24]).expect("map runs");
    assert_eq!(chunk_sizes(&mapped), [3; 8], "map: {mapped:?}");
    let imapped: Vec<u32> = pool
        .imap(&PID_AFTER, vec![0; 3])
        .map(|pid| pid.expect("imap runs"))
        .collect();
    assert_eq!(chunk_sizes(&imapped), [1, 1, 1], "imap: {imapped:?}");
    pool.join();
}

#[test]
fn a_call_never_waits_for_a_busy_worker_to_read_its_input() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = builder(1).build().expect("the pool starts");
    let go = scratch_path("go");
    // The worker reads nothing until `go` exists, which is made only once the
    // second call has returned: a call that waited for the worker to take its
    // 8 MiB (far more than the socket holds) would wait for ever.
    let busy = pool.apply_async(&AWAIT_FILE, go.display().to_string());
    let big = pool.apply_async(&REVERSE, vec![1_u8; 8 << 20]);
    std::fs::write(&go, b"").expect("the go file is made");
    assert_eq!(busy.get_timeout(PATIENCE), Ok(()));
    assert_eq!(
        big.get_timeout(PATIENCE).map(|bytes| bytes.len()),
        Ok(8 << 20)
    );
    pool.join();
    let _ = std::fs::remove_file(&go);
}
