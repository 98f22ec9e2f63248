//! `Barrier`: a meeting point for a fixed number of threads, as in Python's
//! `threading.Barrier` (reusable, with timeouts and a broken state).

use std::fmt;
use std::time::{Duration, Instant};

use thiserror::Error;

use crate::sync::{Condvar, Mutex, deadline_after, lock, wait_while};

/// Lets `parties` threads wait for each other; once the last one arrives, all of
/// them go on, and the barrier is ready for the next round.
///
/// A wait that times out, or a call to [`abort`](Self::abort), *breaks* the barrier,
/// as in Python: every thread waiting and every later `wait` gets
/// [`BrokenBarrier`], so that one missing thread cannot leave the others stuck.
///
/// # Examples
///
/// ```
/// use sync_kit::Barrier;
///
/// let barrier = Barrier::new(3);
/// let mut indices: Vec<usize> = std::thread::scope(|s| {
///     let (barrier, patience) = (&barrier, std::time::Duration::from_secs(10));
///     let waiters: Vec<_> = (0..3)
///         .map(|_| s.spawn(move || barrier.wait_timeout(patience).unwrap()))
///         .collect();
///     waiters.into_iter().map(|w| w.join().unwrap()).collect()
/// });
/// indices.sort();
/// assert_eq!(indices, [0, 1, 2]); // each thread gets its own arrival index
/// ```
pub struct Barrier {
    state: Mutex<Round>,
    released: Condvar,
    parties: usize,
}

#[derive(Debug)]
struct Round {
    /// Threads that have arrived in this round.
    arrived: usize,
    /// Counts completed rounds: a waiter leaves when it changes.
    generation: u64,
    broken: bool,
}

/// The barrier was broken (by a timeout or [`Barrier::abort`]) before the round
/// completed (Python's `BrokenBarrierError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("the barrier is broken")]
pub struct BrokenBarrier;

impl Barrier {
    /// Creates a barrier for `parties` threads. A barrier for 0 threads behaves as
    /// one for 1 (every wait returns at once), as std's does.
    pub fn new(parties: usize) -> Self {
        Self {
            state: Mutex::new(Round {
                arrived: 0,
                generation: 0,
                broken: false,
            }),
            released: Condvar::new(),
            parties: parties.max(1),
        }
    }

    /// Waits until `parties` threads have called `wait`. Returns this thread's
    /// arrival index in the round, `0..parties`; the last to arrive gets
    /// `parties - 1`.
    pub fn wait(&self) -> Result<usize, BrokenBarrier> {
        self.wait_until(None)
    }

    /// Like [`wait`](Self::wait), for at most `timeout`; a timeout breaks the
    /// barrier for everyone.
    pub fn wait_timeout(&self, timeout: Duration) -> Result<usize, BrokenBarrier> {
        self.wait_until(deadline_after(timeout))
    }

    /// Breaks the barrier: current and future waiters get [`BrokenBarrier`].
    pub fn abort(&self) {
        lock(&self.state).broken = true;
        self.released.notify_all();
    }

    /// Whether the barrier is broken.
    pub fn is_broken(&self) -> bool {
        lock(&self.state).broken
    }

    /// The number of threads that must meet.
    pub fn parties(&self) -> usize {
        self.parties
    }

    /// The number of threads waiting in the current round now.
    pub fn n_waiting(&self) -> usize {
        lock(&self.state).arrived
    }

    fn wait_until(&self, deadline: Option<Instant>) -> Result<usize, BrokenBarrier> {
        let mut round = lock(&self.state);
        if round.broken {
            return Err(BrokenBarrier);
        }
        let index = round.arrived;
        if index + 1 == self.parties {
            round.arrived = 0;
            round.generation = round.generation.wrapping_add(1);
            drop(round);
            self.released.notify_all();
            return Ok(index);
        }
        round.arrived += 1;
        let generation = round.generation;
        let (mut round, released) = wait_while(&self.released, round, deadline, |round| {
            round.generation == generation && !round.broken
        });
        if round.generation != generation {
            return Ok(index);
        }
        if !released {
            // Timed out: nobody else may wait for this round any more.
            round.broken = true;
            drop(round);
            self.released.notify_all();
        }
        Err(BrokenBarrier)
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let round = lock(&self.state);
        f.debug_struct("Barrier")
            .field("parties", &self.parties)
            .field("waiting", &round.arrived)
            .field("broken", &round.broken)
            .finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_breaks_the_barrier_for_everyone() {
        let barrier = Barrier::new(3);
        // Deadlines everywhere: a broken barrier fails this test, it never hangs it.
        let patience = Duration::from_secs(10);
        std::thread::scope(|s| {
            let patient = s.spawn(|| barrier.wait_timeout(patience));
            let deadline = std::time::Instant::now() + patience;
            while barrier.n_waiting() == 0 {
                assert!(
                    std::time::Instant::now() < deadline,
                    "the patient thread never waited"
                );
                std::thread::yield_now();
            }
            assert_eq!(
                barrier.wait_timeout(Duration::from_millis(20)),
                Err(BrokenBarrier)
            );
            assert_eq!(patient.join().unwrap(), Err(BrokenBarrier));
        });
        assert!(barrier.is_broken());
        // A broken barrier refuses at once: it does not wait out the deadline.
        let started = std::time::Instant::now();
        assert_eq!(barrier.wait_timeout(patience), Err(BrokenBarrier));
        assert!(
            started.elapsed() < patience / 2,
            "the broken barrier waited"
        );
    }

    #[test]
    fn the_barrier_is_reusable_round_after_round() {
        let barrier = Barrier::new(2);
        let rounds = 50;
        let patience = Duration::from_secs(10);
        let round = || barrier.wait_timeout(patience).ok();
        std::thread::scope(|s| {
            let other = s.spawn(|| (0..rounds).filter_map(|_| round()).count());
            let mine = (0..rounds).filter_map(|_| round()).count();
            assert_eq!((mine, other.join().unwrap()), (rounds, rounds));
        });
        assert_eq!(barrier.n_waiting(), 0);
    }
}
