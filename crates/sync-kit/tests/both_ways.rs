//! Each primitive's behaviour asserted both ways, and never waited on without a
//! deadline: every timed call succeeding as well as timing out, a condition's
//! `wait` and `notify_*` on a waiter that really sleeps and is really woken, and
//! every query (`is_empty`, `is_full`, `capacity`, `unfinished_tasks`) true and
//! false. A broken primitive fails these with a message in seconds, never hangs.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use sync_kit::{BoundedSemaphore, Condition, Event, Queue, RLock, Semaphore};

/// How long a test waits for what must happen before it calls it a hang.
const DEADLINE: Duration = Duration::from_secs(10);
/// How long another thread waits before doing what a waiter waits for, so that
/// the waiter is really blocked by then.
const LATER: Duration = Duration::from_millis(100);

/// Runs `work` on a thread of its own and returns its result, or fails the test
/// with `what` if it has not finished by the deadline.
fn within_deadline<T: Send + 'static>(what: &str, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(work());
    });
    finished
        .recv_timeout(DEADLINE)
        .unwrap_or_else(|_| panic!("hung for {DEADLINE:?}: {what}"))
}

/// Runs `action` on another thread after [`LATER`].
fn later(action: impl FnOnce() + Send + 'static) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        std::thread::sleep(LATER);
        action();
    })
}

#[test]
fn a_guard_that_waits_sleeps_until_notified_one() {
    let condition = Arc::new(Condition::new(false));
    let notified = Arc::new(AtomicBool::new(false));
    let waiter = {
        let (condition, notified) = (Arc::clone(&condition), Arc::clone(&notified));
        move || {
            let mut ready = condition.lock();
            let mut wakes = 0;
            while !*ready {
                ready.wait();
                wakes += 1;
            }
            // Woken only once the state changed: it slept, it did not spin.
            (wakes, notified.load(Ordering::SeqCst))
        }
    };
    let setter = {
        let (condition, notified) = (Arc::clone(&condition), Arc::clone(&notified));
        later(move || {
            let mut ready = condition.lock();
            *ready = true;
            notified.store(true, Ordering::SeqCst);
            ready.notify_one();
        })
    };
    let (wakes, after_notify) = within_deadline("a waiter woken by notify_one", waiter);
    assert!(after_notify, "the waiter returned before it was notified");
    assert!(
        (1..=3).contains(&wakes),
        "{wakes} wake-ups: a wait that does not sleep spins"
    );
    setter.join().expect("the setter ends");
}

