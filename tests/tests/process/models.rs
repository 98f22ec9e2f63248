//! sync-kit's process Queue and Manager list against sequential models: any
//! sequence of operations leaves them holding what a `VecDeque` and a `Vec` would.

use std::collections::VecDeque;
use std::time::Duration;

use proptest::prelude::*;
use sync_kit::process::{Manager, Queue, QueueError};

#[derive(Debug, Clone)]
enum QueueOp {
    Put(u32),
    TryGet,
    Len,
}

fn queue_op() -> impl Strategy<Value = QueueOp> {
    prop_oneof![
        3 => any::<u32>().prop_map(QueueOp::Put),
        2 => Just(QueueOp::TryGet),
        1 => Just(QueueOp::Len),
    ]
}

#[derive(Debug, Clone)]
enum ListOp {
    Append(String),
    Get(usize),
    Set(usize, String),
    Pop,
}

fn list_op() -> impl Strategy<Value = ListOp> {
    prop_oneof![
        3 => "[a-z]{0,12}".prop_map(ListOp::Append),
        1 => (0..8_usize).prop_map(ListOp::Get),
        1 => (0..8_usize, "[a-z]{0,4}").prop_map(|(i, s)| ListOp::Set(i, s)),
        1 => Just(ListOp::Pop),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_bounded_queue_is_a_fifo_that_refuses_past_its_size(
        maxsize in 1..6_usize,
        ops in proptest::collection::vec(queue_op(), 0..60),
    ) {
        let queue: Queue<u32> = Queue::bounded(maxsize).expect("queue");
        let mut model = VecDeque::new();
        for op in ops {
            match op {
                QueueOp::Put(item) => {
                    let put = queue.try_put(&item);
                    if model.len() < maxsize {
                        prop_assert!(put.is_ok(), "{put:?}");
                        model.push_back(item);
                    } else {
                        prop_assert!(matches!(put, Err(QueueError::Full)), "{put:?}");
                    }
                }
                QueueOp::TryGet => match model.pop_front() {
                    Some(item) => prop_assert_eq!(queue.try_get().expect("an item"), item),
                    None => prop_assert!(matches!(queue.try_get(), Err(QueueError::Empty))),
                },
                QueueOp::Len => prop_assert_eq!(queue.len(), model.len()),
            }
        }
        prop_assert_eq!(queue.len(), model.len());
    }

    #[test]
    fn a_small_ring_wraps_items_round_without_losing_a_byte(
        items in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 1..80),
    ) {
        // 64 bytes: most items straddle the ring's end at some point.
        let queue: Queue<Vec<u8>> = Queue::with_bytes(None, 64).expect("queue");
        let mut model = VecDeque::new();
        for item in items {
            while queue.try_put(&item).is_err() {
                let taken = queue.try_get().expect("room is made by taking");
                prop_assert_eq!(Some(taken), model.pop_front());
            }
            model.push_back(item);
        }
        while let Some(expected) = model.pop_front() {
            prop_assert_eq!(queue.get_timeout(Duration::from_secs(5)).expect("an item"), expected);
        }
    }
}

#[test]
fn a_manager_list_is_a_vec() {
    let manager = Manager::start_with(env!("CARGO_BIN_EXE_share-child")).expect("the server");
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(48));
    runner
        .run(&proptest::collection::vec(list_op(), 0..40), |ops| {
            let list = manager.list::<String>().expect("a list");
            let mut model: Vec<String> = Vec::new();
            for op in ops {
                match op {
                    ListOp::Append(item) => {
                        model.push(item.clone());
                        prop_assert_eq!(list.append(&item).expect("append"), model.len());
                    }
                    ListOp::Get(index) => {
                        prop_assert_eq!(list.get(index).expect("get"), model.get(index).cloned());
                    }
                    ListOp::Set(index, item) => match model.get_mut(index) {
                        Some(slot) => {
                            let old = std::mem::replace(slot, item.clone());
                            prop_assert_eq!(list.set(index, &item).expect("set"), old);
                        }
                        None => prop_assert!(list.set(index, &item).is_err()),
                    },
                    ListOp::Pop => prop_assert_eq!(list.pop().expect("pop"), model.pop()),
                }
            }
            prop_assert_eq!(list.to_vec().expect("read"), model);
            Ok(())
        })
        .expect("the list behaves as a Vec");
}
