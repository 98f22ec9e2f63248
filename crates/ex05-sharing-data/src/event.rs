//! The Event section: waiters released only once the event is set.

use anyhow::anyhow;
use std::thread;
use sync_kit::Barrier;
use sync_kit::Event;

use crate::{Args, say};

/// Event: three waiters block until the main thread sets the event.
pub(crate) fn show(_: &Args) -> anyhow::Result<()> {
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
                    Ok(say(format_args!("waiter {waiter} released"))?)
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
