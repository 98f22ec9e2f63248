//! The RLock section: a lock its owner takes again, through a helper it calls while holding it.

use std::cell::Cell;
use sync_kit::RLock;

use crate::{Args, say, spawn_all};

/// RLock: a helper that takes the lock is called by code that already holds it.
pub(crate) fn show(args: &Args) -> anyhow::Result<()> {
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
    Ok(say(format_args!(
        "{threads} threads x {NESTED} nested updates: total = {} of {}",
        total.into_inner().get(),
        threads * NESTED
    ))?)
}
