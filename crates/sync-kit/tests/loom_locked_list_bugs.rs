//! Negative controls: misuses of `LockedList` that loom must catch.
//!
//! Each test builds a bug that splits one decision across two critical sections and
//! expects the model to find the interleaving that breaks it, with the exact message
//! that the broken assertion (or loom itself) produces. If loom stopped exploring
//! those interleavings, these tests would fail: they keep the positive models honest.
#![cfg(loom)]

mod common;

use loom::sync::Arc;
use loom::thread;
use sync_kit::LockedList;

/// Check-then-act: two consumers each check `is_empty` in one critical section and
/// pop in another. Both can see the one item, and the slower one pops nothing.
#[test]
#[should_panic(expected = "check-then-act: the list emptied between is_empty and pop_front")]
fn check_then_act_across_two_critical_sections_is_caught() {
    common::model(|| {
        let list = Arc::new(LockedList::from_iter([7u32]));
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                let list = Arc::clone(&list);
                thread::spawn(move || {
                    if !list.is_empty() {
                        list.pop_front().expect(
                            "check-then-act: the list emptied between is_empty and pop_front",
                        );
                    }
                })
            })
            .collect();
        for consumer in consumers {
            consumer.join().expect("consumer panicked");
        }
    });
}

/// Lost update: two threads each read the front in one critical section and write
/// it back incremented in another. Both can read 0, and one increment is lost.
#[test]
#[should_panic(expected = "lost update: two increments left the counter at 1")]
fn read_then_write_across_two_critical_sections_is_caught() {
    common::model(|| {
        let list = Arc::new(LockedList::from_iter([0u32]));
        let incrementers: Vec<_> = (0..2)
            .map(|_| {
                let list = Arc::clone(&list);
                thread::spawn(move || {
                    let seen = list.with_lock(|items| items[0]);
                    list.with_lock(|items| items[0] = seen + 1);
                })
            })
            .collect();
        for incrementer in incrementers {
            incrementer.join().expect("incrementer panicked");
        }
        let counter = list.with_lock(|items| items[0]);
        assert!(
            counter == 2,
            "lost update: two increments left the counter at {counter}"
        );
    });
}

/// Numbering by length: two producers each read the length and push it as the next
/// number, the way a careless exercise-4 adder might. Both can push the same number.
#[test]
#[should_panic(expected = "duplicate number: both producers pushed 0")]
fn numbering_items_by_a_stale_length_is_caught() {
    common::model(|| {
        let list = Arc::new(LockedList::new());
        let producers: Vec<_> = (0..2)
            .map(|_| {
                let list = Arc::clone(&list);
                thread::spawn(move || {
                    let next = list.len();
                    list.push_back(next);
                })
            })
            .collect();
        for producer in producers {
            producer.join().expect("producer panicked");
        }
        let items = list.snapshot();
        assert!(
            items[0] != items[1],
            "duplicate number: both producers pushed {}",
            items[0]
        );
    });
}
