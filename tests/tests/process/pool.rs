//! sync-kit's process `Pool`, driven for real: worker processes of the
//! `pool-worker` binary, killed, aborted and exited on purpose, and checked in
//! `/proc` afterwards for anything left behind.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sync_kit::process::{BuildError, Builder, Pool, TaskError};
use tests_integration::pool_tasks::{
    DIE, DIVIDE, ECHO_AFTER, INIT_ONCE, INIT_TAG, NESTED_SQUARES, PANIC, PID_AFTER, REVERSE,
    RUN_SELF, SQUARE, TAG_OF_WORKER, UNLISTED, assert_gone, kill, scratch_path,
};
use tests_integration::watchdog::Watchdog;

const WORKER: &str = env!("CARGO_BIN_EXE_pool-worker");

/// How long a test waits for a result, and a test runs, before it fails instead
/// of hanging.
const PATIENCE: Duration = Duration::from_secs(20);

fn builder(workers: usize) -> Builder {
    Pool::builder().workers(workers).program(WORKER)
}

fn pool(workers: usize) -> Pool {
    builder(workers).build().expect("the pool starts")
}

#[test]
fn map_and_its_variants_give_the_values_in_the_promised_order() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = pool(2);
    let squares: Vec<u64> = (1..=10).map(|n| n * n).collect();
    assert_eq!(pool.map(&SQUARE, 1..=10), Ok(squares.clone()));
    for chunksize in [1, 3, 10, 50] {
        assert_eq!(
            pool.map_chunked(&SQUARE, 1..=10, chunksize),
            Ok(squares.clone())
        );
    }
    assert_eq!(pool.map(&SQUARE, []), Ok(vec![]));
    assert_eq!(pool.starmap(&DIVIDE, [(9, 3), (8, -2)]), Ok(vec![3, -4]));
    let in_order: Vec<u64> = pool.imap(&SQUARE, 1..=10).map(Result::unwrap).collect();
    assert_eq!(in_order, squares);

    pool.join();

    // One chunk in flight per worker: the first input sleeps while the other
    // worker answers the rest, so it arrives last though it is listed first.
    let pool = builder(2).in_flight(1).build().expect("the pool starts");
    let inputs = [(0, 100_000), (1, 0), (2, 0), (3, 0)];
    let arrived: Vec<u64> = pool
        .imap_unordered(&ECHO_AFTER, inputs)
        .map(Result::unwrap)
        .collect();
    assert_eq!(arrived.len(), 4);
    assert_eq!(
        arrived.last(),
        Some(&0),
        "arrival order, not input order: {arrived:?}"
    );
    let in_input_order: Vec<u64> = pool.imap(&ECHO_AFTER, inputs).map(Result::unwrap).collect();
    assert_eq!(in_input_order, [0, 1, 2, 3]);
    pool.join();
}

#[test]
fn apply_and_apply_async_report_values_errors_and_readiness() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = pool(2);
    assert_eq!(pool.apply(&SQUARE, 12), Ok(144));
    assert_eq!(
        pool.apply(&DIVIDE, (1, 0)),
        Err(TaskError::Failed("cannot divide 1 by 0".into()))
    );
    let slow = pool.apply_async(&ECHO_AFTER, (7, 300_000));
    assert!(!slow.ready());
    assert_eq!(slow.successful(), None);
    assert_eq!(
        slow.get_timeout(Duration::from_millis(1)),
        Err(TaskError::TimedOut)
    );
    assert!(!slow.wait_timeout(Duration::from_millis(1)));
    assert_eq!(slow.get_timeout(PATIENCE), Ok(7));
    assert!(slow.ready());
    assert_eq!(slow.successful(), Some(true));
    assert_eq!(
        slow.get_timeout(PATIENCE),
        Ok(7),
        "a result can be read again"
    );

    let values = Arc::new(Mutex::new(Vec::new()));
    let errors = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = [(8, 2), (1, 0)]
        .into_iter()
        .map(|input| {
            let (values, errors) = (Arc::clone(&values), Arc::clone(&errors));
            pool.apply_async_with(
                &DIVIDE,
                input,
                move |value| values.lock().unwrap().push(*value),
                move |error| errors.lock().unwrap().push(error.clone()),
            )
        })
        .collect();
    for handle in &handles {
        handle.wait();
    }
    // Callbacks run before the handle says ready.
    assert_eq!(*values.lock().unwrap(), [4]);
    assert_eq!(
        *errors.lock().unwrap(),
        [TaskError::Failed("cannot divide 1 by 0".into())]
    );
    assert_eq!(handles[1].successful(), Some(false));
}

