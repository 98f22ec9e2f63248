//! The process half's tools, timed under divan and run by `cargo xtask bench
//! ex05` beside Python's `multiprocessing` doing the same work (python_tools.py):
//! a Lock's uncontended acquire and release, locked increments of a Value from two
//! processes, items through a Queue to another process, a Pipe's round trip and a
//! Manager list's append, with a socketpair's one-byte round trip through `cat` as
//! the floor any of these round trips can reach.
//!
//! The other processes are the exercise's own binary playing a role (`EX05_CHILD`),
//! which cargo builds for this bench.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::process::{Child, Command, Stdio};

use divan::Bencher;
use divan::counter::ItemsCount;
use sync_kit::process::{CommandExt, Lock, Manager, Queue, Share, Value, pipe};

fn main() {
    divan::main();
}

const PROGRAM: &str = env!("CARGO_BIN_EXE_ex05-sharing-data");

/// The exercise's binary as a child playing `role`, given `what` as `name`.
fn child<S: Share>(role: &str, name: &str, what: &S) -> Child {
    Command::new(PROGRAM)
        .env("EX05_CHILD", role)
        .stdout(Stdio::null())
        .share(name, what)
        .expect("shared")
        .spawn()
        .expect("the child starts")
}

/// An uncontended acquire and release of the process Lock.
#[divan::bench(sample_count = 100, sample_size = 10_000)]
fn lock_acquire_release(bencher: Bencher<'_, '_>) {
    let lock = Lock::new().expect("a lock");
    bencher.bench_local(|| drop(lock.lock().expect("free")));
}

/// The same with std's (thread-only) Mutex, for scale.
#[divan::bench(sample_count = 100, sample_size = 10_000)]
fn std_mutex_acquire_release(bencher: Bencher<'_, '_>) {
    let mutex = std::sync::Mutex::new(0_u64);
    bencher.bench_local(|| drop(mutex.lock().expect("free")));
}

/// Increments each made by this process and a child at once.
const INCREMENTS: u64 = 100_000;

/// A locked increment of a Value, two processes incrementing at once.
#[divan::bench(sample_count = 10)]
fn value_locked_increment_two_processes(bencher: Bencher<'_, '_>) {
    bencher
        .counter(ItemsCount::new(2 * INCREMENTS))
        .with_inputs(|| {
            let value = Value::new(0_u64).expect("a value");
            let other = child(&format!("value-locked {INCREMENTS}"), "value", &value);
            (value, other)
        })
        .bench_local_values(|(value, mut other)| {
            for _ in 0..INCREMENTS {
                let mut guard = value.lock().expect("nobody died");
                let seen = guard.get();
                guard.set(seen + 1);
            }
            assert!(other.wait().expect("the child ends").success());
            assert_eq!(value.load(), 2 * INCREMENTS);
        });
}

/// Items put through a Queue and taken by another process.
const ITEMS: u64 = 100_000;

/// One item through a Queue to another process (put here, taken there).
#[divan::bench(sample_count = 10)]
fn queue_item_to_another_process(bencher: Bencher<'_, '_>) {
    bencher
        .counter(ItemsCount::new(ITEMS))
        .with_inputs(|| {
            let queue: Queue<Option<(u64, u64)>> = Queue::bounded(1024).expect("a queue");
            let other = child(&format!("drain {ITEMS}"), "queue", &queue);
            (queue, other)
        })
        .bench_local_values(|(queue, mut other)| {
            for n in 0..ITEMS {
                queue.put(&Some((1, n))).expect("put");
            }
            assert!(other.wait().expect("the child ends").success());
        });
}

/// A round trip over a Pipe: a string to a child and its answer back.
#[divan::bench(sample_count = 100, sample_size = 100)]
fn pipe_round_trip(bencher: Bencher<'_, '_>) {
    let (mut ours, theirs) = pipe::<String, (u32, String)>().expect("a pipe");
    let mut other = child("echo", "conn", &theirs);
    drop(theirs);
    let message = "data".to_owned();
    bencher.bench_local(|| {
        ours.send(&message).expect("sent");
        ours.recv().expect("answered")
    });
    drop(ours);
    assert!(other.wait().expect("the child ends").success());
}

/// The floor: one byte over a socketpair to `cat` and back.
#[divan::bench(sample_count = 100, sample_size = 100)]
fn socketpair_round_trip_floor(bencher: Bencher<'_, '_>) {
    let (mut ours, theirs) = UnixStream::pair().expect("a socketpair");
    let mut cat = Command::new("cat")
        .stdin(Stdio::from(std::os::fd::OwnedFd::from(
            theirs.try_clone().expect("dup"),
        )))
        .stdout(Stdio::from(std::os::fd::OwnedFd::from(theirs)))
        .spawn()
        .expect("cat starts");
    bencher.bench_local(|| {
        let mut byte = [1_u8];
        ours.write_all(&byte).expect("cat reads");
        ours.read_exact(&mut byte).expect("cat answers");
        byte
    });
    drop(ours);
    cat.wait().expect("cat ends");
}

/// One append to a Manager's list (a round trip to its server).
#[divan::bench(sample_count = 100, sample_size = 100)]
fn manager_list_append(bencher: Bencher<'_, '_>) {
    let manager = Manager::start_with(PROGRAM).expect("the server starts");
    let list = manager.list::<String>().expect("a list");
    let item = "data".to_owned();
    bencher.bench_local(|| list.append(&item).expect("appended"));
}
