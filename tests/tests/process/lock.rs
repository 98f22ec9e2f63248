//! sync-kit's process Lock, Value and Array across real processes: counts from
//! several processes, and a holder killed with SIGKILL inside the lock, which must
//! never leave anyone blocked.

use std::path::Path;
use std::process::Child;
use std::time::Duration;

use sync_kit::process::{Array, Lock, LockError, RawValue, Value};
use tests_integration::children::{self, DEADLINE, Passed, finish, kill, lines, next, pass};

/// Starts `share-child` in `role`, with each of `shares` passed under its name.
fn child(role: &[&str], shares: &[Passed<'_>]) -> Child {
    children::start(Path::new(env!("CARGO_BIN_EXE_share-child")), role, shares)
}

#[test]
fn a_holder_killed_inside_the_lock_hands_it_to_the_next_locker_with_its_pid() {
    let lock = Lock::new().expect("lock");
    let pair = Array::new(&[0_u32, 0]).expect("array");
    let mut holder = child(&["hold"], &[("lock", &pass(&lock)), ("pair", &pass(&pair))]);
    let holder_pid = holder.id();
    let said = lines(&mut holder);
    assert_eq!(next(&said, "held"), "held");
    assert!(
        lock.try_lock().expect("not poisoned yet").is_none(),
        "the child holds the lock"
    );
    kill(holder);

    let died = match lock.lock_timeout(DEADLINE) {
        Err(LockError::OwnerDied(died)) => died,
        other => panic!("expected OwnerDied, got {other:?}"),
    };
    assert_eq!(
        died.pid(),
        Some(holder_pid),
        "the error names the dead holder"
    );
    // The dead holder's half update is there to repair.
    assert_eq!(pair.to_vec(), [1, 0]);
    pair.store(1, 1);
    drop(died.recover());

    let guard = lock.try_lock().expect("recovered").expect("free");
    assert_eq!(pair.to_vec(), [1, 1]);
    drop(guard);
}

#[test]
fn a_waiter_already_blocked_in_another_process_is_woken_when_the_holder_dies() {
    let lock = Lock::new().expect("lock");
    let pair = Array::new(&[0_u32, 0]).expect("array");
    let mut holder = child(&["hold"], &[("lock", &pass(&lock)), ("pair", &pass(&pair))]);
    let holder_pid = holder.id();
    assert_eq!(next(&lines(&mut holder), "held"), "held");

    let mut waiter = child(&["wait"], &[("lock", &pass(&lock))]);
    let heard = lines(&mut waiter);
    assert_eq!(next(&heard, "waiting"), "waiting");
    // Give the waiter time to block inside the lock call; if it has not yet, it
    // meets the dead holder on arrival instead, which is the same outcome.
    std::thread::sleep(Duration::from_millis(100));
    kill(holder);

    assert_eq!(
        next(&heard, "the waiter's outcome"),
        format!("owner-died {holder_pid}")
    );
    assert!(finish(waiter).success());
    assert!(lock.try_lock().expect("the waiter recovered it").is_some());
}

#[test]
fn a_lock_taken_over_and_not_recovered_stays_poisoned_and_never_blocks() {
    let lock = Lock::new().expect("lock");
    let pair = Array::new(&[0_u32, 0]).expect("array");
    let mut holder = child(&["hold"], &[("lock", &pass(&lock)), ("pair", &pass(&pair))]);
    let holder_pid = holder.id();
    assert_eq!(next(&lines(&mut holder), "held"), "held");
    kill(holder);

    match lock.lock_timeout(DEADLINE) {
        Err(LockError::OwnerDied(died)) => drop(died),
        other => panic!("expected OwnerDied, got {other:?}"),
    }
    // Another thread, then this one, are told of the same dead holder, and take
    // the lock each time.
    std::thread::scope(|s| {
        s.spawn(|| match lock.lock_timeout(DEADLINE) {
            Err(LockError::OwnerDied(died)) => assert_eq!(died.pid(), Some(holder_pid)),
            other => panic!("another thread: expected OwnerDied, got {other:?}"),
        });
    });
    match lock.lock() {
        Err(LockError::OwnerDied(died)) => {
            assert_eq!(died.pid(), Some(holder_pid));
            drop(died.recover());
        }
        other => panic!("expected OwnerDied, got {other:?}"),
    }
    assert!(lock.lock().is_ok(), "recovered at last");
}

#[test]
fn locked_increments_from_several_processes_are_all_counted() {
    let counter = Value::new(0_u64).expect("value");
    let each = 20_000;
    let children: Vec<Child> = (0..3)
        .map(|_| child(&["add", &each.to_string()], &[("counter", &pass(&counter))]))
        .collect();
    for adder in children {
        assert!(finish(adder).success());
    }
    assert_eq!(counter.load(), 3 * each);
}

#[test]
fn unlocked_increments_never_count_more_than_were_made() {
    let counter = RawValue::new(0_u64).expect("value");
    let each = 20_000;
    let children: Vec<Child> = (0..3)
        .map(|_| {
            child(
                &["add-raw", &each.to_string()],
                &[("counter", &pass(&counter))],
            )
        })
        .collect();
    for adder in children {
        assert!(finish(adder).success());
    }
    // Lost updates can take the count below one child's share (a child that read
    // 0 may store 1 after the others' thousands), but every child's last store
    // lands in the shared memory, and nothing adds more than was made.
    let counted = counter.load();
    assert!(
        (1..=3 * each).contains(&counted),
        "{counted} counted of {} made",
        3 * each
    );
}

#[test]
fn the_course_example_prints_one_and_one_one_two_three() {
    let value = Value::new(0_i32).expect("value");
    let array = Array::new(&[0_i32, 1, 2, 3]).expect("array");
    let worker = child(
        &["course"],
        &[("value", &pass(&value)), ("array", &pass(&array))],
    );
    assert!(finish(worker).success());
    assert_eq!((value.load(), array.to_vec()), (1, vec![1, 1, 2, 3]));
}

#[test]
fn a_child_asking_for_another_type_is_refused() {
    let counter = Value::new(0_u32).expect("value");
    let adder = child(&["add", "1"], &[("counter", &pass(&counter))]);
    let status = finish(adder);
    assert_eq!(status.code(), Some(1), "a Value<u32> is no Value<u64>");
    assert_eq!(counter.load(), 0);
}

#[test]
fn nothing_shared_under_a_name_is_an_error_in_the_child() {
    let adder = child(&["add", "1"], &[]);
    assert_eq!(finish(adder).code(), Some(1));
}