#[test]
fn a_panic_or_an_error_fails_its_task_and_the_worker_lives_on() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = pool(1);
    let before = pool.pids();
    assert_eq!(
        pool.apply(&PANIC, "no luck".into()),
        Err(TaskError::Panicked("no luck".into()))
    );
    assert_eq!(
        pool.map(&DIVIDE, [(4, 2), (1, 0), (3, 0)]),
        Err(TaskError::Failed("cannot divide 1 by 0".into())),
        "map gives the first failure in input order"
    );
    assert!(
        matches!(pool.apply(&UNLISTED, ()), Err(TaskError::UnknownTask(name)) if name == "unlisted")
    );
    assert_eq!(pool.apply(&SQUARE, 3), Ok(9));
    assert_eq!(pool.pids(), before, "the same worker served throughout");
}

#[test]
fn a_worker_that_dies_fails_only_its_tasks_and_is_replaced() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = builder(2).in_flight(1).build().expect("the pool starts");
    let first = pool.pids();
    // An abort, an exit and a SIGKILL, each in a worker of its own.
    assert!(matches!(
        pool.apply(&DIE, None),
        Err(TaskError::WorkerDied {
            signal: Some(6),
            code: None,
            ..
        })
    ));
    assert!(matches!(
        pool.apply(&DIE, Some(3)),
        Err(TaskError::WorkerDied {
            signal: None,
            code: Some(3),
            ..
        })
    ));
    let busy = pool.apply_async(&PID_AFTER, 60_000);
    let victim = loop {
        // Find which worker took it: the one whose task is still running.
        std::thread::sleep(Duration::from_millis(20));
        let pids = pool.pids();
        if pids.len() == 2 {
            break pids;
        }
    };
    let started = Instant::now();
    for pid in &victim {
        if !busy.ready() {
            kill(*pid);
        }
        if busy.wait_timeout(Duration::from_millis(500)) {
            break;
        }
    }
    assert!(matches!(
        busy.get_timeout(PATIENCE),
        Err(TaskError::WorkerDied {
            signal: Some(9),
            ..
        })
    ));
    assert!(started.elapsed() < Duration::from_secs(5));
    // Replacements serve new work, and no dead worker is left as a zombie.
    assert_eq!(pool.map(&SQUARE, 1..=4), Ok(vec![1, 4, 9, 16]));
    assert_eq!(pool.workers(), 2);
    assert_gone(&first);
}

#[test]
fn an_initializer_runs_first_in_every_worker_and_its_failure_fails_the_build() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = builder(2)
        .initializer(&INIT_TAG, "ready".into())
        .build()
        .expect("the initializer succeeds");
    let tags = pool.map_chunked(&TAG_OF_WORKER, vec![(); 8], 1);
    assert_eq!(tags, Ok(vec!["ready".to_owned(); 8]));
    drop(pool);

    let failed = builder(2).initializer(&INIT_TAG, String::new()).build();
    match failed {
        Err(BuildError::Initializer { error, .. }) => {
            assert_eq!(error, TaskError::Failed("an empty tag".into()));
        }
        other => panic!("expected an initializer error, got {other:?}"),
    }
    // That no worker is left behind is checked in pool_faults.rs, alone in its
    // test process so that other tests' workers do not blur the count.
}

#[test]
fn a_program_a_task_starts_is_not_a_worker() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = pool(1);
    assert_eq!(pool.apply(&RUN_SELF, ()), Ok(Some(2)));
}

#[test]
fn a_program_that_is_not_a_worker_fails_the_build_quickly() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let started = Instant::now();
    let result = Pool::builder().workers(1).program("/bin/true").build();
    assert!(
        matches!(result, Err(BuildError::NotAWorker { ref what, .. }) if what == "exited"),
        "{result:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    let missing = Pool::builder().program("/nonexistent/worker").build();
    assert!(
        matches!(missing, Err(BuildError::Spawn { .. })),
        "{missing:?}"
    );
}

