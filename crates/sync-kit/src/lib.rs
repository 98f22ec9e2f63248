//! sync-kit: the shared primitives of the concurrency exercise kit.
//!
//! These are the Rust counterparts of the tools a Python course reaches for in
//! `threading`, `queue`, `concurrent.futures` and `multiprocessing`. Every thread
//! primitive is written against [`sync`], the loom/std facade, so the code that the
//! exercises run is the code that `cargo xtask loom` model-checks.
//!
//! - [`LockedList`]: a FIFO list behind one lock, whose operations can report the
//!   list as it is at the instant they changed it (exercise 4).
//! - [`RLock`], [`Condition`], [`Semaphore`] and [`BoundedSemaphore`], [`Event`],
//!   [`Queue`] and [`Barrier`]: `threading` and `queue`, with every blocking call
//!   also offered as `try_` (no waiting) and `_timeout` forms.
//! - [`ThreadPool`]: `concurrent.futures.ThreadPoolExecutor`, with result handles,
//!   ordered `map` and [`as_completed`] (not built under loom).
//! - [`process::Pool`]: `multiprocessing.Pool`, with real worker processes that
//!   never leave a caller waiting when one of them dies (unix; not built under loom).
//! - [`process::Lock`], [`process::Value`] and [`process::Array`],
//!   [`process::Queue`], [`process::pipe`] and [`process::Manager`]: the rest of
//!   `multiprocessing`, shared with child processes by name; a process that dies
//!   holding a lock, or in the middle of a put, leaves nobody blocked and nothing
//!   torn (Linux; not built under loom).
//! - [`fmt::PyList`]: shows a sequence the way Python prints a list, so the
//!   exercises' output reads like the course's; [`cli::finish`]: how every
//!   exercise binary ends (quietly when its reader has gone).

mod barrier;
#[cfg(not(loom))]
pub mod cli;
mod condition;
#[cfg(all(test, not(loom)))]
mod deadline;
mod event;
pub mod fmt;
mod locked_list;
#[cfg(all(unix, not(loom)))]
pub mod process;
mod queue;
mod rlock;
mod semaphore;
pub mod sync;
#[cfg(not(loom))]
mod thread_pool;

pub use barrier::{Barrier, BrokenBarrier};
pub use condition::{Condition, ConditionGuard};
pub use event::Event;
pub use locked_list::LockedList;
pub use queue::{Full, Queue, TaskDoneError};
pub use rlock::{RLock, RLockGuard};
pub use semaphore::{BoundedSemaphore, Permit, ReleaseError, Semaphore};
#[cfg(not(loom))]
pub use thread_pool::{
    AsCompleted, Completed, MapResults, TaskError, TaskHandle, ThreadPool, as_completed,
};

/// The text of a panic: `panic!` payloads are a `&str` or a `String`. What the
/// pools report for a task that panicked (not built under loom).
///
/// ```
/// let caught = std::panic::catch_unwind(|| panic!("boom {}", 7)).unwrap_err();
/// assert_eq!(sync_kit::panic_message(caught.as_ref()), "boom 7");
/// ```
#[cfg(not(loom))]
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else {
        "a panic with a payload that is not text".to_owned()
    }
}
