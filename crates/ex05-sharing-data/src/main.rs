//! Exercise 5: the tools for sharing data safely, each in a small real scenario.
//!
//! The course's answer lists Python's tools with empty `with lock: pass` bodies. Here
//! each tool does a real job under real contention, and prints a section whose
//! result lines can be checked (`cargo xtask check ex05`): a counter that loses
//! updates without a lock and none with one, a reentrant lock taken twice by its
//! owner, a consumer that takes exactly what a producer added, a semaphore that never
//! admits more threads than it has permits, an event that releases its waiters only
//! once it is set, and a queue whose `join` returns once every item is done.
//!
//! Lines that report a cause are printed *before* the action (`event set`, then
//! `set()`), and lines that report an effect after it, or under the same lock, so the
//! order of the lines is an order the events really happened in.

use std::cell::Cell;
use std::collections::{BTreeSet, VecDeque};
use std::io::{self, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use anyhow::{Context, anyhow};
use clap::Parser;
use sync_kit::fmt::PyList;
use sync_kit::{Barrier, BoundedSemaphore, Condition, Event, Queue, RLock, Semaphore};

/// Shows each of Python's tools for sharing data between threads (Lock, RLock,
/// Condition, Semaphore, Event, Queue) at work, one labelled section each.
#[derive(Debug, Parser)]
#[command(version, after_help = AFTER_HELP)]
struct Args {
    /// Threads that update the shared counters (Lock and RLock sections).
    #[arg(long, value_name = "T", default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=64))]
    threads: u64,

    /// Increments each of those threads makes.
    #[arg(long, value_name = "N", default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    increments: u64,
}

const AFTER_HELP: &str = "\
The Lock section also runs the counter without a lock: how many updates it loses changes from run to run.
Check a run's output with:  cargo run -q -p ex05-sharing-data | cargo xtask check ex05 -";

/// One section: its title and the scenario that prints it.
type Section = (&'static str, fn(&Args) -> anyhow::Result<()>);

/// The thread half of question 5; the process half adds its sections here.
const SECTIONS: &[Section] = &[
    ("Lock", lock),
    ("RLock", rlock),
    ("Condition", condition),
    ("Semaphore", semaphore),
    ("Event", event),
    ("Queue", queue),
];

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    for (title, show) in SECTIONS {
        say(format_args!("== {title} =="))?;
        show(&args).with_context(|| format!("in the {title} section"))?;
    }
    Ok(())
}

/// Prints one line. stdout's lock makes each line whole, whichever thread prints.
fn say(line: std::fmt::Arguments<'_>) -> anyhow::Result<()> {
    writeln!(io::stdout().lock(), "{line}").context("writing to stdout")
}

/// Runs `count` threads of `body` (given its index, from 1) and returns their
/// results, failing if any failed or panicked.
fn spawn_all<T: Send>(
    count: u64,
    body: impl Fn(u64) -> anyhow::Result<T> + Sync,
) -> anyhow::Result<Vec<T>> {
    thread::scope(|scope| {
        let handles: Vec<_> = (1..=count)
            .map(|index| {
                let body = &body;
                scope.spawn(move || body(index))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().map_err(|_| anyhow!("a thread panicked"))?)
            .collect()
    })
}

/// Lock: a shared counter, first updated in two steps with no lock (a read, then a
/// write: another thread's update in between is lost), then under a lock.
fn lock(args: &Args) -> anyhow::Result<()> {
    let (threads, each) = (args.threads, args.increments);
    let total = threads * each;

    // The threads start together, so that their updates really overlap.
    let start = Barrier::new(threads as usize);
    let racy = AtomicU64::new(0);
    spawn_all(threads, |_| {
        let _ = start.wait();
        for _ in 0..each {
            // Each step is atomic, the pair is not: Python's `counter += 1` without
            // a lock, written so that Rust accepts it.
            let seen = racy.load(Ordering::Relaxed);
            racy.store(seen + 1, Ordering::Relaxed);
        }
        Ok(())
    })?;
    let counter = racy.into_inner();
    say(format_args!(
        "unlocked: {threads} threads x {each} increments: counter = {counter} of {total}"
    ))?;

    let locked = Mutex::new(0u64);
    spawn_all(threads, |_| {
        let _ = start.wait();
        for _ in 0..each {
            *locked.lock().map_err(|_| anyhow!("a holder panicked"))? += 1;
        }
        Ok(())
    })?;
    let counter = locked
        .into_inner()
        .map_err(|_| anyhow!("a holder panicked"))?;
    say(format_args!(
        "locked: {threads} threads x {each} increments: counter = {counter} of {total}"
    ))
}

/// RLock: a helper that takes the lock is called by code that already holds it.
fn rlock(args: &Args) -> anyhow::Result<()> {
    const NESTED: u64 = 1000;
    let total = RLock::new(Cell::new(0u64));
    // Takes the lock itself, so it is safe to call with or without holding it.
    let add_one = |total: &RLock<Cell<u64>>| {
        let guard = total.lock();
        guard.set(guard.get() + 1);
        total.held_by_current_thread()
    };

    let depth = {
        let _outer = total.lock();
        add_one(&total)
    };
    say(format_args!("owner re-entered: depth {depth}"))?;
    total.lock().set(0);

    spawn_all(args.threads, |_| {
        for _ in 0..NESTED {
            let guard = total.lock();
            add_one(&total);
            drop(guard);
        }
        Ok(())
    })?;
    let threads = args.threads;
    say(format_args!(
        "{threads} threads x {NESTED} nested updates: total = {} of {}",
        total.into_inner().get(),
        threads * NESTED
    ))
}

/// Condition: a consumer waits until the producer has added an item, five times.
fn condition(_: &Args) -> anyhow::Result<()> {
    const ITEMS: u64 = 5;
    let items = Condition::new(VecDeque::new());
    let (produced, taken) = thread::scope(|scope| {
        let producer = scope.spawn(|| -> anyhow::Result<()> {
            for item in 1..=ITEMS {
                let mut queue = items.lock();
                queue.push_back(item);
                say(format_args!("added {item}"))?;
                queue.notify_one();
                drop(queue);
                thread::sleep(Duration::from_millis(1));
            }
            Ok(())
        });
        let consumer = scope.spawn(|| -> anyhow::Result<Vec<u64>> {
            let mut taken = Vec::new();
            while taken.len() < ITEMS as usize {
                let mut queue = items.lock();
                queue.wait_while(|queue| queue.is_empty());
                while let Some(item) = queue.pop_front() {
                    say(format_args!("took {item}"))?;
                    taken.push(item);
                }
            }
            Ok(taken)
        });
        (producer.join(), consumer.join())
    });
    produced.map_err(|_| anyhow!("the producer panicked"))??;
    let taken = taken.map_err(|_| anyhow!("the consumer panicked"))??;
    say(format_args!("consumer took {}", PyList(&taken)))
}

/// Semaphore: six threads share two permits; the most inside at once is measured.
/// Then a bounded semaphore refuses a release it never gave out.
fn semaphore(_: &Args) -> anyhow::Result<()> {
    const THREADS: u64 = 6;
    const PERMITS: usize = 2;
    let permits = Semaphore::new(PERMITS);
    let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
    spawn_all(THREADS, |_| {
        let _permit = permits.acquire();
        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
        most.fetch_max(now, Ordering::SeqCst);
        thread::sleep(Duration::from_millis(2));
        inside.fetch_sub(1, Ordering::SeqCst);
        Ok(())
    })?;
    let most = most.into_inner();
    say(format_args!(
        "{THREADS} threads, {PERMITS} permits: at most {most} inside at once"
    ))?;

    let bounded = BoundedSemaphore::new(PERMITS);
    match bounded.release() {
        Err(_) => say(format_args!(
            "bounded: release past {PERMITS} permits refused"
        )),
        Ok(()) => say(format_args!(
            "bounded: release past {PERMITS} permits accepted"
        )),
    }
}

/// Event: three waiters block until the main thread sets the event.
fn event(_: &Args) -> anyhow::Result<()> {
    const WAITERS: u64 = 3;
    let event = Event::new();
    // The waiters and the main thread meet once every waiter has said it waits.
    let ready = Barrier::new(WAITERS as usize + 1);
    thread::scope(|scope| {
        let waiters: Vec<_> = (1..=WAITERS)
            .map(|waiter| {
                let (event, ready) = (&event, &ready);
                scope.spawn(move || -> anyhow::Result<()> {
                    let said = say(format_args!("waiter {waiter} waiting"));
                    let _ = ready.wait();
                    said?;
                    event.wait();
                    say(format_args!("waiter {waiter} released"))
                })
            })
            .collect();
        let _ = ready.wait();
        // Said before it is done, so no waiter's line can come before this one.
        let said = say(format_args!("event set"));
        event.set();
        said?;
        waiters
            .into_iter()
            .try_for_each(|w| w.join().map_err(|_| anyhow!("a waiter panicked"))?)
    })
}

/// Queue: three producers put four items each into a queue of two slots; two
/// consumers take them; `join` returns once every item has been marked done.
fn queue(_: &Args) -> anyhow::Result<()> {
    const PRODUCERS: u64 = 3;
    const EACH: u64 = 4;
    const CONSUMERS: u64 = 2;
    let queue = Queue::bounded(2);
    let (unfinished, taken) = thread::scope(|scope| {
        let consumers: Vec<_> = (1..=CONSUMERS)
            .map(|_| {
                let queue = &queue;
                scope.spawn(move || {
                    let mut taken = Vec::new();
                    // `None` is the signal to stop.
                    while let Some(item) = queue.get() {
                        taken.push(item);
                        queue.task_done()?;
                    }
                    queue.task_done()?;
                    Ok::<_, sync_kit::TaskDoneError>(taken)
                })
            })
            .collect();
        let producers: Vec<_> = (1..=PRODUCERS)
            .map(|producer| {
                let queue = &queue;
                scope.spawn(move || {
                    for item in 1..=EACH {
                        queue.put(Some((producer, item)));
                    }
                })
            })
            .collect();
        for producer in producers {
            producer
                .join()
                .map_err(|_| anyhow!("a producer panicked"))?;
        }
        queue.join();
        let unfinished = queue.unfinished_tasks();
        for _ in 0..CONSUMERS {
            queue.put(None);
        }
        let taken = consumers
            .into_iter()
            .map(|c| {
                c.join()
                    .map_err(|_| anyhow!("a consumer panicked"))?
                    .map_err(Into::into)
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        anyhow::Ok((unfinished, taken))
    })?;

    say(format_args!("join returned: {unfinished} unfinished"))?;
    for (consumer, items) in taken.iter().enumerate() {
        say(format_args!(
            "consumer {} took {} items",
            consumer + 1,
            items.len()
        ))?;
    }
    let all: Vec<_> = taken.iter().flatten().copied().collect();
    let distinct: BTreeSet<_> = all.iter().copied().collect();
    let produced: BTreeSet<_> = (1..=PRODUCERS)
        .flat_map(|p| (1..=EACH).map(move |i| (p, i)))
        .collect();
    let verdict = if distinct == produced && all.len() == produced.len() {
        "each once"
    } else {
        "NOT each once"
    };
    say(format_args!(
        "{PRODUCERS} producers x {EACH} items: {} taken, {verdict}",
        all.len()
    ))
}
