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
//! - [`fmt::PyList`]: shows a sequence the way Python prints a list, so the
//!   exercises' output reads like the course's.

mod barrier;
mod condition;
mod event;
pub mod fmt;
mod locked_list;
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
