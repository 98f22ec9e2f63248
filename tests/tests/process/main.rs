//! sync-kit's process primitives across real processes: children in roles, the
//! Lock, Value and Array, the Manager, the Pipe, the Queue, and the process Pool,
//! checked against sequential models and killed on purpose.
//!
//! One test binary for the subject. The pool tests that count this process's
//! children or descriptors (`pool_faults.rs`, `pool_life.rs`) are binaries of
//! their own, since other tests' pools would blur their counts.

mod children;
mod lock;
mod manager;
mod models;
mod pipe;
mod pool;
mod pool_shape;
mod queue;