#[test]
fn notify_all_wakes_every_waiter_and_notify_one_wakes_one() {
    let condition = Arc::new(Condition::new(0u32));
    let woken = Arc::new(AtomicUsize::new(0));
    let waiters: Vec<_> = (0..3)
        .map(|_| {
            let (condition, woken) = (Arc::clone(&condition), Arc::clone(&woken));
            std::thread::spawn(move || {
                let mut round = condition.lock();
                // Timed, and a few wake-ups at most: a broken notify or a wait that
                // does not sleep fails the test instead of hanging it.
                for _ in 0..100 {
                    if *round != 0 {
                        woken.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                    if !round.wait_timeout(DEADLINE) {
                        return;
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(LATER);
    let setter = Arc::clone(&condition);
    within_deadline("setting the round while the waiters sleep", move || {
        let mut round = setter.lock();
        *round = 1;
        round.notify_all();
    });
    for waiter in waiters {
        waiter.join().expect("a waiter ends");
    }
    assert_eq!(woken.load(Ordering::SeqCst), 3, "notify_all woke too few");

    // One waiter, woken through the condition itself rather than a guard.
    let condition = Arc::new(Condition::new(false));
    let setter = {
        let condition = Arc::clone(&condition);
        later(move || {
            *condition.lock() = true;
            condition.notify_one();
        })
    };
    let mut ready = condition.lock();
    let started = Instant::now();
    while !*ready {
        assert!(
            ready.wait_timeout(DEADLINE),
            "notify_one never woke the waiter"
        );
    }
    assert!(started.elapsed() < DEADLINE);
    drop(ready);
    setter.join().expect("the setter ends");
}

#[test]
fn wait_while_returns_only_once_the_state_allows() {
    let condition = Arc::new(Condition::new(0u32));
    let waiter = {
        let condition = Arc::clone(&condition);
        move || {
            let mut count = condition.lock();
            count.wait_while(|count| *count < 3);
            *count
        }
    };
    let setter = {
        let condition = Arc::clone(&condition);
        later(move || {
            for _ in 0..3 {
                *condition.lock() += 1;
                condition.notify_all();
            }
        })
    };
    assert_eq!(within_deadline("a wait_while on a counter", waiter), 3);
    setter.join().expect("the setter ends");
}

#[test]
fn a_condition_shows_its_state_or_that_it_is_locked() {
    let condition = Condition::new(vec![1, 2]);
    assert_eq!(format!("{condition:?}"), "Condition { state: [1, 2], .. }");
    let guard = condition.lock();
    assert_eq!(format!("{guard:?}"), "ConditionGuard([1, 2])");
    assert_eq!(
        format!("{condition:?}"),
        "Condition { state: <locked>, .. }"
    );
}

#[test]
fn wait_timeout_says_whether_it_was_notified() {
    let condition = Arc::new(Condition::new(()));
    let mut guard = condition.lock();
    assert!(
        !guard.wait_timeout(Duration::from_millis(20)),
        "nobody notified: the wait must time out"
    );
    let notifier = {
        let condition = Arc::clone(&condition);
        later(move || {
            let guard = condition.lock();
            guard.notify_all();
        })
    };
    assert!(
        guard.wait_timeout(DEADLINE),
        "a notification before the deadline must say so"
    );
    drop(guard);
    notifier.join().expect("the notifier ends");
}

#[test]
fn get_timeout_returns_an_item_put_while_it_waits() {
    let queue = Arc::new(Queue::unbounded());
    let putter = {
        let queue = Arc::clone(&queue);
        later(move || queue.put(7))
    };
    assert_eq!(queue.get_timeout(DEADLINE), Some(7));
    putter.join().expect("the putter ends");
    assert_eq!(queue.get_timeout(Duration::from_millis(20)), None);
}

#[test]
fn put_timeout_succeeds_once_a_bounded_queue_has_room() {
    let queue = Arc::new(Queue::bounded(1));
    queue.put(1);
    let taker = {
        let queue = Arc::clone(&queue);
        later(move || assert_eq!(queue.try_get(), Some(1)))
    };
    assert!(queue.put_timeout(2, DEADLINE).is_ok());
    taker.join().expect("the taker ends");
    assert!(queue.put_timeout(3, Duration::from_millis(20)).is_err());
}

#[test]
fn the_queue_answers_its_questions_both_ways() {
    let bounded = Queue::bounded(2);
    assert_eq!(bounded.capacity(), Some(2));
    assert!(bounded.is_empty() && !bounded.is_full());
    bounded.put('a');
    assert!(!bounded.is_empty() && !bounded.is_full());
    bounded.put('b');
    assert!(!bounded.is_empty() && bounded.is_full());
    assert_eq!(bounded.unfinished_tasks(), 2);
    assert_eq!(bounded.try_get(), Some('a'));
    assert!(!bounded.is_full());
    // Taking an item leaves its task unfinished until task_done.
    assert_eq!(bounded.unfinished_tasks(), 2);
    bounded.task_done().expect("a task was taken");
    assert_eq!(bounded.unfinished_tasks(), 1);
    assert!(!bounded.join_timeout(Duration::from_millis(20)));
    assert_eq!(bounded.try_get(), Some('b'));
    bounded.task_done().expect("a task was taken");
    assert_eq!(bounded.unfinished_tasks(), 0);
    assert!(bounded.join_timeout(DEADLINE));
    assert!(bounded.task_done().is_err(), "no task is left to finish");

    let unbounded: Queue<u8> = Queue::unbounded();
    assert_eq!(unbounded.capacity(), None);
    for n in 0..100 {
        unbounded.put(n);
    }
    assert!(!unbounded.is_full(), "an unbounded queue is never full");
}

#[test]
fn lock_timeout_gets_an_rlock_its_holder_releases() {
    let lock = Arc::new(RLock::new(std::cell::Cell::new(0)));
    let (held, holding) = mpsc::channel();
    let holder = {
        let lock = Arc::clone(&lock);
        std::thread::spawn(move || {
            let guard = lock.lock();
            guard.set(guard.get() + 1);
            held.send(()).expect("the test listens");
            std::thread::sleep(LATER);
        })
    };
    holding
        .recv_timeout(DEADLINE)
        .expect("the holder took the lock");
    assert!(
        lock.lock_timeout(Duration::from_millis(10)).is_none(),
        "another thread holds it"
    );
    let guard = lock
        .lock_timeout(DEADLINE)
        .expect("the holder released it before the deadline");
    assert_eq!(guard.get(), 1);
    // Its owner may enter again, timed or not.
    let again = lock.lock_timeout(Duration::from_millis(10));
    assert!(again.is_some(), "the owner re-enters");
    assert_eq!(lock.held_by_current_thread(), 2);
    drop(again);
    drop(guard);
    holder.join().expect("the holder ends");
}

#[test]
fn acquire_timeout_gets_a_permit_another_thread_releases() {
    let counting = Arc::new(Semaphore::new(1));
    let permit = counting.try_acquire().expect("one permit");
    assert!(
        counting
            .acquire_timeout(Duration::from_millis(10))
            .is_none()
    );
    std::mem::forget(permit);
    let releaser = {
        let counting = Arc::clone(&counting);
        later(move || counting.release())
    };
    assert!(
        counting.acquire_timeout(DEADLINE).is_some(),
        "the released permit arrives before the deadline"
    );
    releaser.join().expect("the releaser ends");

    let bounded = Arc::new(BoundedSemaphore::new(1));
    let permit = bounded.try_acquire().expect("one permit");
    assert!(bounded.acquire_timeout(Duration::from_millis(10)).is_none());
    let waiter = {
        let bounded = Arc::clone(&bounded);
        std::thread::spawn(move || bounded.acquire_timeout(DEADLINE).is_some())
    };
    std::thread::sleep(LATER);
    drop(permit);
    assert!(
        waiter.join().expect("the waiter ends"),
        "a permit dropped by its holder reaches a waiter"
    );
}

#[test]
fn an_event_set_by_another_thread_releases_a_timed_wait() {
    let event = Arc::new(Event::new());
    assert!(
        !event.wait_timeout(Duration::from_millis(20)),
        "not set yet"
    );
    let setter = {
        let event = Arc::clone(&event);
        later(move || event.set())
    };
    assert!(
        event.wait_timeout(DEADLINE),
        "set before the deadline: the wait must end with true"
    );
    assert!(event.is_set());
    setter.join().expect("the setter ends");
    let waited = {
        let event = Arc::clone(&event);
        within_deadline("an untimed wait on a set event", move || event.wait())
    };
    assert!(waited, "a set event's wait returns at once, with true");
    event.clear();
    assert!(!event.is_set());
}

#[test]
fn a_barrier_is_whole_until_aborted_and_abort_releases_its_waiters() {
    let barrier = Arc::new(sync_kit::Barrier::new(3));
    assert_eq!(barrier.parties(), 3);
    assert!(!barrier.is_broken(), "a new barrier is whole");
    let waiter = {
        let barrier = Arc::clone(&barrier);
        std::thread::spawn(move || barrier.wait_timeout(DEADLINE))
    };
    let started = Instant::now();
    while barrier.n_waiting() == 0 {
        assert!(started.elapsed() < DEADLINE, "the waiter never waited");
        std::thread::yield_now();
    }
    assert_eq!(barrier.n_waiting(), 1);
    assert!(!barrier.is_broken(), "waiting does not break it");
    barrier.abort();
    assert_eq!(
        waiter.join().expect("the waiter ends"),
        Err(sync_kit::BrokenBarrier),
        "abort releases the waiter with an error"
    );
    assert!(
        started.elapsed() < DEADLINE,
        "it was released by the abort, not the deadline"
    );
    assert!(barrier.is_broken());
}

#[test]
fn a_full_barrier_gives_each_party_its_own_index() {
    let barrier = Arc::new(sync_kit::Barrier::new(3));
    let waiters: Vec<_> = (0..3)
        .map(|_| {
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || barrier.wait_timeout(DEADLINE))
        })
        .collect();
    let mut indices: Vec<usize> = waiters
        .into_iter()
        .map(|w| w.join().expect("a party ends").expect("the barrier filled"))
        .collect();
    indices.sort_unstable();
    assert_eq!(indices, [0, 1, 2]);
    assert!(!barrier.is_broken());
    assert_eq!(barrier.n_waiting(), 0);
}

#[test]
fn an_untimed_barrier_wait_returns_once_all_parties_arrive() {
    let barrier = Arc::new(sync_kit::Barrier::new(2));
    let arrived = Arc::new(AtomicBool::new(false));
    let other = {
        let (barrier, arrived) = (Arc::clone(&barrier), Arc::clone(&arrived));
        std::thread::spawn(move || {
            std::thread::sleep(LATER);
            arrived.store(true, Ordering::SeqCst);
            barrier.wait_timeout(DEADLINE)
        })
    };
    let (index, other_had_arrived) = {
        let (barrier, arrived) = (Arc::clone(&barrier), Arc::clone(&arrived));
        within_deadline("an untimed barrier wait", move || {
            let index = barrier.wait();
            (index, arrived.load(Ordering::SeqCst))
        })
    };
    assert!(
        other_had_arrived,
        "the wait returned before the other party arrived"
    );
    let mut indices = vec![
        index.expect("the barrier filled"),
        other
            .join()
            .expect("the other party ends")
            .expect("the barrier filled"),
    ];
    indices.sort_unstable();
    assert_eq!(indices, [0, 1], "each party gets its own arrival index");
}

#[test]
fn a_joiner_blocked_before_the_last_task_done_is_woken_by_it() {
    let queue = Arc::new(Queue::unbounded());
    queue.put(1);
    queue.put(2);
    let joiner = {
        let queue = Arc::clone(&queue);
        std::thread::spawn(move || queue.join_timeout(DEADLINE))
    };
    std::thread::sleep(LATER);
    for _ in 0..2 {
        assert!(queue.try_get().is_some());
        queue.task_done().expect("a task was taken");
    }
    assert!(
        joiner.join().expect("the joiner ends"),
        "the last task_done must wake a blocked join"
    );
    // An untimed join returns at once when nothing is unfinished, and only then.
    queue.put(3);
    let untimed = {
        let queue = Arc::clone(&queue);
        std::thread::spawn(move || {
            queue.join();
            queue.unfinished_tasks()
        })
    };
    std::thread::sleep(LATER);
    assert_eq!(queue.try_get(), Some(3));
    queue.task_done().expect("a task was taken");
    let left = within_deadline("an untimed join", move || untimed.join());
    assert_eq!(
        left.expect("the joiner ends"),
        0,
        "join returned with work unfinished"
    );
}

#[test]
fn the_primitives_show_their_state_when_printed() {
    let barrier = sync_kit::Barrier::new(2);
    assert_eq!(
        format!("{barrier:?}"),
        "Barrier { parties: 2, waiting: 0, broken: false }"
    );
    let event = Event::new();
    event.set();
    assert_eq!(format!("{event:?}"), "Event { set: true, waiting: 0 }");
    assert_eq!(format!("{:?}", sync_kit::Full(5)), "Full(..)");
}

#[test]
fn a_locked_list_says_whether_it_is_empty_both_ways() {
    let list = sync_kit::LockedList::new();
    assert!(list.is_empty());
    list.push_back(1);
    assert!(!list.is_empty());
    assert_eq!(list.len(), 1);
    assert_eq!(list.pop_front(), Some(1));
    assert!(list.is_empty());
}

#[test]
fn a_queue_shows_its_length_work_and_capacity_when_printed() {
    let queue = Queue::bounded(2);
    queue.put(1);
    queue.put(2);
    assert_eq!(queue.get(), 1);
    assert_eq!(
        format!("{queue:?}"),
        "Queue { len: 1, unfinished: 2, capacity: Some(2) }"
    );
}

#[test]
fn try_lock_takes_a_free_rlock_and_not_one_another_thread_holds() {
    let lock = Arc::new(RLock::new(0));
    let guard = lock.try_lock().expect("a free lock is taken at once");
    assert!(lock.try_lock().is_some(), "its owner takes it again");
    let other = {
        let lock = Arc::clone(&lock);
        within_deadline("a try from another thread", move || {
            lock.try_lock().is_none()
        })
    };
    assert!(other, "another thread's try fails while the lock is held");
    drop(guard);
    let after = {
        let lock = Arc::clone(&lock);
        within_deadline("a try after the release", move || lock.try_lock().is_some())
    };
    assert!(after, "once released, another thread's try takes it");
}

#[test]
fn an_event_counts_its_waiters_in_and_out() {
    let event = Arc::new(Event::new());
    assert!(!event.wait_timeout(Duration::from_millis(5)));
    assert_eq!(
        format!("{event:?}"),
        "Event { set: false, waiting: 0 }",
        "a timed-out waiter has left"
    );
    let waiter = {
        let event = Arc::clone(&event);
        std::thread::spawn(move || event.wait_timeout(DEADLINE))
    };
    let started = Instant::now();
    while format!("{event:?}") != "Event { set: false, waiting: 1 }" {
        assert!(
            started.elapsed() < DEADLINE,
            "the waiter never showed: {event:?}"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    event.set();
    assert!(
        waiter.join().expect("the waiter ends"),
        "released by the set"
    );
    assert_eq!(format!("{event:?}"), "Event { set: true, waiting: 0 }");
}

#[test]
fn an_untimed_wait_returns_only_once_the_event_is_set() {
    let event = Arc::new(Event::new());
    let returned = Arc::new(AtomicBool::new(false));
    let waiter = {
        let (event, returned) = (Arc::clone(&event), Arc::clone(&returned));
        std::thread::spawn(move || {
            let set = event.wait();
            returned.store(true, Ordering::SeqCst);
            set
        })
    };
    std::thread::sleep(LATER);
    assert!(
        !returned.load(Ordering::SeqCst),
        "an untimed wait returned before the event was set"
    );
    event.set();
    let set = within_deadline("the released waiter", move || {
        waiter.join().expect("the waiter ends")
    });
    assert!(set, "an untimed wait returns true");
    assert!(returned.load(Ordering::SeqCst));
}

#[test]
fn an_rlock_shows_its_owner_and_depth_when_printed() {
    let lock = RLock::new(5);
    assert_eq!(format!("{lock:?}"), "RLock { owner: None, depth: 0, .. }");
    let outer = lock.lock();
    let inner = lock.lock();
    assert_eq!(format!("{inner:?}"), "RLockGuard(5)");
    let shown = format!("{lock:?}");
    assert!(
        shown.starts_with("RLock { owner: Some(ThreadId(") && shown.ends_with("depth: 2, .. }"),
        "{shown}"
    );
    drop((inner, outer));
    assert_eq!(format!("{lock:?}"), "RLock { owner: None, depth: 0, .. }");
}