#[test]
fn max_tasks_per_child_replaces_workers_without_losing_work() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = builder(2)
        .max_tasks_per_child(3)
        .build()
        .expect("the pool starts");
    let pids = pool
        .map_chunked(&PID_AFTER, vec![0; 30], 1)
        .expect("no task is lost");
    let distinct: BTreeSet<u32> = pids.iter().copied().collect();
    assert!(
        distinct.len() >= 10,
        "30 chunks, 3 per worker: {distinct:?}"
    );
    for pid in &distinct {
        assert!(
            pids.iter().filter(|&p| p == pid).count() <= 3,
            "{pid} ran more than 3"
        );
    }
    drop(pool);
    assert_gone(&distinct.into_iter().collect::<Vec<_>>());
}

#[test]
fn close_refuses_new_work_join_drains_and_terminate_fails_the_rest() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = pool(2);
    let done = Arc::new(AtomicUsize::new(0));
    for n in 0..20 {
        let done = Arc::clone(&done);
        let _ = pool.apply_async_with(
            &ECHO_AFTER,
            (n, 2_000),
            move |_| {
                done.fetch_add(1, Ordering::SeqCst);
            },
            |_| {},
        );
    }
    pool.close();
    assert!(matches!(
        pool.apply(&SQUARE, 2),
        Err(TaskError::NotRunning(_))
    ));
    let pids = pool.pids();
    pool.join();
    assert_eq!(
        done.load(Ordering::SeqCst),
        20,
        "join runs what was submitted"
    );
    assert_gone(&pids);

    let pool = builder(1).in_flight(1).build().expect("the pool starts");
    let running = pool.apply_async(&ECHO_AFTER, (1, 10_000_000));
    let queued = pool.apply_async(&SQUARE, 5);
    std::thread::sleep(Duration::from_millis(50));
    let pids = pool.pids();
    let started = Instant::now();
    pool.terminate();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "terminate does not wait for tasks"
    );
    assert_eq!(running.get_timeout(PATIENCE), Err(TaskError::Terminated));
    assert_eq!(queued.get_timeout(PATIENCE), Err(TaskError::Terminated));
    assert_gone(&pids);
}

#[test]
fn frames_larger_than_a_socket_buffer_cross_both_ways() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = pool(1);
    // 8 MiB each way: many times what a socket buffer holds, so both the pool's
    // sends and the worker's are written in parts.
    let bytes: Vec<u8> = (0..8 << 20).map(|i: usize| (i % 253) as u8).collect();
    let reversed = pool
        .apply(&REVERSE, bytes.clone())
        .expect("the worker answers");
    assert_eq!(reversed.len(), bytes.len());
    assert!(
        reversed.iter().eq(bytes.iter().rev()),
        "the bytes came back intact"
    );
}

#[test]
fn a_closed_pool_still_runs_the_work_queued_behind_a_dead_worker() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = builder(1).in_flight(1).build().expect("the pool starts");
    let dying = pool.apply_async(&DIE, None);
    let queued = pool.apply_async(&SQUARE, 7);
    pool.close();
    let pids = pool.pids();
    pool.join();
    assert!(
        matches!(
            dying.get_timeout(PATIENCE),
            Err(TaskError::WorkerDied {
                signal: Some(6),
                ..
            })
        ),
        "the task in the dead worker fails"
    );
    assert_eq!(
        queued.get_timeout(PATIENCE),
        Ok(49),
        "the work queued behind it runs in the worker that replaces it"
    );
    assert_gone(&pids);
}

#[test]
fn work_fails_instead_of_waiting_when_no_replacement_worker_can_start() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let marker = scratch_path("init-once");
    let pool = builder(1)
        .in_flight(1)
        .initializer(&INIT_ONCE, marker.display().to_string())
        .build()
        .expect("the first worker initialises");
    let pids = pool.pids();
    let died = pool.apply(&DIE, None);
    assert!(
        matches!(died, Err(TaskError::WorkerDied { .. })),
        "{died:?}"
    );
    // The replacement's initializer fails: this work has no worker to run on, and
    // fails at once, saying why, instead of waiting for one.
    let after = pool.apply(&SQUARE, 3);
    assert!(
        matches!(&after, Err(TaskError::NotRunning(why))
            if why.starts_with("no worker could be started") && why.contains("shows an earlier worker was initialised")),
        "{after:?}"
    );
    // Nothing is left counted as unfinished: the pool joins.
    pool.join();
    assert_gone(&pids);
    let _ = std::fs::remove_file(&marker);
}

