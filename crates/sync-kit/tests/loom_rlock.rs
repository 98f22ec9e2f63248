//! loom models of `RLock`: the owner re-enters, no two threads are ever inside at
//! once; an ownership check split from the claim lets two in.
#![cfg(loom)]

mod common;

use std::cell::Cell;

use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::{Arc, Mutex};
use loom::thread::{self, ThreadId};
use sync_kit::RLock;

#[test]
fn owner_reenters_and_excludes_the_other_thread() {
    common::model(|| {
        let counter = Arc::new(RLock::new(Cell::new(0u32)));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    let outer = counter.lock();
                    let seen = outer.get();
                    thread::yield_now();
                    {
                        // Re-entering must not deadlock, and nobody got in meanwhile.
                        let inner = counter.lock();
                        assert_eq!(counter.held_by_current_thread(), 2);
                        assert_eq!(inner.get(), seen, "another thread changed it while held");
                        inner.set(seen + 1);
                    }
                    assert_eq!(counter.held_by_current_thread(), 1);
                    drop(outer);
                    assert_eq!(counter.held_by_current_thread(), 0);
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread panicked");
        }
        let counter = Arc::try_unwrap(counter).unwrap_or_else(|_| panic!("a thread kept its Arc"));
        assert_eq!(counter.into_inner().get(), 2);
    });
}

#[test]
fn try_lock_never_gets_in_beside_the_holder() {
    common::model(|| {
        let lock = Arc::new(RLock::new(()));
        let holding = Arc::new(AtomicUsize::new(0));
        let holder = {
            let (lock, holding) = (Arc::clone(&lock), Arc::clone(&holding));
            thread::spawn(move || {
                let _held = lock.lock();
                holding.store(1, Ordering::SeqCst);
                thread::yield_now();
                holding.store(0, Ordering::SeqCst);
            })
        };
        if let Some(_got) = lock.try_lock() {
            assert_eq!(
                holding.load(Ordering::SeqCst),
                0,
                "try_lock got in beside the holder"
            );
        }
        holder.join().expect("holder panicked");
        assert!(
            lock.try_lock().is_some(),
            "the lock stayed held after its holder left"
        );
    });
}

/// A reentrant lock that checks "free or mine?" in one critical section and
/// records itself as the owner in another.
struct SplitCheckRLock {
    owner: Mutex<Option<ThreadId>>,
}

impl SplitCheckRLock {
    fn lock(&self) {
        let me = thread::current().id();
        loop {
            let free_or_mine = self
                .owner
                .lock()
                .expect("not poisoned")
                .is_none_or(|o| o == me);
            if free_or_mine {
                *self.owner.lock().expect("not poisoned") = Some(me);
                return;
            }
            thread::yield_now();
        }
    }

    fn unlock(&self) {
        *self.owner.lock().expect("not poisoned") = None;
    }
}

#[test]
#[should_panic(expected = "split ownership check: two threads inside the RLock at once")]
fn split_ownership_check_is_caught() {
    common::model(|| {
        let lock = Arc::new(SplitCheckRLock {
            owner: Mutex::new(None),
        });
        let inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
                thread::spawn(move || {
                    lock.lock();
                    let others = inside.fetch_add(1, Ordering::SeqCst);
                    assert_eq!(
                        others, 0,
                        "split ownership check: two threads inside the RLock at once"
                    );
                    inside.fetch_sub(1, Ordering::SeqCst);
                    lock.unlock();
                })
            })
            .collect();
        for t in threads {
            t.join().expect("thread panicked");
        }
    });
}
