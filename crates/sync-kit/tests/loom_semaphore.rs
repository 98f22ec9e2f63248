//! loom models of `Semaphore` and `BoundedSemaphore`: never more holders than
//! permits, a release wakes a waiter, a bounded one refuses an extra release; a
//! check split from the decrement lets too many in.
#![cfg(loom)]

mod common;

use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::{Arc, Mutex};
use loom::thread;
use sync_kit::{BoundedSemaphore, Semaphore};

/// Three threads each enter once through `enter`/`leave` guarding a room of
/// `permits`; the most threads ever inside together is returned.
fn crowd<S: Send + Sync + 'static>(semaphore: S, enter_and_leave: fn(&S, &dyn Fn())) -> usize {
    let semaphore = Arc::new(semaphore);
    let inside = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..3)
        .map(|_| {
            let (semaphore, inside, most) = (
                Arc::clone(&semaphore),
                Arc::clone(&inside),
                Arc::clone(&most),
            );
            thread::spawn(move || {
                enter_and_leave(&semaphore, &|| {
                    let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(now, Ordering::SeqCst);
                    thread::yield_now();
                    inside.fetch_sub(1, Ordering::SeqCst);
                });
            })
        })
        .collect();
    for t in threads {
        t.join().expect("thread panicked");
    }
    most.load(Ordering::SeqCst)
}

#[test]
fn never_more_holders_than_permits() {
    common::model(|| {
        let most = crowd(Semaphore::new(2), |semaphore, inside| {
            let _permit = semaphore.acquire();
            inside();
        });
        assert!(most <= 2, "{most} holders inside a semaphore of two");
    });
}

#[test]
fn a_release_from_another_thread_wakes_the_waiter() {
    common::model(|| {
        let semaphore = Arc::new(BoundedSemaphore::new(1));
        semaphore.acquire().forget();
        let waiter = {
            let semaphore = Arc::clone(&semaphore);
            thread::spawn(move || semaphore.acquire().forget())
        };
        let releaser = {
            let semaphore = Arc::clone(&semaphore);
            thread::spawn(move || semaphore.release().expect("one permit was out"))
        };
        releaser.join().expect("releaser panicked");
        waiter.join().expect("waiter panicked");
        assert_eq!(semaphore.available(), 0);
        semaphore.release().expect("one permit was out");
        assert!(
            semaphore.release().is_err(),
            "a release past the bound was accepted"
        );
    });
}

/// A semaphore whose acquire checks for a free permit in one critical section and
/// takes it in another.
struct SplitCheckSemaphore {
    available: Mutex<usize>,
}

#[test]
#[should_panic(expected = "split check: 2 holders inside a semaphore of one")]
fn split_check_and_decrement_is_caught() {
    common::model(|| {
        let most = crowd(
            SplitCheckSemaphore {
                available: Mutex::new(1),
            },
            |semaphore, inside| {
                loop {
                    let free = *semaphore.available.lock().expect("not poisoned") > 0;
                    if free {
                        let mut available = semaphore.available.lock().expect("not poisoned");
                        *available = available.saturating_sub(1);
                        break;
                    }
                    thread::yield_now();
                }
                inside();
                *semaphore.available.lock().expect("not poisoned") += 1;
            },
        );
        assert!(
            most <= 1,
            "split check: {most} holders inside a semaphore of one"
        );
    });
}
