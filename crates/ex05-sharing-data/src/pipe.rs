//! The Pipe (processes) section: a round trip between this process and a child
//! over a duplex pipe, then end-of-file when the child is killed.

use std::time::Duration;

use anyhow::{anyhow, bail};
use sync_kit::process::{Connection, RecvError, inherit, pipe};

use crate::children::{Children, give};
use crate::{Args, say};

/// How long the parent waits for the child's answer.
const PATIENCE: Duration = Duration::from_secs(10);

/// Pipe, across processes.
pub(crate) fn show(args: &Args) -> anyhow::Result<()> {
    let mut children = Children::default();
    let (mut ours, theirs) = pipe::<String, (u32, String)>()?;
    let child = children.start("echo", &[], &[("conn", &give(&theirs))])?;
    // Only the child holds its end now, so its death closes the pipe.
    drop(theirs);
    let sent = "data".to_owned();
    say(format_args!("parent sent {sent:?} to child {child}"))?;
    ours.send(&sent)?;
    let (from, back) = ours
        .recv_timeout(PATIENCE)
        .map_err(|e| anyhow!("the answer: {e}"))?;
    say(format_args!(
        "parent received {back:?} back from child {from}"
    ))?;
    args.linger();
    children.kill(child)?;
    say(format_args!("child {child} killed"))?;
    match ours.recv_timeout(PATIENCE) {
        Err(RecvError::Closed) => Ok(say(format_args!("parent's recv: end of file"))?),
        Err(e) => bail!("after the kill: {e}"),
        Ok(message) => bail!("after the kill, a message: {message:?}"),
    }
}

/// Child: sends back every message it receives, with its own process id, until
/// the pipe closes.
pub(crate) fn echo(_: &[u64]) -> anyhow::Result<()> {
    let mut conn: Connection<(u32, String), String> = inherit("conn")?;
    loop {
        match conn.recv() {
            Ok(text) => conn.send(&(std::process::id(), text))?,
            Err(e) if e.is_closed() => return Ok(()),
            Err(e) => return Err(e.into()),
        }
    }
}
