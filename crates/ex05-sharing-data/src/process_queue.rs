//! The Queue (processes) section: producer and consumer processes that share
//! nothing but a bounded process Queue, every item taken exactly once; then a
//! producer killed halfway through a put, which leaves no torn item behind.

use std::collections::BTreeSet;
use std::time::Duration;

use anyhow::{anyhow, bail};
use sync_kit::process::{Queue, QueueError, RawValue, inherit};

use crate::children::{Children, give, wait_for};
use crate::{Args, say};

/// Producer processes, items each, consumer processes.
const PRODUCERS: u64 = 2;
const EACH: u64 = 1000;
const CONSUMERS: u64 = 2;

/// An item: its producer and its number; `None` tells a consumer to stop.
type Item = Option<(u64, u64)>;

/// What a consumer sends back: its number and the items it took.
type Taken = (u64, Vec<(u64, u64)>);

/// How long the parent waits for anything a child does.
const PATIENCE: Duration = Duration::from_secs(10);

/// Queue, across processes.
pub(crate) fn show(args: &Args) -> anyhow::Result<()> {
    let mut children = Children::default();
    let queue: Queue<Item> = Queue::bounded(16)?;
    let results: Queue<Taken> = Queue::new()?;
    for consumer in 1..=CONSUMERS {
        children.start(
            "consume",
            &[consumer],
            &[("queue", &give(&queue)), ("results", &give(&results))],
        )?;
    }
    let mut producers = Children::default();
    for producer in 1..=PRODUCERS {
        producers.start("produce", &[producer, EACH], &[("queue", &give(&queue))])?;
    }
    producers.wait_all()?;
    for _ in 0..CONSUMERS {
        queue
            .put_timeout(&None, PATIENCE)
            .map_err(|e| anyhow!("ending a consumer: {e}"))?;
    }
    let mut reports = Vec::new();
    for _ in 0..CONSUMERS {
        reports.push(
            results
                .get_timeout(PATIENCE)
                .map_err(|e| anyhow!("a consumer's report: {e}"))?,
        );
    }
    children.wait_all()?;
    reports.sort_by_key(|(consumer, _)| *consumer);
    let mut seen = BTreeSet::new();
    let mut repeated = 0;
    for (consumer, items) in &reports {
        say(format_args!(
            "consumer {consumer} took {} items",
            items.len()
        ))?;
        repeated += items.iter().filter(|item| !seen.insert(**item)).count();
    }
    let taken: usize = reports.iter().map(|(_, items)| items.len()).sum();
    let once = if repeated == 0 {
        "each once".to_owned()
    } else {
        format!("{repeated} taken twice")
    };
    say(format_args!(
        "{PRODUCERS} producers x {EACH} items: {taken} taken, {once}"
    ))?;

    // A producer that puts one item whole, then is killed halfway through its
    // second put, holding the queue's lock.
    let stalled = RawValue::new(false)?;
    let producer = children.start(
        "stall-put",
        &[],
        &[("queue", &give(&queue)), ("stalled", &give(&stalled))],
    )?;
    wait_for("the producer's stall", PATIENCE, || stalled.load())?;
    args.linger();
    children.kill(producer)?;
    say(format_args!(
        "producer {producer} killed halfway through its second put"
    ))?;
    let first = queue
        .get_timeout(PATIENCE)
        .map_err(|e| anyhow!("after the kill: {e}"))?;
    let second = match queue.try_get() {
        Err(QueueError::Empty) => "nothing".to_owned(),
        Ok(item) => format!("{item:?}"),
        Err(e) => bail!("after the kill: {e}"),
    };
    let (producer_of, number) = first.ok_or_else(|| anyhow!("the first item was an end marker"))?;
    Ok(say(format_args!(
        "after: got item {number} of producer {producer_of}, then {second}: {} repair, no torn item",
        queue.repairs()
    ))?)
}

/// Child: `[producer, each]`: puts `(producer, 1)` to `(producer, each)`.
pub(crate) fn produce(numbers: &[u64]) -> anyhow::Result<()> {
    let &[producer, each] = numbers else {
        bail!("a producer takes its number and its items");
    };
    let queue: Queue<Item> = inherit("queue")?;
    for number in 1..=each {
        queue.put(&Some((producer, number)))?;
    }
    Ok(())
}

/// Child: `[consumer]`: takes items until `None`, then sends what it took to
/// `results`.
pub(crate) fn consume(numbers: &[u64]) -> anyhow::Result<()> {
    let &[consumer] = numbers else {
        bail!("a consumer takes its number");
    };
    let queue: Queue<Item> = inherit("queue")?;
    let results: Queue<Taken> = inherit("results")?;
    let mut taken = Vec::new();
    while let Some(item) = queue.get()? {
        taken.push(item);
    }
    results.put(&(consumer, taken))?;
    Ok(())
}

/// Child: puts item 1 whole, then stalls halfway through putting item 2, holding
/// the queue's lock, and sets `stalled`.
pub(crate) fn stall_put(_: &[u64]) -> anyhow::Result<()> {
    let queue: Queue<Item> = inherit("queue")?;
    let stalled: RawValue<bool> = inherit("stalled")?;
    let me = u64::from(std::process::id());
    queue.put(&Some((me, 1)))?;
    Err(queue
        .stall_mid_put(&Some((me, 2)), || stalled.store(true))
        .into())
}

/// Child: `[count]`: takes `count` items from `queue` (the benchmark's consumer).
pub(crate) fn drain(numbers: &[u64]) -> anyhow::Result<()> {
    let &[count] = numbers else {
        bail!("a drain takes its count");
    };
    let queue: Queue<Item> = inherit("queue")?;
    for _ in 0..count {
        queue.get()?;
    }
    Ok(())
}
