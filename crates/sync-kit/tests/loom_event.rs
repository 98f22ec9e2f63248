//! loom models of `Event`: every waiter sees a `set` that happens, and a flag set
//! without the lock loses a wake-up.
#![cfg(loom)]

mod common;

use loom::sync::atomic::{AtomicBool, Ordering};
use loom::sync::{Arc, Condvar, Mutex};
use loom::thread;
use sync_kit::Event;

#[test]
fn every_waiter_sees_the_set() {
    common::model(|| {
        let event = Arc::new(Event::new());
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let event = Arc::clone(&event);
                thread::spawn(move || event.wait())
            })
            .collect();
        event.set();
        for waiter in waiters {
            assert!(waiter.join().expect("waiter panicked"));
        }
        assert!(event.is_set());
        event.clear();
        assert!(!event.is_set());
        assert_eq!(Arc::strong_count(&event), 1, "a thread kept its Arc");
    });
}

/// An event whose `set` stores the flag without taking the waiters' lock: a waiter
/// can check the flag, lose the processor, miss the notification, and sleep forever.
struct UnlockedSetEvent {
    flag: AtomicBool,
    lock: Mutex<()>,
    changed: Condvar,
}

impl UnlockedSetEvent {
    fn set(&self) {
        self.flag.store(true, Ordering::SeqCst);
        self.changed.notify_all();
    }

    fn wait(&self) {
        let mut guard = self.lock.lock().expect("not poisoned");
        while !self.flag.load(Ordering::SeqCst) {
            guard = self.changed.wait(guard).expect("not poisoned");
        }
    }
}

#[test]
#[ignore = "negative control: aborts under loom; run by lost_wake_up_is_caught"]
fn lost_wake_up_control() {
    common::model(|| {
        let event = Arc::new(UnlockedSetEvent {
            flag: AtomicBool::new(false),
            lock: Mutex::new(()),
            changed: Condvar::new(),
        });
        let waiter = {
            let event = Arc::clone(&event);
            thread::spawn(move || event.wait())
        };
        event.set();
        waiter.join().expect("waiter panicked");
    });
}

#[test]
fn lost_wake_up_is_caught() {
    common::expect_loom_abort("lost_wake_up_control", "deadlock; threads = ");
}
