//! `cargo xtask loom`: sync-kit's loom models, run the one way that is right
//! (`runner::cargo::loom_command` says how, and why).

use runner::cargo::loom_command;

use crate::workspace_root;

/// Runs the models; `Ok(true)` when every model passes and every negative control is caught.
pub(crate) fn loom() -> anyhow::Result<bool> {
    let root = workspace_root();
    let status = loom_command(&root, &root.join("target/loom"))?.status()?;
    Ok(status.success())
}
