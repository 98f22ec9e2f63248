//! Property tests of `LockedList`: against a sequential model, and on real threads.
//!
//! The sequential property runs random operation scripts on a `LockedList` and on a
//! plain `VecDeque` and demands the same answers. The concurrent property runs random
//! per-thread scripts on 2–4 real threads; every operation takes a ticket inside its
//! own critical section, so the tickets give the order in which the lock was really
//! taken, and replaying the operations in that order on a `VecDeque` must reproduce
//! every removal each thread saw (the list is linearizable).
#![cfg(not(loom))]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use proptest::prelude::*;
use sync_kit::LockedList;

#[derive(Debug, Clone)]
enum Op {
    Push(u8),
    Pop,
    PushThen(u8),
    PopThen,
    IncrementFront,
    Len,
    Snapshot,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        any::<u8>().prop_map(Op::Push),
        Just(Op::Pop),
        any::<u8>().prop_map(Op::PushThen),
        Just(Op::PopThen),
        Just(Op::IncrementFront),
        Just(Op::Len),
        Just(Op::Snapshot),
    ]
}

/// What one operation answered, in a form both implementations can produce.
#[derive(Debug, PartialEq)]
enum Answer {
    Nothing,
    Popped(Option<u8>),
    State(Vec<u8>),
    PoppedAndState(Option<u8>, Vec<u8>),
    Len(usize),
}

fn on_model(model: &mut VecDeque<u8>, op: &Op) -> Answer {
    match *op {
        Op::Push(x) => {
            model.push_back(x);
            Answer::Nothing
        }
        Op::Pop => Answer::Popped(model.pop_front()),
        Op::PushThen(x) => {
            model.push_back(x);
            Answer::State(model.iter().copied().collect())
        }
        Op::PopThen => {
            let removed = model.pop_front();
            Answer::PoppedAndState(removed, model.iter().copied().collect())
        }
        Op::IncrementFront => {
            if let Some(front) = model.front_mut() {
                *front = front.wrapping_add(1);
            }
            Answer::Nothing
        }
        Op::Len => Answer::Len(model.len()),
        Op::Snapshot => Answer::State(model.iter().copied().collect()),
    }
}

fn on_list(list: &LockedList<u8>, op: &Op) -> Answer {
    let collect = |items: &VecDeque<u8>| items.iter().copied().collect::<Vec<_>>();
    match *op {
        Op::Push(x) => {
            list.push_back(x);
            Answer::Nothing
        }
        Op::Pop => Answer::Popped(list.pop_front()),
        Op::PushThen(x) => Answer::State(list.push_back_then(x, collect)),
        Op::PopThen => {
            let (removed, state) = list.pop_front_then(|_, now| collect(now));
            Answer::PoppedAndState(removed, state)
        }
        Op::IncrementFront => {
            list.with_lock(|items| {
                if let Some(front) = items.front_mut() {
                    *front = front.wrapping_add(1);
                }
            });
            Answer::Nothing
        }
        Op::Len => Answer::Len(list.len()),
        Op::Snapshot => Answer::State(list.snapshot()),
    }
}

/// One step of a thread's script in the concurrent property.
#[derive(Debug, Clone, Copy)]
enum Step {
    Push,
    Pop,
}

/// What a thread did, stamped with the ticket it took inside the critical section.
#[derive(Debug)]
enum Event {
    Pushed {
        ticket: usize,
        item: (usize, usize),
    },
    Popped {
        ticket: usize,
        item: Option<(usize, usize)>,
    },
}

impl Event {
    fn ticket(&self) -> usize {
        match *self {
            Event::Pushed { ticket, .. } | Event::Popped { ticket, .. } => ticket,
        }
    }
}

fn scripts() -> impl Strategy<Value = Vec<Vec<Step>>> {
    let step = prop_oneof![Just(Step::Push), Just(Step::Pop)];
    prop::collection::vec(prop::collection::vec(step, 0..40), 2..=4)
}

proptest! {
    #[test]
    fn behaves_like_a_vecdeque(ops in prop::collection::vec(op(), 0..64)) {
        let list = LockedList::new();
        let mut model = VecDeque::new();
        for op in &ops {
            prop_assert_eq!(on_list(&list, op), on_model(&mut model, op), "after {:?}", op);
        }
        prop_assert_eq!(list.into_inner(), model);
    }

    #[test]
    fn concurrent_scripts_are_linearizable(scripts in scripts()) {
        let list = Arc::new(LockedList::new());
        let tickets = Arc::new(AtomicUsize::new(0));
        let start = Arc::new(Barrier::new(scripts.len()));

        let workers: Vec<_> = scripts
            .iter()
            .cloned()
            .enumerate()
            .map(|(who, script)| {
                let (list, tickets, start) = (Arc::clone(&list), Arc::clone(&tickets), Arc::clone(&start));
                thread::spawn(move || {
                    start.wait();
                    let mut pushed = 0;
                    let mut events = Vec::new();
                    for step in script {
                        // The ticket is drawn while the lock is held, so ticket
                        // order is the order in which the operations took effect.
                        let take = || tickets.fetch_add(1, Ordering::Relaxed);
                        events.push(match step {
                            Step::Push => {
                                let item = (who, pushed);
                                pushed += 1;
                                Event::Pushed { ticket: list.push_back_then(item, |_| take()), item }
                            }
                            Step::Pop => {
                                let (item, ticket) = list.pop_front_then(|_, _| take());
                                Event::Popped { ticket, item }
                            }
                        });
                    }
                    events
                })
            })
            .collect();
        let per_thread: Vec<Vec<Event>> = workers
            .into_iter()
            .map(|w| w.join().expect("worker panicked"))
            .collect();

        // Each thread's own events happened in script order.
        for events in &per_thread {
            prop_assert!(events.windows(2).all(|w| w[0].ticket() < w[1].ticket()));
        }
        // Replaying every event in ticket order on a plain deque reproduces each pop.
        let mut all: Vec<&Event> = per_thread.iter().flatten().collect();
        all.sort_by_key(|e| e.ticket());
        prop_assert!(all.iter().enumerate().all(|(i, e)| e.ticket() == i), "tickets have gaps");
        let mut model = VecDeque::new();
        for event in all {
            match *event {
                Event::Pushed { item, .. } => model.push_back(item),
                Event::Popped { item, ticket } => {
                    prop_assert_eq!(item, model.pop_front(), "pop with ticket {}", ticket);
                }
            }
        }
        // Nothing lost, nothing duplicated, and what remains is in FIFO order.
        let list = Arc::try_unwrap(list).expect("a worker kept its Arc");
        prop_assert_eq!(list.into_inner(), model);
    }
}
