//! loom models of `Condition`: waiters that loop on the state get exactly what was
//! produced; waiters that trust a single wake-up (`if` instead of `while`) do not.
#![cfg(loom)]

mod common;

use std::collections::VecDeque;

use loom::sync::Arc;
use loom::thread;
use sync_kit::Condition;

/// Two consumers wait for items that one producer adds one at a time, waking
/// everybody each time. `take` is how a consumer waits for and takes one item.
fn two_consumers_one_producer(take: fn(&Condition<VecDeque<u32>>) -> u32) {
    let queue = Arc::new(Condition::new(VecDeque::new()));
    let consumers: Vec<_> = (0..2)
        .map(|_| {
            let queue = Arc::clone(&queue);
            thread::spawn(move || take(&queue))
        })
        .collect();
    for item in [1, 2] {
        queue.lock().push_back(item);
        queue.notify_all();
    }
    let mut taken: Vec<u32> = consumers
        .into_iter()
        .map(|c| c.join().expect("consumer panicked"))
        .collect();
    taken.sort_unstable();
    assert_eq!(taken, [1, 2], "each item taken exactly once");
    assert!(queue.lock().is_empty());
}

#[test]
fn waiters_that_loop_take_each_item_once() {
    common::model(|| {
        two_consumers_one_producer(|queue| {
            let mut guard = queue.lock();
            guard.wait_while(|items| items.is_empty());
            guard
                .pop_front()
                .expect("wait_while returned with an item there")
        });
    });
}

#[test]
#[should_panic(expected = "if instead of while: a waiter woke to an empty queue")]
fn if_instead_of_while_is_caught() {
    common::model(|| {
        two_consumers_one_producer(|queue| {
            let mut guard = queue.lock();
            if guard.is_empty() {
                // One wake-up is trusted to mean "an item is there for me", but the
                // other consumer, woken by the same notify_all, may have taken it.
                guard.wait();
            }
            guard
                .pop_front()
                .expect("if instead of while: a waiter woke to an empty queue")
        });
    });
}
