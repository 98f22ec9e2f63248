//! The Condition section: a consumer that waits until the producer has added an item.

use anyhow::anyhow;
use std::collections::VecDeque;
use std::thread;
use std::time::Duration;
use sync_kit::Condition;
use sync_kit::fmt::PyList;

use crate::{Args, say};

/// Condition: a consumer waits until the producer has added an item, five times.
pub(crate) fn show(_: &Args) -> anyhow::Result<()> {
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
    Ok(say(format_args!("consumer took {}", PyList(&taken)))?)
}
