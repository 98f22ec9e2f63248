//! sync-kit's process Queue across real processes: every item taken exactly once
//! by several consumers from several producers, and processes killed with SIGKILL
//! in the middle of a put or a get, which must tear no item and block nobody.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Child;
use std::time::Duration;

use sync_kit::process::{Queue, QueueError};
use tests_integration::children::{self, DEADLINE, Passed, finish, kill, lines, next, pass};

/// A queue item as `share-child` sends it: producer and sequence number.
type Item = Option<(u64, u64)>;

fn child(role: &[&str], shares: &[Passed<'_>]) -> Child {
    children::start(Path::new(env!("CARGO_BIN_EXE_share-child")), role, shares)
}

#[test]
fn items_from_three_producers_are_each_taken_exactly_once_by_two_consumers() {
    // Small, so producers wait for room and consumers for items.
    let queue: Queue<Item> = Queue::bounded(8).expect("queue");
    let each = 2_000;
    let mut consumers: Vec<Child> = (0..2)
        .map(|_| child(&["consume"], &[("queue", &pass(&queue))]))
        .collect();
    let taken: Vec<_> = consumers.iter_mut().map(lines).collect();
    let producers: Vec<Child> = (1..=3)
        .map(|id| {
            child(
                &["produce", &id.to_string(), &each.to_string()],
                &[("queue", &pass(&queue))],
            )
        })
        .collect();
    for producer in producers {
        assert!(finish(producer).success());
    }
    for _ in &consumers {
        queue
            .put_timeout(&None, DEADLINE)
            .expect("room for the ends");
    }
    for consumer in consumers {
        assert!(finish(consumer).success());
    }
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for lines in taken {
        // Every line the consumer printed, up to the end of its output: its
        // reader thread may still be passing them on after the consumer exited.
        while let Ok(line) = lines.recv_timeout(DEADLINE) {
            total += 1;
            assert!(seen.insert(line.clone()), "{line} was taken twice");
        }
    }
    assert_eq!(total, 3 * each, "every item taken once");
    assert!(queue.is_empty());
}

#[test]
fn a_producer_killed_halfway_through_a_put_leaves_no_torn_item() {
    let queue: Queue<Item> = Queue::new().expect("queue");
    let mut staller = child(&["stall-put"], &[("queue", &pass(&queue))]);
    assert_eq!(next(&lines(&mut staller), "stalling"), "stalling");
    // While the producer holds the lock, a try gives up at once and a timed get
    // at its time, as Python's do when they cannot take the queue's lock.
    assert!(matches!(queue.try_get(), Err(QueueError::Empty)));
    assert!(matches!(
        queue.get_timeout(Duration::from_millis(20)),
        Err(QueueError::Empty)
    ));
    kill(staller);
    assert_eq!(
        queue.get_timeout(DEADLINE).expect("the whole item"),
        Some((1, 1))
    );
    assert_eq!(
        queue.repairs(),
        1,
        "the dead holder was seen and the ring repaired"
    );
    assert!(
        matches!(queue.try_get(), Err(QueueError::Empty)),
        "half an item is no item"
    );
    queue.put(&Some((3, 3))).expect("the queue works on");
    assert_eq!(queue.get_timeout(DEADLINE).expect("item"), Some((3, 3)));
}

#[test]
fn a_consumer_killed_halfway_through_a_get_leaves_the_item_for_the_next() {
    let queue: Queue<Item> = Queue::new().expect("queue");
    let mut staller = child(&["stall-get"], &[("queue", &pass(&queue))]);
    assert_eq!(next(&lines(&mut staller), "stalling"), "stalling");
    kill(staller);
    assert_eq!(
        queue.get_timeout(DEADLINE).expect("still there"),
        Some((1, 1))
    );
    assert_eq!(queue.repairs(), 1);
    assert_eq!(queue.len(), 0);
}

#[test]
fn producers_killed_at_random_moments_never_tear_an_item() {
    let queue: Queue<Vec<u8>> = Queue::with_bytes(None, 256 * 1024).expect("queue");
    let mut taken = 0_usize;
    for round in 0..8_u64 {
        let flood = child(&["flood"], &[("bytes", &pass(&queue))]);
        std::thread::sleep(Duration::from_millis(5 + 7 * round));
        // Take a few while it puts, so it is busy inside its puts when killed.
        for _ in 0..3 {
            let item = queue.get_timeout(DEADLINE).expect("an item");
            assert!(whole(&item), "a torn item of {} bytes", item.len());
            taken += 1;
        }
        kill(flood);
        while let Ok(item) = queue.try_get() {
            assert!(whole(&item), "a torn item of {} bytes", item.len());
            taken += 1;
        }
    }
    assert!(taken >= 24);
    queue.put(&vec![1; 10]).expect("the queue works on");
    assert_eq!(queue.get_timeout(DEADLINE).expect("item"), vec![1; 10]);
}

/// Whether a flood item is whole: 64 KiB, every byte the same.
fn whole(item: &[u8]) -> bool {
    item.len() == 64 * 1024 && item.iter().all(|&b| b == item[0])
}

#[test]
fn timed_and_try_calls_give_up_with_full_or_empty() {
    let queue: Queue<u32> = Queue::bounded(1).expect("queue");
    assert!(matches!(
        queue.get_timeout(Duration::from_millis(20)),
        Err(QueueError::Empty)
    ));
    queue.put_timeout(&1, DEADLINE).expect("room");
    assert!(matches!(queue.try_put(&2), Err(QueueError::Full)));
    assert!(matches!(
        queue.put_timeout(&2, Duration::from_millis(20)),
        Err(QueueError::Full)
    ));
    assert_eq!(queue.try_get().expect("an item"), 1);
    let small: Queue<Vec<u8>> = Queue::with_bytes(None, 64).expect("queue");
    assert!(matches!(
        small.put(&vec![0; 100]),
        Err(QueueError::TooLarge { capacity: 64, .. })
    ));
    assert!(Queue::<u8>::bounded(0).is_err());
}

#[test]
fn a_getter_asleep_is_woken_by_a_put_from_another_thread() {
    let queue: Queue<u32> = Queue::new().expect("queue");
    std::thread::scope(|s| {
        let getter = s.spawn(|| queue.get_timeout(DEADLINE));
        std::thread::sleep(Duration::from_millis(30));
        queue.put(&5).expect("put");
        assert_eq!(
            getter
                .join()
                .expect("no panic")
                .expect("woken with the item"),
            5
        );
    });
}
