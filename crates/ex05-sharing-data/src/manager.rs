//! The Manager (processes) section: a server process that owns a shared list;
//! the course's example (a child appends `'data'`: `['data']`), several processes
//! appending to the one list, and the server ending with its manager.

use std::collections::BTreeSet;
use std::time::Duration;

use anyhow::{anyhow, bail};
use sync_kit::fmt::PyList;
use sync_kit::process::{ListProxy, Manager, inherit};

use crate::children::{Children, give};
use crate::{Args, say};

/// Appends each of those processes makes.
const APPENDS: u64 = 100;

/// How long a call to the server may take before the section gives up.
const PATIENCE: Duration = Duration::from_secs(10);

/// Manager, across processes.
pub(crate) fn show(args: &Args) -> anyhow::Result<()> {
    let manager = Manager::start()?;
    let server = manager.pid();
    let mut children = Children::default();

    let list: ListProxy<String> = manager.list()?;
    list.set_timeout(Some(PATIENCE))?;
    children.start("append-data", &[], &[("list", &give(&list))])?;
    children.wait_all()?;
    let quoted: Vec<String> = list
        .to_vec()?
        .iter()
        .map(|item| format!("'{item}'"))
        .collect();
    say(format_args!("{}", PyList(&quoted)))?;

    let processes = args.processes;
    let list: ListProxy<String> = manager.list()?;
    list.set_timeout(Some(PATIENCE))?;
    for index in 1..=processes {
        children.start("append-many", &[index, APPENDS], &[("list", &give(&list))])?;
    }
    children.wait_all()?;
    let items = list.to_vec()?;
    let distinct: BTreeSet<&String> = items.iter().collect();
    let once = if distinct.len() == items.len() {
        "each once".to_owned()
    } else {
        format!("{} repeated", items.len() - distinct.len())
    };
    say(format_args!(
        "{processes} processes x {APPENDS} appends: list has {} items, {once}",
        items.len()
    ))?;

    drop(list);
    args.linger();
    drop(manager);
    if std::path::Path::new(&format!("/proc/{server}")).exists() {
        bail!("the manager's server {server} outlived its manager");
    }
    Ok(say(format_args!("server {server} ended with its manager"))?)
}

/// Child: the course's worker, `shared_list.append('data')`.
pub(crate) fn append_data(_: &[u64]) -> anyhow::Result<()> {
    let list: ListProxy<String> = inherit("list")?;
    list.append(&"data".to_owned())?;
    Ok(())
}

/// Child: `[index, appends]`: appends `index:1` to `index:appends`.
pub(crate) fn append_many(numbers: &[u64]) -> anyhow::Result<()> {
    let &[index, appends] = numbers else {
        return Err(anyhow!("an appender takes its index and its appends"));
    };
    let list: ListProxy<String> = inherit("list")?;
    for n in 1..=appends {
        list.append(&format!("{index}:{n}"))?;
    }
    Ok(())
}