#[test]
fn dropping_a_pool_finishes_its_work_and_reaps_its_workers() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let done = Arc::new(AtomicUsize::new(0));
    let pids;
    {
        let pool = pool(2);
        pids = pool.pids();
        for n in 0..10 {
            let done = Arc::clone(&done);
            let _ = pool.apply_async_with(
                &ECHO_AFTER,
                (n, 1_000),
                move |_| {
                    done.fetch_add(1, Ordering::SeqCst);
                },
                |_| {},
            );
        }
    }
    assert_eq!(done.load(Ordering::SeqCst), 10);
    assert_gone(&pids);
}

#[test]
fn workers_die_with_their_parent() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let mut parent = Command::new(WORKER)
        .args(["parent", "3"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("pool-worker starts");
    let mut line = String::new();
    BufReader::new(parent.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("it prints its workers");
    let pids: Vec<u32> = line
        .split_whitespace()
        .map(|p| p.parse().expect("a pid"))
        .collect();
    assert_eq!(pids.len(), 3, "{line:?}");
    parent.kill().expect("SIGKILL the parent");
    parent.wait().expect("reap the parent");
    // Orphaned workers are reparented and reaped by init once they exit.
    assert_gone(&pids);
}

/// An input whose serialisation always fails.
#[derive(Debug)]
struct Unencodable;

impl serde::Serialize for Unencodable {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom(
            "this input refuses to be encoded",
        ))
    }
}

static REFUSED: sync_kit::process::Task<Unencodable, ()> =
    sync_kit::process::Task::new("refused", |_| ());

#[test]
fn an_input_that_does_not_encode_fails_the_whole_call_and_nothing_is_sent() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = pool(1);
    for result in [
        pool.map(&REFUSED, [Unencodable, Unencodable]).map(|_| ()),
        pool.apply(&REFUSED, Unencodable),
    ] {
        assert!(
            matches!(&result, Err(TaskError::Codec(message)) if message.starts_with("an input did not encode")),
            "{result:?}"
        );
    }
    assert_eq!(pool.apply(&SQUARE, 4), Ok(16), "the pool is unharmed");
}

#[test]
fn an_initializer_argument_that_does_not_encode_fails_the_build() {
    let _watchdog = Watchdog::arm(PATIENCE);
    static REFUSED_INIT: sync_kit::process::Task<Unencodable, ()> =
        sync_kit::process::Task::new("refused_init", |_| ());
    let built = builder(1).initializer(&REFUSED_INIT, Unencodable).build();
    let error = built.expect_err("the build fails");
    assert!(
        error.to_string().starts_with(
            "the argument of the initializer `refused_init` cannot be sent to a worker"
        ),
        "{error}"
    );
}

#[test]
fn a_task_can_build_a_pool_of_its_own() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = pool(1);
    assert_eq!(pool.apply(&NESTED_SQUARES, 4), Ok(vec![1, 4, 9, 16]));
}

#[test]
fn timed_apply_and_map_give_the_values_in_time_or_timed_out() {
    let _watchdog = Watchdog::arm(PATIENCE);
    let pool = pool(2);
    assert_eq!(pool.apply_timeout(&SQUARE, 7, PATIENCE), Ok(49));
    assert_eq!(
        pool.map_timeout(&SQUARE, 1..=4, PATIENCE),
        Ok(vec![1, 4, 9, 16])
    );
    // Two seconds of sleep against a deadline of a twentieth of one.
    let slow = Duration::from_millis(50);
    assert_eq!(
        pool.apply_timeout(&ECHO_AFTER, (1, 2_000_000), slow),
        Err(TaskError::TimedOut)
    );
    assert_eq!(
        pool.map_timeout(&ECHO_AFTER, [(1, 0), (2, 2_000_000)], slow),
        Err(TaskError::TimedOut)
    );
    // The pool goes on: the slow tasks finish in the background.
    assert_eq!(pool.apply_timeout(&SQUARE, 3, PATIENCE), Ok(9));
}
