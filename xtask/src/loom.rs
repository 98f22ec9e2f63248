//! `cargo xtask loom`: sync-kit's loom models, run the one way that is right.
//!
//! loom replaces std's primitives only under `--cfg loom`, and only sync-kit's
//! `tests/loom_*.rs` models may be built that way, in a target directory of their
//! own so that the ordinary build is never rebuilt with the flag (design §8). The
//! preemption bound comes from `LOOM_MAX_PREEMPTIONS` (the models default it to 3);
//! `LOOM_MAX_DURATION` and `LOOM_MAX_PERMUTATIONS` are refused, because they turn an
//! unfinished exploration into a silent pass. The grader runs a student's models
//! with the same [`command`].

use std::path::Path;
use std::process::Command;

use anyhow::bail;
use test_kit::cargo::cargo_program;

use crate::workspace_root;

/// Runs the models; `Ok(true)` when every model passes and every negative control is caught.
pub(crate) fn loom() -> anyhow::Result<bool> {
    let root = workspace_root();
    let status = command(&root, &root.join("target/loom"))?.status()?;
    Ok(status.success())
}

/// The `cargo test` of the loom models of the workspace at `root`, built in
/// `target_dir`. Refuses when an environment variable would cut the exploration short.
pub(crate) fn command(root: &Path, target_dir: &Path) -> anyhow::Result<Command> {
    for cutoff in ["LOOM_MAX_DURATION", "LOOM_MAX_PERMUTATIONS"] {
        if std::env::var_os(cutoff).is_some() {
            bail!(
                "{cutoff} is set: it would end the exploration early and report a pass; unset it"
            );
        }
    }
    let mut cargo = Command::new(cargo_program());
    // `--nocapture` shows each model's interleaving count and each control's caught
    // panic; one thread keeps those lines in test order.
    cargo
        .current_dir(root)
        .args(["test", "-p", "sync-kit", "--release", "--test", "loom_*"])
        .args(["--", "--nocapture", "--test-threads", "1"])
        .env("RUSTFLAGS", "--cfg loom -C debug-assertions -D warnings")
        .env("CARGO_TARGET_DIR", target_dir)
        // A caught control's panic message is the evidence; its backtrace is noise.
        .env("RUST_BACKTRACE", "0");
    Ok(cargo)
}
