//! The job runner that both the program and the graceful-shutdown section's
//! child stop with a signal: jobs taken in order by a few threads; on SIGINT or
//! SIGTERM no new job starts, the jobs in flight get a grace period to finish,
//! those still running after it are cancelled, and the [`Summary`] says what
//! finished, what was cancelled and what never started.
//!
//! Starting a job, and deciding to start no more, happen under one lock, and
//! each is reported while it is held: the lines a [`Report`] prints are in the
//! order things happened, so no job is ever reported started after the signal
//! was reported received.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use anyhow::anyhow;
use sync_kit::process::interrupt;

/// Runs `jobs` on `threads` threads until every one ended, a job failed, or a
/// signal's grace period ran out; `report` hears of each step as it happens.
pub(crate) fn run(
    jobs: Vec<Job>,
    threads: usize,
    grace: Duration,
    report: &'static dyn Report,
) -> Summary {
    let names: Vec<String> = jobs.iter().map(|job| job.name.clone()).collect();
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            fates: names.iter().map(|_| Fate::NotStarted).collect(),
            queue: jobs.into_iter().enumerate().collect(),
            stopping: false,
        }),
        changed: Condvar::new(),
        cancels: names.iter().map(|_| Arc::new(Cancel::default())).collect(),
        names,
        report,
    });
    let mut started = 0;
    for index in 1..=threads.max(1) {
        let mine = Arc::clone(&shared);
        // Detached: a job still running when its grace period ends is abandoned,
        // and goes when the program exits.
        let spawned = std::thread::Builder::new()
            .name(format!("job-runner-{index}"))
            .spawn(move || work(&mine));
        match spawned {
            Ok(_) => started += 1,
            // With fewer threads than asked the jobs still run; with none, the
            // first job fails for want of one, and no other starts.
            Err(e) if started == 0 => {
                let mut state = shared.lock();
                state.stopping = true;
                if let Some((index, _)) = state.queue.pop_front() {
                    state.fates[index] = Fate::Failed(anyhow!("starting a job thread: {e}"));
                }
                break;
            }
            Err(_) => break,
        }
    }
    coordinate(&shared, grace)
}

/// One unit of work, given the flag that says it should stop.
pub(crate) struct Job {
    name: String,
    run: Work,
}

/// What a job does, given its [`Cancel`].
type Work = Box<dyn FnOnce(&Cancel) -> anyhow::Result<()> + Send>;

impl Job {
    /// A job called `name` that does `run`.
    pub(crate) fn new(
        name: impl Into<String>,
        run: impl FnOnce(&Cancel) -> anyhow::Result<()> + Send + 'static,
    ) -> Self {
        Self {
            name: name.into(),
            run: Box::new(run),
        }
    }
}

/// Set when a job's grace period ended before it did: a job that can stop early
/// looks at it between steps.
#[derive(Debug, Default)]
pub(crate) struct Cancel(AtomicBool);

