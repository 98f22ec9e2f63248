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
