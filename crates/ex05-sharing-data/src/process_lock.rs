//! The Lock (processes) section: a counter in shared memory updated by several
//! processes with no lock (updates are lost) and under a process Lock (none are),
//! then a holder killed inside the lock, whom the next locker finds dead and whose
//! half-done work it repairs.

use std::time::Duration;

use anyhow::{Context, bail};
use sync_kit::process::{Lock, LockError, RawArray, RawValue, inherit};

use crate::children::{Children, give, wait_for};
use crate::race::{self, Span};
use crate::{Args, say};

/// The two accounts the killed holder was moving money between; they always hold
/// this much together, except inside the lock.
const TOTAL: u64 = 100;

/// What the holder moves out of the first account before it is killed.
const MOVED: u64 = 10;

/// How long the parent waits for a child to reach a point it reports.
const PATIENCE: Duration = Duration::from_secs(10);

/// Lock, across processes: the counter without and with the lock, then the holder
/// killed inside it.
pub(crate) fn show(args: &Args) -> anyhow::Result<()> {
    let (processes, each) = (args.processes, args.increments);
    let total = processes * each;
    let mut children = Children::default();

    let counter = RawValue::new(0_u64)?;
    let spans = race_in_children(
        &mut children,
        "count-unlocked",
        processes,
        each,
        &[("counter", &give(&counter))],
    )?;
    let lost = race::lost(counter.load(), total, &spans, "processes");
    say(format_args!(
        "unlocked: {processes} processes x {each} increments: counter = {} of {total} ({lost})",
        counter.load()
    ))?;

    let lock = Lock::new()?;
    let counter = RawValue::new(0_u64)?;
    for _ in 0..processes {
        children.start(
            "count-locked",
            &[each],
            &[("lock", &give(&lock)), ("counter", &give(&counter))],
        )?;
    }
    children.wait_all()?;
    say(format_args!(
        "locked: {processes} processes x {each} increments: counter = {} of {total}",
        counter.load()
    ))?;

    // A transfer between two accounts, under the lock: the holder takes MOVED out
    // of `a` and is killed before it puts it into `b`.
    let accounts = RawArray::new(&[TOTAL, 0])?;
    let holder = children.start(
        "hold",
        &[],
        &[("lock", &give(&lock)), ("accounts", &give(&accounts))],
    )?;
    wait_for("the holder's withdrawal", PATIENCE, || {
        accounts.load(0) == TOTAL - MOVED
    })?;
    let (a, b) = (accounts.load(0), accounts.load(1));
    say(format_args!(
        "holder {holder} took the lock and moved {MOVED} out of a: a = {a}, b = {b}"
    ))?;
    args.linger();
    children.kill(holder)?;
    say(format_args!("holder {holder} killed inside the lock"))?;

    let died = match lock.lock_timeout(PATIENCE) {
        Err(LockError::OwnerDied(died)) => died,
        Ok(Some(_)) => bail!("the lock came back clean after its holder was killed inside it"),
        Ok(None) => bail!("the lock stayed held after its holder was killed"),
        Err(other) => return Err(anyhow::anyhow!("{other}")),
    };
    let dead = died
        .pid()
        .map_or_else(|| "a process".to_owned(), |pid| format!("process {pid}"));
    let (a, b) = (accounts.load(0), accounts.load(1));
    say(format_args!(
        "next locker: {dead} died holding the lock; a = {a}, b = {b}: a + b = {} of {TOTAL}",
        a + b
    ))?;
    // The repair: whatever left `a` and never reached `b` is put into `b`.
    accounts.store(1, TOTAL - a);
    let _guard = died.recover();
    let (a, b) = (accounts.load(0), accounts.load(1));
    Ok(say(format_args!(
        "repaired: a = {a}, b = {b}: a + b = {} of {TOTAL}",
        a + b
    ))?)
}

/// Starts `processes` children playing `role` (an unlocked increment loop) with
/// `each` increments, waits for them, and returns when each ran.
pub(crate) fn race_in_children(
    children: &mut Children,
    role: &str,
    processes: u64,
    each: u64,
    shared: &[crate::children::Given<'_>],
) -> anyhow::Result<Vec<Span>> {
    let spans = RawArray::new(&vec![0_u64; 2 * processes as usize])?;
    let spans_given = give(&spans);
    let mut all: Vec<_> = shared.to_vec();
    all.push(("spans", &spans_given));
    for index in 0..processes {
        children.start(role, &[index, each], &all)?;
    }
    children.wait_all()?;
    let spans = spans.to_vec();
    Ok(spans.chunks(2).map(|pair| (pair[0], pair[1])).collect())
}

/// Child: `[index, each]`: `each` unlocked increments of the shared `counter`,
/// recording when it ran in `spans`.
pub(crate) fn count_unlocked(numbers: &[u64]) -> anyhow::Result<()> {
    let counter: RawValue<u64> = inherit("counter")?;
    race_loop(numbers, || counter.load(), |value| counter.store(value))
}

/// The unlocked loop every racing child runs: `[index, each]`, reading and writing
/// with `load` and `store`, its start and end written to the shared `spans`.
pub(crate) fn race_loop(
    numbers: &[u64],
    load: impl Fn() -> u64,
    store: impl Fn(u64),
) -> anyhow::Result<()> {
    let &[index, each] = numbers else {
        bail!("an unlocked counter takes its index and its increments");
    };
    let spans: RawArray<u64> = inherit("spans")?;
    let index = usize::try_from(index).context("index")?;
    if 2 * index + 1 >= spans.len() {
        bail!("index {index} is past the spans shared");
    }
    spans.store(2 * index, race::now());
    for _ in 0..each {
        store(race::increment(load()));
    }
    spans.store(2 * index + 1, race::now());
    Ok(())
}

/// Child: `[each]`: `each` increments of the shared `counter` under the `lock`.
pub(crate) fn count_locked(numbers: &[u64]) -> anyhow::Result<()> {
    let &[each] = numbers else {
        bail!("a locked counter takes its increments");
    };
    let lock: Lock = inherit("lock")?;
    let counter: RawValue<u64> = inherit("counter")?;
    for _ in 0..each {
        let _guard = lock.lock().map_err(|e| anyhow::anyhow!("{e}"))?;
        counter.store(counter.load() + 1);
    }
    Ok(())
}

/// Child: takes the `lock`, moves MOVED out of the first of the `accounts`, and
/// waits there, holding the lock, to be killed.
pub(crate) fn hold(_: &[u64]) -> anyhow::Result<()> {
    let lock: Lock = inherit("lock")?;
    let accounts: RawArray<u64> = inherit("accounts")?;
    let _guard = lock.lock().map_err(|e| anyhow::anyhow!("{e}"))?;
    accounts.store(0, accounts.load(0) - MOVED);
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
