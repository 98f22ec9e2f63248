//! loom models of `Queue`: a bounded queue passes every item exactly once, in each
//! producer's order, and `join` returns only after every `task_done`; a done-count
//! updated outside the lock loses counts.
#![cfg(loom)]

mod common;

use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::{Arc, Mutex};
use loom::thread;
use sync_kit::Queue;

/// What each producer puts, in order: two items from one, one from the other (a
/// second item from both makes the exploration ten times longer and adds nothing).
const PRODUCERS: [&[u32]; 2] = [&[10, 11], &[20]];

#[test]
fn bounded_queue_two_producers_one_consumer_then_join() {
    common::model(|| {
        let queue = Arc::new(Queue::bounded(1));
        let done = Arc::new(AtomicUsize::new(0));
        let producers: Vec<_> = PRODUCERS
            .into_iter()
            .map(|items| {
                let queue = Arc::clone(&queue);
                thread::spawn(move || items.iter().for_each(|&item| queue.put(item)))
            })
            .collect();
        let consumer = {
            let (queue, done) = (Arc::clone(&queue), Arc::clone(&done));
            thread::spawn(move || {
                let taken: Vec<u32> = (0..3)
                    .map(|_| {
                        let item = queue.get();
                        done.fetch_add(1, Ordering::SeqCst);
                        queue.task_done().expect("one task_done per get");
                        item
                    })
                    .collect();
                taken
            })
        };
        for producer in producers {
            producer.join().expect("producer panicked");
        }
        queue.join();
        assert_eq!(
            done.load(Ordering::SeqCst),
            3,
            "join returned before every task was done"
        );
        let taken = consumer.join().expect("consumer panicked");
        for producer in PRODUCERS {
            let theirs: Vec<u32> = taken
                .iter()
                .copied()
                .filter(|t| producer.contains(t))
                .collect();
            assert_eq!(
                theirs, producer,
                "a producer's items came out of order or not once"
            );
        }
        assert!(queue.is_empty());
        assert_eq!(queue.unfinished_tasks(), 0);
    });
}

#[test]
fn try_put_and_try_get_never_lose_or_duplicate_an_item() {
    common::model(|| {
        let queue = Arc::new(Queue::bounded(1));
        let producer = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.try_put(1).err().map(|full| full.0))
        };
        let consumer = {
            let queue = Arc::clone(&queue);
            thread::spawn(move || queue.try_get())
        };
        let refused_here = queue.try_put(0).err().map(|full| full.0);
        let refused_there = producer.join().expect("producer panicked");
        let got = consumer.join().expect("consumer panicked");
        let left = queue.try_get();
        let mut seen: Vec<u32> = [got, refused_here, refused_there, left]
            .into_iter()
            .flatten()
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, [0, 1], "an item was lost or duplicated");
        assert_eq!(
            queue.unfinished_tasks(),
            usize::from(got.is_some()) + usize::from(left.is_some())
        );
    });
}

/// The done-count that `join` waits on, read in one critical section and written
/// back in another: two workers finishing together count as one.
#[test]
#[should_panic(expected = "done-count outside the lock: 2 tasks done, 1 counted")]
fn task_done_counted_outside_the_lock_is_caught() {
    common::model(|| {
        let queue = Arc::new(Queue::unbounded());
        let counted = Arc::new(Mutex::new(0usize));
        queue.put(1);
        queue.put(2);
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let (queue, counted) = (Arc::clone(&queue), Arc::clone(&counted));
                thread::spawn(move || {
                    queue.get();
                    let seen = *counted.lock().expect("not poisoned");
                    *counted.lock().expect("not poisoned") = seen + 1;
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("worker panicked");
        }
        let counted = *counted.lock().expect("not poisoned");
        assert_eq!(
            counted, 2,
            "done-count outside the lock: 2 tasks done, {counted} counted"
        );
    });
}
