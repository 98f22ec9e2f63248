//! The Queue section: producers and consumers that share nothing but a bounded queue, and its `join`.

use anyhow::anyhow;
use std::collections::BTreeSet;
use std::thread;
use sync_kit::Queue;

use crate::{Args, say};

/// Queue: three producers put four items each into a queue of two slots; two
/// consumers take them; `join` returns once every item has been marked done.
pub(crate) fn show(_: &Args) -> anyhow::Result<()> {
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
    Ok(say(format_args!(
        "{PRODUCERS} producers x {EACH} items: {} taken, {verdict}",
        all.len()
    ))?)
}
