//! The conditions that a grade's repeats are spread over, so that a race shows:
//! both cores free, one core only, a competing load, the lowest priority, and for
//! Python, pauses at random points of the program's own code. Each changes how
//! the program's threads and processes interleave, and no one of them shows
//! every race (docs/grading.md has the rates measured here).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{self, JoinHandle};

use runner::Limits;
use serde::{Deserialize, Serialize};

/// One condition a run happens under.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum RunCondition {
    /// The machine as it is: every core the grader may use.
    Free,
    /// Every process of the run pinned to one core: threads interleave only
    /// where the scheduler preempts them.
    OneCore,
    /// A competing load: a busy thread per core in the grader, at the program's
    /// priority, for as long as the run lasts.
    Load,
    /// The run at the lowest priority (nice 19).
    LowPriority,
    /// For a Python program, pauses (most of 100 µs, some of 3 ms) at random
    /// instructions of its own code while several threads (or processes) are
    /// at work, seeded: race windows opened on purpose. Its deadline is four
    /// times the run's.
    Preempt,
}

/// How much longer a preempted run may take than a plain one: its pauses and
/// the tracing that places them slow pure-Python code several times over.
pub const PREEMPT_SLOWDOWN: u32 = 4;

/// The mix a grade's repeats go round when none is given, for a program that is
/// not Python, chosen from the failure rates of the self-test's racy
/// submissions measured under each condition (docs/grading.md): a competing
/// load showed every one of them most often, so it has half the runs; free
/// cores and the lowest priority each showed some race that the others showed
/// less, and have a quarter each. One core alone showed nothing that another
/// did not show more.
pub const DEFAULT_MIX: &[RunCondition] = &[
    RunCondition::Load,
    RunCondition::Free,
    RunCondition::Load,
    RunCondition::LowPriority,
];

/// The mix for a Python program: the plain mix, each plain run followed by a
/// preempted one. Preemption shows the races Python's few switch points hide;
/// the plain runs stay, since tracing every instruction hides some races in
/// turn (processes writing a line in two pieces showed under plain runs only).
pub const PYTHON_MIX: &[RunCondition] = &[
    RunCondition::Load,
    RunCondition::Preempt,
    RunCondition::Free,
    RunCondition::Preempt,
    RunCondition::Load,
    RunCondition::Preempt,
    RunCondition::LowPriority,
    RunCondition::Preempt,
];

/// The mix when none is given: [`PYTHON_MIX`] for a Python program, else
/// [`DEFAULT_MIX`].
pub fn default_mix(python: bool) -> &'static [RunCondition] {
    match python {
        true => PYTHON_MIX,
        false => DEFAULT_MIX,
    }
}

impl RunCondition {
    /// Its name, as `--conditions` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Free => "free",
            Self::OneCore => "one-core",
            Self::Load => "load",
            Self::LowPriority => "low-priority",
            Self::Preempt => "preempt",
        }
    }

    /// `limits` for a run under this condition.
    pub(crate) fn limits(self, mut limits: Limits) -> Limits {
        match self {
            Self::OneCore => limits.cpu = Some(first_cpu()),
            Self::LowPriority => limits.nice = Some(19),
            Self::Preempt => limits.deadline *= PREEMPT_SLOWDOWN,
            Self::Free | Self::Load => {}
        }
        limits
    }

    /// Starts this condition's competing load, if it has one; it stops when the
    /// value is dropped.
    pub(crate) fn start(self) -> Option<Load> {
        (self == Self::Load).then(Load::start)
    }
}

/// The first CPU this process may run on.
fn first_cpu() -> usize {
    rustix::thread::sched_getaffinity(None)
        .ok()
        .and_then(|set| (0..rustix::thread::CpuSet::MAX_CPU).find(|&cpu| set.is_set(cpu)))
        .unwrap_or(0)
}

/// Busy threads, one per core, until dropped.
#[derive(Debug)]
pub(crate) struct Load {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Load {
    fn start() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let cores = sync_kit::cli::cores();
        let threads = (0..cores)
            .map(|_| {
                let stop = Arc::clone(&stop);
                thread::spawn(move || {
                    let mut spins = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        spins = std::hint::black_box(spins.wrapping_add(1));
                    }
                })
            })
            .collect();
        Self { stop, threads }
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// What `runs` runs that all passed bound, at 95 % confidence (the rule of
/// three: with no failure in n runs, a failure rate above 3/n is unlikely).
pub fn bound(runs: usize) -> String {
    let rate = 300.0 / runs as f64;
    let shown = match rate {
        r if r >= 10.0 => format!("{r:.0} %"),
        r if r >= 1.0 => format!("{r:.1} %"),
        r => format!("{r:.2} %"),
    };
    format!("0 failures in {runs} runs: a failure rate above {shown} is unlikely (95 %)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_change_the_limits_they_name() {
        let base = Limits::default();
        assert_eq!(RunCondition::Free.limits(base), base);
        assert_eq!(RunCondition::Load.limits(base), base);
        assert_eq!(RunCondition::LowPriority.limits(base).nice, Some(19));
        let pinned = RunCondition::OneCore.limits(base);
        assert_eq!(pinned.cpu, Some(first_cpu()));
        assert_eq!(pinned.nice, None);
        let preempted = RunCondition::Preempt.limits(base);
        assert_eq!(preempted.deadline, base.deadline * PREEMPT_SLOWDOWN);
        assert!(
            RunCondition::Preempt.start().is_none(),
            "no load of its own"
        );
    }

    #[test]
    fn only_the_load_condition_starts_a_load_and_it_stops() {
        assert!(RunCondition::Free.start().is_none());
        let load = RunCondition::Load.start().expect("a load");
        assert!(!load.threads.is_empty());
        drop(load);
    }

    #[test]
    fn the_bound_is_three_over_n() {
        assert_eq!(
            bound(20),
            "0 failures in 20 runs: a failure rate above 15 % is unlikely (95 %)"
        );
        assert_eq!(
            bound(100),
            "0 failures in 100 runs: a failure rate above 3.0 % is unlikely (95 %)"
        );
        assert_eq!(
            bound(1000),
            "0 failures in 1000 runs: a failure rate above 0.30 % is unlikely (95 %)"
        );
    }
}
