//! `cargo xtask loom`: sync-kit's loom models, run the one way that is right.
//!
//! loom replaces std's primitives only under `--cfg loom`, and only sync-kit's
//! `tests/loom_*.rs` models may be built that way, in a target directory of their
//! own so that the ordinary build is never rebuilt with the flag (design §8). The
//! preemption bound comes from `LOOM_MAX_PREEMPTIONS` (the models default it to 3);
//! `LOOM_MAX_DURATION` and `LOOM_MAX_PERMUTATIONS` are refused, because they turn an
//! unfinished exploration into a silent pass.

use anyhow::bail;
use xshell::{Shell, cmd};

use test_kit::cargo::cargo_program;

use crate::workspace_root;

/// Runs the models; `Ok(true)` when every model passes and every negative control is caught.
pub(crate) fn loom() -> anyhow::Result<bool> {
    for cutoff in ["LOOM_MAX_DURATION", "LOOM_MAX_PERMUTATIONS"] {
        if std::env::var_os(cutoff).is_some() {
            bail!(
                "{cutoff} is set: it would end the exploration early and report a pass; unset it"
            );
        }
    }
    let sh = Shell::new()?;
    let root = workspace_root();
    sh.change_dir(&root);
    let _flags = sh.push_env("RUSTFLAGS", "--cfg loom -C debug-assertions -D warnings");
    let _target = sh.push_env("CARGO_TARGET_DIR", root.join("target/loom"));
    // A caught control's panic message is the evidence; its backtrace is noise.
    let _quiet = sh.push_env("RUST_BACKTRACE", "0");
    let cargo = cargo_program();
    // `--nocapture` shows each model's interleaving count and each control's caught
    // panic; one thread keeps those lines in test order.
    cmd!(
        sh,
        "{cargo} test --locked -p sync-kit --release --test loom_* -- --nocapture --test-threads 1"
    )
    .run()?;
    Ok(true)
}
