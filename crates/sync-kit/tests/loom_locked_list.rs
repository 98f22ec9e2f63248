//! loom models of `LockedList`: every interleaving of its users keeps it a FIFO.
//!
//! Each model spawns at most three threads doing one to three operations each, and
//! checks what matters to exercise 4: no item is lost or duplicated, each producer's
//! items come out in the order it pushed them, the state a report shows is the state
//! its own operation left, and every `Arc` is given back at the end.
#![cfg(loom)]

mod common;

use std::collections::VecDeque;

use loom::sync::Arc;
use loom::thread;
use sync_kit::LockedList;

/// Takes the list back from its `Arc`, proving no thread leaked a reference.
fn into_items<T>(list: Arc<LockedList<T>>) -> VecDeque<T> {
    assert_eq!(Arc::strong_count(&list), 1, "a thread kept its Arc");
    Arc::try_unwrap(list)
        .unwrap_or_else(|_| panic!("the Arc is still shared"))
        .into_inner()
}

/// The values `from, from+1, …` (`len` of them), to compare with a reported list.
fn run(from: u32, len: usize) -> Vec<u32> {
    (from..).take(len).collect()
}

#[test]
fn one_producer_one_consumer() {
    common::model(|| {
        let list = Arc::new(LockedList::new());

        let producer = {
            let list = Arc::clone(&list);
            thread::spawn(move || {
                for i in 0..2u32 {
                    // With one producer the list is always a run of consecutive
                    // numbers; right after pushing `i` it must end at `i`.
                    list.push_back_then(i, |now| {
                        let first = i + 1 - now.len() as u32;
                        assert!(now.iter().copied().eq(run(first, now.len())));
                    });
                }
            })
        };
        let consumer = {
            let list = Arc::clone(&list);
            thread::spawn(move || {
                let mut taken = Vec::new();
                for _ in 0..2 {
                    let (removed, ()) = list.pop_front_then(|removed, now| {
                        // What is left starts right after what was removed.
                        if let (Some(&r), Some(&next)) = (removed, now.front()) {
                            assert_eq!(next, r + 1);
                        }
                    });
                    taken.extend(removed);
                }
                taken
            })
        };

        producer.join().expect("producer panicked");
        let taken = consumer.join().expect("consumer panicked");
        let rest = into_items(list);
        // FIFO: what was taken is a prefix of 0, 1 and what remains is the rest.
        let all: Vec<u32> = taken.into_iter().chain(rest).collect();
        assert_eq!(all, [0, 1]);
    });
}

#[test]
fn two_producers_one_consumer() {
    common::model(|| {
        let list = Arc::new(LockedList::new());

        let producers: Vec<_> = ['a', 'b']
            .into_iter()
            .map(|name| {
                let list = Arc::clone(&list);
                thread::spawn(move || {
                    for seq in 0..2u32 {
                        list.push_back((name, seq));
                    }
                })
            })
            .collect();
        let consumer = {
            let list = Arc::clone(&list);
            thread::spawn(move || (0..3).filter_map(|_| list.pop_front()).collect::<Vec<_>>())
        };

        for producer in producers {
            producer.join().expect("producer panicked");
        }
        let taken = consumer.join().expect("consumer panicked");
        let rest = into_items(list);

        // Taken then remaining is the whole FIFO history: every item exactly once,
        // and each producer's items in the order it pushed them.
        let history: Vec<(char, u32)> = taken.into_iter().chain(rest).collect();
        assert_eq!(history.len(), 4, "lost or duplicated: {history:?}");
        for name in ['a', 'b'] {
            let seqs: Vec<u32> = history
                .iter()
                .filter(|(who, _)| *who == name)
                .map(|&(_, seq)| seq)
                .collect();
            assert_eq!(seqs, [0, 1], "producer {name} out of order: {history:?}");
        }
    });
}

#[test]
fn read_modify_write_in_one_critical_section_loses_nothing() {
    common::model(|| {
        let list = Arc::new(LockedList::from_iter([0u32]));
        let incrementers: Vec<_> = (0..2)
            .map(|_| {
                let list = Arc::clone(&list);
                thread::spawn(move || list.with_lock(|items| items[0] += 1))
            })
            .collect();
        for incrementer in incrementers {
            incrementer.join().expect("incrementer panicked");
        }
        assert_eq!(into_items(list), [2]);
    });
}

#[test]
fn check_and_pop_in_one_critical_section_never_misses() {
    common::model(|| {
        let list = Arc::new(LockedList::from_iter([7u32]));
        let consumers: Vec<_> = (0..2)
            .map(|_| {
                let list = Arc::clone(&list);
                thread::spawn(move || list.pop_front())
            })
            .collect();
        let taken: Vec<u32> = consumers
            .into_iter()
            .filter_map(|c| c.join().expect("consumer panicked"))
            .collect();
        // Exactly one consumer got the item, and the other saw an empty list.
        assert_eq!(taken, [7]);
        assert!(into_items(list).is_empty());
    });
}