impl Cancel {
    /// Whether the job should stop.
    pub(crate) fn is_set(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Fails once the job should stop: for `?` between a job's steps.
    pub(crate) fn check(&self) -> anyhow::Result<()> {
        match self.is_set() {
            true => Err(anyhow!("cancelled")),
            false => Ok(()),
        }
    }

    /// Sleeps `length`, waking early to fail once the job should stop.
    pub(crate) fn sleep(&self, length: Duration) -> anyhow::Result<()> {
        let end = Instant::now() + length;
        loop {
            self.check()?;
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            std::thread::sleep(left.min(Duration::from_millis(5)));
        }
    }

    fn set(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// What became of a job.
#[derive(Debug)]
pub(crate) enum Fate {
    NotStarted,
    Running,
    Finished,
    /// It returned an error or panicked: no further job starts.
    Failed(anyhow::Error),
    /// Still running when its grace period ended.
    Cancelled,
}

/// Hears of each step as it happens, under the runner's lock.
pub(crate) trait Report: Sync {
    /// Job `name` is starting.
    fn started(&self, name: &str);
    /// Job `name` ended so (finished, failed, or cancelled at its grace's end).
    fn ended(&self, name: &str, fate: &Fate);
    /// `signal` came: no new job starts, and the `in_flight` jobs get `grace`.
    fn stopping(&self, signal: i32, in_flight: usize, grace: Duration);
}

/// What became of every job, and the signal that stopped them, if one did.
#[derive(Debug)]
pub(crate) struct Summary {
    pub(crate) signal: Option<i32>,
    names: Vec<String>,
    fates: Vec<Fate>,
}

impl Summary {
    /// The summary, or the first error of a job that failed.
    pub(crate) fn or_failure(self) -> anyhow::Result<Self> {
        if !self
            .fates
            .iter()
            .any(|fate| matches!(fate, Fate::Failed(_)))
        {
            return Ok(self);
        }
        let first = self.fates.into_iter().find_map(|fate| match fate {
            Fate::Failed(error) => Some(error),
            _ => None,
        });
        Err(first.unwrap_or_else(|| anyhow!("a job failed")))
    }

    /// `summary: F finished, C cancelled, N not started`, then the names in each
    /// group that has any.
    pub(crate) fn lines(&self) -> Vec<String> {
        let group = |wanted: fn(&Fate) -> bool| -> Vec<&str> {
            self.names
                .iter()
                .zip(&self.fates)
                .filter(|(_, fate)| wanted(fate))
                .map(|(name, _)| name.as_str())
                .collect()
        };
        let groups = [
            ("finished", group(|f| matches!(f, Fate::Finished))),
            ("cancelled", group(|f| matches!(f, Fate::Cancelled))),
            ("not started", group(|f| matches!(f, Fate::NotStarted))),
        ];
        let counts: Vec<String> = groups
            .iter()
            .map(|(what, names)| format!("{} {what}", names.len()))
            .collect();
        let mut lines = vec![format!("summary: {}", counts.join(", "))];
        lines.extend(
            groups
                .iter()
                .filter(|(_, names)| !names.is_empty())
                .map(|(what, names)| format!("{what}: {}", names.join(", "))),
        );
        lines
    }
}

struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    cancels: Vec<Arc<Cancel>>,
    names: Vec<String>,
    report: &'static dyn Report,
}

struct State {
    queue: VecDeque<(usize, Job)>,
    fates: Vec<Fate>,
    stopping: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is only ever changed whole under the lock, and no job runs
        // while it is held, so a poisoned lock still guards a consistent state.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A job thread: takes jobs in order until none is left or no new one may start.
fn work(shared: &Shared) {
    loop {
        let (index, job) = {
            let mut state = shared.lock();
            // The signal may have come before the coordinator looked.
            if state.stopping || interrupt::received().is_some() {
                return;
            }
            let Some((index, job)) = state.queue.pop_front() else {
                return;
            };
            state.fates[index] = Fate::Running;
            shared.report.started(&shared.names[index]);
            (index, job)
        };
        let cancel = &shared.cancels[index];
        let outcome = catch_unwind(AssertUnwindSafe(|| (job.run)(cancel)));
        let mut state = shared.lock();
        // A job cancelled at its grace's end was reported then: what it did
        // afterwards changes nothing.
        if matches!(state.fates[index], Fate::Running) {
            let fate = match outcome {
                Ok(Ok(())) => Fate::Finished,
                Ok(Err(e)) => Fate::Failed(e),
                Err(panic) => Fate::Failed(anyhow!(
                    "panicked: {}",
                    sync_kit::panic_message(panic.as_ref())
                )),
            };
            if matches!(fate, Fate::Failed(_)) {
                state.stopping = true;
            }
            shared.report.ended(&shared.names[index], &fate);
            state.fates[index] = fate;
        }
        drop(state);
        shared.changed.notify_all();
    }
}

/// The calling thread: waits for the jobs, watching for a signal, and cancels
/// what is still running when a signal's grace period ends.
fn coordinate(shared: &Shared, grace: Duration) -> Summary {
    let mut signal = None;
    let mut deadline = None;
    let mut state = shared.lock();
    loop {
        let in_flight = state
            .fates
            .iter()
            .filter(|f| matches!(f, Fate::Running))
            .count();
        if in_flight == 0 && (state.stopping || state.queue.is_empty()) {
            break;
        }
        if signal.is_none()
            && let Some(received) = interrupt::received()
        {
            signal = Some(received);
            state.stopping = true;
            deadline = Some(Instant::now() + grace);
            shared.report.stopping(received, in_flight, grace);
        }
        if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
            for (index, fate) in state.fates.iter_mut().enumerate() {
                if matches!(fate, Fate::Running) {
                    shared.cancels[index].set();
                    *fate = Fate::Cancelled;
                    shared.report.ended(&shared.names[index], fate);
                }
            }
            break;
        }
        state = shared
            .changed
            .wait_timeout(state, Duration::from_millis(10))
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
    let fates = std::mem::take(&mut state.fates);
    Summary {
        signal,
        names: shared.names.clone(),
        fates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records what it hears, as lines.
    struct Record(Mutex<Vec<String>>);

    impl Report for Record {
        fn started(&self, name: &str) {
            self.0.lock().unwrap().push(format!("{name} started"));
        }
        fn ended(&self, name: &str, fate: &Fate) {
            self.0.lock().unwrap().push(format!("{name} {fate:?}"));
        }
        fn stopping(&self, _: i32, _: usize, _: Duration) {
            self.0.lock().unwrap().push("stopping".into());
        }
    }

    fn job(name: &str, fails: bool) -> Job {
        Job::new(name, move |_: &Cancel| match fails {
            true => Err(anyhow!("broken")),
            false => Ok(()),
        })
    }

    #[test]
    fn one_thread_runs_the_jobs_in_order() {
        static HEARD: Record = Record(Mutex::new(Vec::new()));
        let summary = run(
            vec![job("a", false), job("b", false)],
            1,
            Duration::ZERO,
            &HEARD,
        )
        .or_failure()
        .expect("no job fails");
        assert_eq!(
            *HEARD.0.lock().unwrap(),
            ["a started", "a Finished", "b started", "b Finished"]
        );
        assert_eq!(summary.signal, None);
        assert_eq!(
            summary.lines(),
            [
                "summary: 2 finished, 0 cancelled, 0 not started",
                "finished: a, b"
            ]
        );
    }

    #[test]
    fn a_failed_job_stops_the_rest_and_is_the_outcome() {
        static HEARD: Record = Record(Mutex::new(Vec::new()));
        let outcome = run(
            vec![job("a", false), job("b", true), job("c", false)],
            1,
            Duration::ZERO,
            &HEARD,
        )
        .or_failure();
        assert_eq!(outcome.expect_err("b failed").to_string(), "broken");
        let heard = HEARD.0.lock().unwrap();
        assert!(
            !heard.iter().any(|line| line.starts_with("c ")),
            "{heard:?}"
        );
    }
}
