//! Processes: [`Pool`], the counterpart of Python's `multiprocessing.Pool`, with
//! its workers as real OS processes; and the tools for sharing data with other
//! processes: [`Lock`], [`Value`], [`Array`] (and their lock-free [`RawValue`],
//! [`RawArray`]), [`Queue`], [`pipe`] and [`Manager`]; [`children`], this
//! program started again in a named role, and [`interrupt`], Ctrl-C turned into a
//! flag a program stops at.
//!
//! # Sharing with a child
//!
//! Any of these tools goes to a child with [`CommandExt::share`] and is taken
//! there with [`inherit`], by name. The child may be this program started again
//! or any program that uses sync-kit:
//!
//! ```no_run
//! use std::process::Command;
//! use sync_kit::process::{CommandExt, Value, inherit};
//!
//! fn main() -> std::io::Result<()> {
//!     if std::env::args().nth(1).as_deref() == Some("child") {
//!         let counter: Value<u64> = inherit("counter")?;
//!         let mut guard = counter.lock().expect("nobody died holding it");
//!         let seen = guard.get();
//!         guard.set(seen + 1);
//!         return Ok(());
//!     }
//!     let counter = Value::new(0_u64)?;
//!     let status = Command::new(std::env::current_exe()?)
//!         .arg("child")
//!         .share("counter", &counter)?
//!         .status()?;
//!     assert!(status.success());
//!     assert_eq!(counter.load(), 1);
//!     Ok(())
//! }
//! ```
//!
//! # The pool
//!
//! A worker is the same executable, started again with an environment variable
//! that [`init`], called first thing in `main`, recognises: in a worker, `init`
//! serves tasks and exits, so the rest of `main` never runs there. Each worker talks
//! to the pool over a socketpair passed as its stdin (its stdout and stderr are the
//! pool's, so a task's prints appear as they would in Python). Messages are frames:
//! a 4-byte length, then postcard.
//!
//! Closures cannot cross a process boundary, so tasks are named functions,
//! [`Task`]s, declared once as `static`s: the program lists them in `init`, and
//! hands them to the pool's calls, which check the input and output types at
//! compile time.
//!
//! ```no_run
//! use sync_kit::process::{self, Pool, Task};
//!
//! static SQUARE: Task<u64, u64> = Task::new("square", |n| n * n);
//!
//! fn main() {
//!     process::init(&[&SQUARE]); // a worker never returns from here
//!     let pool = Pool::builder().workers(4).build().expect("workers start");
//!     assert_eq!(pool.map(&SQUARE, 1..=10).expect("no task fails")[9], 100);
//!     pool.join(); // also what dropping the pool does
//! }
//! ```
//!
//! # What it fixes in Python's pool
//!
//! - A worker that dies mid-task (SIGKILL, abort, `exit`) fails only the chunks it
//!   had in flight, with [`TaskError::WorkerDied`], as soon as its socket closes;
//!   the pool starts a replacement, and nothing waits for ever.
//! - Errors are plain data ([`TaskError`]), so they always travel back.
//! - An initializer that fails makes [`Builder::build`] fail, once.
//! - Workers end with their parent: end-of-file on their socket, and the
//!   parent-death signal while they are busy. They run in a process group of
//!   their own, so a terminal's Ctrl-C reaches only the program, which decides
//!   whether their work finishes.
//! - Dropping a pool finishes the submitted work and reaps every worker; calls made
//!   after [`Pool::close`] fail with [`TaskError::NotRunning`], not silently.
//!
//! # From tests
//!
//! An integration test's executable is libtest's harness, which does not call
//! `init`. Point the pool at a binary that does, with [`Builder::program`]: the
//! workspace's `tests` crate has `pool-worker`, reached as
//! `env!("CARGO_BIN_EXE_pool-worker")`. (A test target with `harness = false`
//! whose `main` calls `init` first works too.)

pub mod children;
mod error;
pub mod interrupt;
mod lock;
mod manager;
mod mutex;
mod pipe;
mod pool;
mod queue;
mod results;
mod share;
mod shm;
mod slot;
mod state;
mod task;
mod value;
mod wire;
mod worker;

pub use error::{BuildError, TaskError, signal_name};
pub use lock::{Guard, Lock, LockError, LockGuard, LockResult, OwnerDied, TryLockResult};
pub use manager::{DictProxy, ListProxy, Manager, ManagerError};
pub use pipe::{Connection, RecvError, one_way, pipe};
pub use pool::{Builder, Pool};
pub use queue::{Queue, QueueError, RECHECK};
pub use results::{AsyncResult, Finished, Imap, ImapUnordered};
pub use share::{CommandExt, Share, inherit};
pub use task::{Registered, Task};
pub use value::{Array, ArrayGuard, Plain, RawArray, RawValue, Value, ValueGuard};
pub use worker::init;
