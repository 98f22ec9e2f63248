//! The Value and Array (processes) section: the course's example (a child adds 1
//! to a shared Value and to an Array's first element: `1 [1, 1, 2, 3]`), then
//! `value += 1` from several processes without and with the Value's own lock.

use anyhow::bail;
use sync_kit::fmt::PyList;
use sync_kit::process::{Array, Value, inherit};

use crate::children::{Children, give};
use crate::process_lock::{race_in_children, race_loop};
use crate::race;
use crate::{Args, say};

/// Value and Array, across processes.
pub(crate) fn show(args: &Args) -> anyhow::Result<()> {
    let (processes, each) = (args.processes, args.increments);
    let total = processes * each;
    let mut children = Children::default();

    let value = Value::new(0_i32)?;
    let array = Array::new(&[0_i32, 1, 2, 3])?;
    children.start(
        "course",
        &[],
        &[("value", &give(&value)), ("array", &give(&array))],
    )?;
    children.wait_all()?;
    say(format_args!("{} {}", value.load(), PyList(&array.to_vec())))?;

    let value = Value::new(0_u64)?;
    let spans = race_in_children(
        &mut children,
        "value-unlocked",
        processes,
        each,
        &[("value", &give(&value))],
    )?;
    let lost = race::lost(value.load(), total, &spans, "processes");
    say(format_args!(
        "value += 1 without get_lock(): {processes} processes x {each}: value = {} of {total} ({lost})",
        value.load()
    ))?;

    let value = Value::new(0_u64)?;
    for _ in 0..processes {
        children.start("value-locked", &[each], &[("value", &give(&value))])?;
    }
    children.wait_all()?;
    Ok(say(format_args!(
        "value += 1 with get_lock(): {processes} processes x {each}: value = {} of {total}",
        value.load()
    ))?)
}

/// Child: the course's worker, `value += 1` and `array[0] += 1`, each under its
/// own lock.
pub(crate) fn course(_: &[u64]) -> anyhow::Result<()> {
    let value: Value<i32> = inherit("value")?;
    let array: Array<i32> = inherit("array")?;
    {
        let mut guard = value.lock().map_err(|e| anyhow::anyhow!("{e}"))?;
        let seen = guard.get();
        guard.set(seen + 1);
    }
    let mut guard = array.lock().map_err(|e| anyhow::anyhow!("{e}"))?;
    let first = guard.get(0);
    guard.set(0, first + 1);
    Ok(())
}

/// Child: `[index, each]`: `value += 1` as Python's `value.value += 1` does it, a
/// read and a write each atomic, with no lock around the pair.
pub(crate) fn add_unlocked(numbers: &[u64]) -> anyhow::Result<()> {
    let value: Value<u64> = inherit("value")?;
    race_loop(numbers, || value.load(), |new| value.store(new))
}

/// Child: `[each]`: `value += 1` under `with value.get_lock():`.
pub(crate) fn add_locked(numbers: &[u64]) -> anyhow::Result<()> {
    let &[each] = numbers else {
        bail!("a locked counter takes its increments");
    };
    let value: Value<u64> = inherit("value")?;
    for _ in 0..each {
        let mut guard = value.lock().map_err(|e| anyhow::anyhow!("{e}"))?;
        let seen = guard.get();
        guard.set(seen + 1);
    }
    Ok(())
}
