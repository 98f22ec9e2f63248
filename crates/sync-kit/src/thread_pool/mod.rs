//! `ThreadPool`: a fixed set of worker threads running submitted tasks, the
//! counterpart of Python's `concurrent.futures.ThreadPoolExecutor`.
//!
//! Tasks go through one crossbeam channel (many producers, many consumers; it spins
//! briefly before parking, which keeps short tasks cheap). Each task's result lands
//! in a shared slot that its [`TaskHandle`] waits on. A task that panics is caught
//! in its worker, so the worker lives on and the handle reports the panic message.
//! Not modelled by loom (crossbeam's channel is not loom-aware); the slot it waits
//! on uses the same facade and wait loop as the modelled primitives.

mod executor;
mod results;
mod slot;

use std::time::{Duration, Instant};

use thiserror::Error;

use crate::sync::thread;

pub use executor::ThreadPool;
pub use results::{AsCompleted, Completed, MapResults, TaskHandle, as_completed};

/// Why a task gave no value.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TaskError {
    /// The task panicked; this is its panic message.
    #[error("task panicked: {0}")]
    Panicked(String),
    /// The task was cancelled before it started (by [`TaskHandle::cancel`] or by
    /// a shutdown that cancels pending work).
    #[error("task cancelled before it started")]
    Cancelled,
    /// [`TaskHandle::result_timeout`] ran out of time; the task may still run.
    #[error("task still running when the timeout expired")]
    TimedOut,
}

/// How long an idle worker keeps looking for the next task before it sleeps, and
/// how long a caller waiting for a result looks before it sleeps. Waking a sleeping
/// thread costs tens of microseconds on a virtual machine, more than most tasks
/// here; looking a little longer lets a stream of short tasks and `result` calls run
/// without any sleep and wake-up at all. Both look with `yield_now`, giving the core
/// to any thread that has work.
pub(super) const IDLE_SPIN: Duration = Duration::from_micros(50);
pub(super) const RESULT_SPIN: Duration = Duration::from_micros(20);

/// Polls `poll` until it gives a value or `budget` has passed.
pub(super) fn spin_until<R>(budget: Duration, mut poll: impl FnMut() -> Option<R>) -> Option<R> {
    let start = Instant::now();
    loop {
        if let Some(value) = poll() {
            return Some(value);
        }
        if start.elapsed() >= budget {
            return None;
        }
        thread::yield_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::Arc;
    use crate::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn a_panicking_task_reports_its_message_and_the_worker_lives_on() {
        let pool = ThreadPool::new(1).unwrap();
        let bad = pool.submit(|| -> u8 { panic!("boom {}", 7) });
        let good = pool.submit(|| 5u8);
        assert_eq!(bad.result(), Err(TaskError::Panicked("boom 7".into())));
        assert_eq!(good.result(), Ok(5));
        assert_eq!(pool.workers(), 1);
    }

    #[test]
    fn shutdown_with_cancel_cancels_only_what_has_not_started() {
        let pool = ThreadPool::new(1).unwrap();
        let gate = Arc::new(crate::Event::new());
        let started = Arc::new(crate::Event::new());
        let running = {
            let (gate, started) = (Arc::clone(&gate), Arc::clone(&started));
            pool.submit(move || {
                started.set();
                // Timed, so that a broken event fails the test instead of hanging it.
                assert!(
                    gate.wait_timeout(Duration::from_secs(10)),
                    "the gate never opened"
                );
                "ran"
            })
        };
        let pending: Vec<_> = (0..3).map(|_| pool.submit(|| "ran")).collect();
        assert!(
            started.wait_timeout(Duration::from_secs(10)),
            "the running task never started"
        );
        let opener = {
            let gate = Arc::clone(&gate);
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(20));
                gate.set();
            })
        };
        pool.shutdown(true, true);
        opener.join().unwrap();
        assert_eq!(running.result(), Ok("ran"));
        for handle in pending {
            // Timed, so that a slot nobody settles fails the test instead of hanging it.
            assert_eq!(
                handle.result_timeout(Duration::from_secs(30)),
                Err(TaskError::Cancelled)
            );
        }
    }

    #[test]
    fn drop_runs_pending_tasks_before_joining() {
        let ran = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = {
            let pool = ThreadPool::new(2).unwrap();
            (0..50)
                .map(|_| {
                    let ran = Arc::clone(&ran);
                    pool.submit(move || ran.fetch_add(1, Ordering::SeqCst))
                })
                .collect()
        };
        assert_eq!(ran.load(Ordering::SeqCst), 50);
        assert!(handles.iter().all(TaskHandle::is_done));
    }

    #[test]
    fn cancel_wins_only_before_the_start_and_timeouts_time_out() {
        let pool = ThreadPool::new(1).unwrap();
        let gate = Arc::new(crate::Event::new());
        let blocker = {
            let gate = Arc::clone(&gate);
            // Timed, so that a broken event fails the test instead of hanging it.
            pool.submit(move || gate.wait_timeout(Duration::from_secs(10)))
        };
        let queued = pool.submit(|| 1);
        assert!(!blocker.wait_timeout(Duration::from_millis(10)));
        assert!(queued.cancel());
        assert!(!queued.cancel(), "cancelled twice");
        let late = pool.submit(|| 2);
        assert_eq!(
            pool.submit(|| 3).result_timeout(Duration::from_millis(10)),
            Err(TaskError::TimedOut)
        );
        gate.set();
        assert_eq!(
            blocker.result_timeout(Duration::from_secs(30)),
            Ok(true),
            "the set released the blocker"
        );
        assert_eq!(queued.result(), Err(TaskError::Cancelled));
        assert!(late.wait_timeout(Duration::from_secs(30)), "late never ran");
        assert!(!late.cancel(), "a finished task was cancelled");
        assert_eq!(late.result(), Ok(2));
    }

    #[test]
    fn as_completed_yields_every_index_once_in_finishing_order() {
        let pool = ThreadPool::new(2).unwrap();
        let gate = Arc::new(crate::Event::new());
        let slow = {
            let gate = Arc::clone(&gate);
            pool.submit(move || {
                // Timed, so that a broken event fails the test instead of hanging it.
                assert!(
                    gate.wait_timeout(Duration::from_secs(10)),
                    "the gate never opened"
                );
                0
            })
        };
        let fast: Vec<_> = (1..4).map(|n| pool.submit(move || n)).collect();
        let mut completed = as_completed(std::iter::once(slow).chain(fast));
        let mut firsts: Vec<_> = completed.by_ref().take(3).collect();
        firsts.sort_by_key(|(index, _)| *index);
        assert_eq!(firsts, [(1, Ok(1)), (2, Ok(2)), (3, Ok(3))]);
        assert_eq!(
            completed.next_timeout(Duration::from_millis(10)),
            Err(TaskError::TimedOut)
        );
        gate.set();
        assert_eq!(
            completed.next_timeout(Duration::from_secs(30)),
            Ok(Some((0, Ok(0))))
        );
        assert_eq!(completed.next_timeout(Duration::ZERO), Ok(None));
        assert_eq!(completed.next(), None);
    }
}
