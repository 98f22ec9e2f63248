//! `Event`: a flag that threads wait on, as in Python's `threading.Event`.

use std::fmt;
use std::time::{Duration, Instant};

use crate::sync::{Condvar, Mutex, deadline_after, lock, wait_while};

/// A flag, initially clear, that threads can wait to see set.
///
/// `set` wakes every waiter. A waiter that was waiting when `set` was called returns
/// `true` even if another thread clears the flag before the waiter runs again (as in
/// Python): each `set` is counted, so a quick set-then-clear cannot be missed.
///
/// # Examples
///
/// ```
/// use sync_kit::Event;
///
/// let ready = Event::new();
/// std::thread::scope(|s| {
///     // Timed, so that a broken `set` fails here instead of hanging.
///     let waiter = s.spawn(|| ready.wait_timeout(std::time::Duration::from_secs(10)));
///     ready.set();
///     assert!(waiter.join().unwrap());
/// });
/// assert!(ready.is_set());
/// ready.clear();
/// assert!(!ready.wait_timeout(std::time::Duration::from_millis(10)));
/// ```
pub struct Event {
    state: Mutex<Flag>,
    changed: Condvar,
}

#[derive(Debug)]
struct Flag {
    set: bool,
    /// How many times the flag went from clear to set: a waiter that saw one value
    /// returns once it sees another, whatever `set` is by then.
    sets: u64,
    /// Threads inside `wait` now (shown by `Debug`, and lets tests see a sleeper).
    waiting: usize,
}

impl Event {
    /// Creates a clear event.
    pub fn new() -> Self {
        Self {
            state: Mutex::new(Flag {
                set: false,
                sets: 0,
                waiting: 0,
            }),
            changed: Condvar::new(),
        }
    }

    /// Sets the flag and wakes every waiter.
    pub fn set(&self) {
        let mut flag = lock(&self.state);
        if !flag.set {
            flag.set = true;
            flag.sets += 1;
        }
        drop(flag);
        self.changed.notify_all();
    }

    /// Clears the flag: later waits block until the next `set`.
    pub fn clear(&self) {
        lock(&self.state).set = false;
    }

    /// Whether the flag is set now.
    pub fn is_set(&self) -> bool {
        lock(&self.state).set
    }

    /// Waits until the flag is set (returns at once if it is). Always `true`, as
    /// Python's `wait()` without a timeout.
    pub fn wait(&self) -> bool {
        self.wait_until(None)
    }

    /// Waits at most `timeout` for the flag to be set. `false` if the time ran out.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        self.wait_until(deadline_after(timeout))
    }

    fn wait_until(&self, deadline: Option<Instant>) -> bool {
        let mut flag = lock(&self.state);
        let seen = flag.sets;
        flag.waiting += 1;
        let (mut flag, ready) = wait_while(&self.changed, flag, deadline, |flag| {
            !flag.set && flag.sets == seen
        });
        flag.waiting -= 1;
        ready
    }
}

impl Default for Event {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let flag = lock(&self.state);
        f.debug_struct("Event")
            .field("set", &flag.set)
            .field("waiting", &flag.waiting)
            .finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn a_set_then_clear_still_releases_the_waiter() {
        let event = Event::new();
        std::thread::scope(|s| {
            let waiter = s.spawn(|| event.wait_timeout(Duration::from_secs(10)));
            // `waiting` is raised under the lock the waiter keeps until it sleeps, so
            // once it shows, the waiter is asleep on the condvar. A waiter that never
            // shows fails the test instead of spinning it for ever.
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            while lock(&event.state).waiting == 0 {
                assert!(
                    std::time::Instant::now() < deadline,
                    "the waiter never started waiting"
                );
                std::thread::yield_now();
            }
            event.set();
            event.clear();
            assert!(waiter.join().unwrap(), "the pulse was missed");
        });
        assert!(!event.is_set());
    }
}
