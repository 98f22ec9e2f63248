//! Shared set-up for sync-kit's loom models.
//!
//! Every model runs through [`model`], so every model gets the same bound: the
//! number of preemptions loom explores comes from `LOOM_MAX_PREEMPTIONS`, 3 when it
//! is unset. `LOOM_MAX_DURATION` and `LOOM_MAX_PERMUTATIONS` are never set here:
//! they end an exploration early and report it as a pass.

/// Checks `f` under every interleaving loom explores with the preemption bound.
pub(crate) fn model<F>(f: F)
where
    F: Fn() + Sync + Send + 'static,
{
    let mut builder = loom::model::Builder::new();
    if builder.preemption_bound.is_none() {
        builder.preemption_bound = Some(3);
    }
    builder.check(f);
}
