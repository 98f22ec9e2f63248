//! loom models of `Barrier`: nobody leaves a round before everybody arrived, each
//! gets its own index, and the barrier works round after round; a leader chosen
//! outside the arrival's critical section can be chosen twice.
#![cfg(loom)]

mod common;

use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::{Arc, Condvar, Mutex};
use loom::thread;
use sync_kit::Barrier;

#[test]
fn two_rounds_nobody_leaves_early() {
    common::model(|| {
        let barrier = Arc::new(Barrier::new(2));
        let arrivals = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let (barrier, arrivals) = (Arc::clone(&barrier), Arc::clone(&arrivals));
                thread::spawn(move || {
                    let mut indices = Vec::new();
                    for round in 1..=2 {
                        arrivals.fetch_add(1, Ordering::SeqCst);
                        indices.push(barrier.wait().expect("the barrier is not broken"));
                        assert!(
                            arrivals.load(Ordering::SeqCst) >= 2 * round,
                            "a thread left round {round} before everyone arrived"
                        );
                    }
                    indices
                })
            })
            .collect();
        let indices: Vec<Vec<usize>> = threads
            .into_iter()
            .map(|t| t.join().expect("thread panicked"))
            .collect();
        for round in 0..2 {
            let mut this_round = [indices[0][round], indices[1][round]];
            this_round.sort_unstable();
            assert_eq!(this_round, [0, 1], "arrival indices repeat within a round");
        }
        assert_eq!(barrier.n_waiting(), 0);
    });
}

#[test]
fn abort_releases_a_waiter_with_an_error() {
    common::model(|| {
        let barrier = Arc::new(Barrier::new(2));
        let waiter = {
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || barrier.wait())
        };
        barrier.abort();
        assert!(waiter.join().expect("waiter panicked").is_err());
        assert!(barrier.is_broken());
    });
}

/// A barrier whose threads count their arrival in one critical section and then, in
/// another, check whether they were the last.
struct SplitArrivalBarrier {
    arrived: Mutex<usize>,
    all_here: Condvar,
}

#[test]
#[should_panic(expected = "split arrival: 2 threads were told they arrived last")]
fn split_arrival_check_is_caught() {
    common::model(|| {
        let barrier = Arc::new(SplitArrivalBarrier {
            arrived: Mutex::new(0),
            all_here: Condvar::new(),
        });
        let leaders = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let (barrier, leaders) = (Arc::clone(&barrier), Arc::clone(&leaders));
                thread::spawn(move || {
                    *barrier.arrived.lock().expect("not poisoned") += 1;
                    let mut arrived = barrier.arrived.lock().expect("not poisoned");
                    if *arrived == 2 {
                        leaders.fetch_add(1, Ordering::SeqCst);
                        barrier.all_here.notify_all();
                    } else {
                        while *arrived < 2 {
                            arrived = barrier.all_here.wait(arrived).expect("not poisoned");
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread panicked");
        }
        let leaders = leaders.load(Ordering::SeqCst);
        assert_eq!(
            leaders, 1,
            "split arrival: {leaders} threads were told they arrived last"
        );
    });
}
