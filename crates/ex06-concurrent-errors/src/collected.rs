//! The Errors collected across processes section: the course's Manager list,
//! into which each child process puts the error it caught, so the parent learns
//! every failure and its reason; the exit codes alone say only who failed.

use std::time::Duration;

use anyhow::{Context, anyhow};
use sync_kit::fmt::PyList;
use sync_kit::process::children::Children;
use sync_kit::process::{CommandExt, ListProxy, Manager, inherit};

use crate::jobs::Cancel;
use crate::values::divide;
use crate::{Args, ROLE_ENV, say};

/// What each child divides 10 by.
const DIVISORS: [u64; 5] = [5, 0, 2, 0, 4];

/// How long any call to the manager's server, or any child, may take.
const PATIENCE: Duration = Duration::from_secs(10);

/// Errors collected across processes.
pub(crate) fn show(_: &Args, _: &Cancel) -> anyhow::Result<()> {
    let manager = Manager::start().context("starting the manager")?;
    let errors: ListProxy<String> = manager.list()?;
    errors.set_timeout(Some(PATIENCE))?;
    let mut children = Children::new(ROLE_ENV);
    let mut pids = Vec::new();
    for n in DIVISORS {
        let pid = children.start("divide", &[n], |command| {
            command.share("errors", &errors).map(drop)
        })?;
        say(format_args!("started process {pid}: 10 / {n}"))?;
        pids.push(pid);
    }
    let mut codes = Vec::new();
    for pid in pids {
        let status = children
            .wait(pid, PATIENCE)?
            .with_context(|| format!("process {pid} was still running after {PATIENCE:?}"))?;
        codes.push(status.code().context("a child was killed by a signal")?);
    }
    say(format_args!(
        "exit codes: {}: they say who failed, not why",
        PyList(&codes)
    ))?;
    let mut collected: Vec<String> = errors.to_vec()?;
    collected.sort();
    let quoted: Vec<String> = collected.iter().map(|e| format!("'{e}'")).collect();
    say(format_args!("Exceptions encountered: {}", PyList(&quoted)))?;
    let failed = codes.iter().filter(|&&code| code != 0).count();
    Ok(say(format_args!(
        "{} processes, {failed} failed, {} errors collected: none lost",
        DIVISORS.len(),
        collected.len()
    ))?)
}

/// Child: `[n]`: divides 10 by `n`; on failure, puts the error in the shared
/// list, with its process id, and exits 1.
pub(crate) fn divide_role(numbers: &[u64]) -> anyhow::Result<()> {
    let &[n] = numbers else {
        return Err(anyhow!("a divider takes its divisor"));
    };
    let errors: ListProxy<String> = inherit("errors")?;
    if let Err(error) = divide(n) {
        errors.append(&format!("process {}: {error}", std::process::id()))?;
        std::process::exit(1);
    }
    Ok(())
}
