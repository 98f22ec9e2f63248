//! The process half's other processes: this program started again as a child
//! with a role (sync-kit's [`children`]; the roles are listed in `main`), the
//! primitives it needs shared by name, and a guard that leaves no child running,
//! whatever happens to the section that started them.
//!
//! Children report to their parent only through what was shared with them, never
//! on stdout, so the lines a section prints are the parent's, in the order it saw
//! things happen.

use std::process::Command;
use std::time::Duration;

use sync_kit::process::children;
use sync_kit::process::{CommandExt, Share};

/// The environment variable that carries a child's role.
pub(crate) const ROLE_ENV: &str = "EX05_CHILD";

/// The children a section started: each is killed and reaped when this is
/// dropped, unless it was waited for already.
#[derive(Debug)]
pub(crate) struct Children(children::Children);

impl Default for Children {
    fn default() -> Self {
        Self(children::Children::new(ROLE_ENV))
    }
}

/// What a child is given: a primitive, under a name, for [`Children::start`].
pub(crate) type Given<'a> = (
    &'a str,
    &'a dyn Fn(&mut Command, &str) -> std::io::Result<()>,
);

/// Shares `what` with a command, for [`Given`].
pub(crate) fn give<S: Share>(what: &S) -> impl Fn(&mut Command, &str) -> std::io::Result<()> + '_ {
    move |command, name| command.share(name, what).map(drop)
}

impl Children {
    /// Starts this program again as a child playing `role` with `numbers`, given
    /// `shared`; returns its process id.
    pub(crate) fn start(
        &mut self,
        role: &str,
        numbers: &[u64],
        shared: &[Given<'_>],
    ) -> anyhow::Result<u32> {
        Ok(self.0.start(role, numbers, |command| {
            shared.iter().try_for_each(|(name, share)| {
                share(command, name).map_err(|e| {
                    std::io::Error::new(e.kind(), format!("sharing `{name}` with a child: {e}"))
                })
            })
        })?)
    }

    /// Waits for every child to end, and fails unless each exited with 0.
    pub(crate) fn wait_all(&mut self) -> anyhow::Result<()> {
        Ok(self.0.wait_all()?)
    }

    /// Kills child `pid` with SIGKILL and reaps it.
    pub(crate) fn kill(&mut self, pid: u32) -> anyhow::Result<()> {
        Ok(self.0.kill(pid)?)
    }
}

/// Polls `ready` until it is true, failing after `limit`: how a parent waits for a
/// child to reach a point it reports through shared memory.
pub(crate) fn wait_for(
    what: &str,
    limit: Duration,
    ready: impl FnMut() -> bool,
) -> anyhow::Result<()> {
    Ok(children::wait_for(what, limit, ready)?)
}
