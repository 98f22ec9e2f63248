//! Shared set-up for sync-kit's loom models.
//!
//! Every model runs through [`model`], so every model gets the same bound: the
//! number of preemptions loom explores comes from `LOOM_MAX_PREEMPTIONS`, 3 when it
//! is unset. `LOOM_MAX_DURATION` and `LOOM_MAX_PERMUTATIONS` are never set here:
//! they end an exploration early and report it as a pass.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Checks `f` under every interleaving loom explores within the preemption bound,
/// then reports how many that was (shown by `cargo xtask loom`).
pub(crate) fn model<F>(f: F)
where
    F: Fn() + Sync + Send + 'static,
{
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(3);
    }
    // A std counter, outside loom's view: it counts executions, it is not modelled.
    let explored = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&explored);
    builder.check(move || {
        counter.fetch_add(1, Ordering::Relaxed);
        f();
    });
    let name = std::thread::current().name().unwrap_or("model").to_owned();
    eprintln!(
        "{name}: {} interleavings explored, preemption bound {}",
        explored.load(Ordering::Relaxed),
        builder
            .preemption_bound
            .map_or("none".to_owned(), |b| b.to_string()),
    );
}

/// Runs the `#[ignore]`d negative control `control` of this test binary in a child
/// process and checks that loom failed it with `message`.
///
/// Some bugs show only as a deadlock. loom reports one by panicking while it tears
/// down the model's threads, which aborts the process instead of unwinding, so
/// `#[should_panic]` cannot catch it; a child process can. The control is ignored
/// so that an ordinary run does not abort; this wrapper runs it with `--ignored`.
#[allow(dead_code)] // each test binary compiles this module; not all have such controls
pub(crate) fn expect_loom_abort(control: &str, message: &str) {
    let exe = std::env::current_exe().expect("the test binary knows its own path");
    let output = std::process::Command::new(exe)
        .args([control, "--exact", "--ignored", "--nocapture"])
        .args(["--test-threads", "1"])
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the test binary runs again as a child");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("running 1 test"),
        "{control} did not run: is the name right?\n{stdout}"
    );
    assert!(
        !output.status.success(),
        "loom missed the bug: {control} passed\n{stderr}"
    );
    assert!(
        stderr.contains(message),
        "{control} failed, but not with {message:?}:\n{stderr}"
    );
    eprintln!("{control}: caught by loom: {message}");
}
