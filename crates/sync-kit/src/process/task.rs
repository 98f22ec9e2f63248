//! Named, typed tasks: what a pool's caller hands it, and what a worker runs by
//! name ([`Registered`]).

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::TaskError;

/// A function that a [`Pool`](super::Pool) can run in a worker process: a name that
/// both sides agree on, and a plain function from `I` to `O` (or to
/// `Result<O, String>`, for a task that can fail).
///
/// Closures cannot cross a process boundary, so a task is a `static` item naming a
/// function. The same binary declares it, lists it in [`init`](super::init), and hands it to the
/// pool; the types check at compile time on both sides.
///
/// ```
/// use sync_kit::process::Task;
///
/// static SQUARE: Task<u64, u64> = Task::new("square", |n| n * n);
/// static DIVIDE: Task<(i64, i64), i64> = Task::fallible("divide", |(a, b)| {
///     a.checked_div(b).ok_or_else(|| format!("cannot divide {a} by {b}"))
/// });
/// # let _ = (&SQUARE, &DIVIDE);
/// ```
pub struct Task<I, O> {
    name: &'static str,
    body: Body<I, O>,
}

enum Body<I, O> {
    Infallible(fn(I) -> O),
    Fallible(fn(I) -> Result<O, String>),
}

impl<I, O> Task<I, O> {
    /// A task that always produces a value (a panic is still caught and reported).
    pub const fn new(name: &'static str, run: fn(I) -> O) -> Self {
        Self {
            name,
            body: Body::Infallible(run),
        }
    }

    /// A task that may fail: its `Err` reaches the caller as
    /// [`TaskError::Failed`](super::TaskError::Failed).
    pub const fn fallible(name: &'static str, run: fn(I) -> Result<O, String>) -> Self {
        Self {
            name,
            body: Body::Fallible(run),
        }
    }

    /// The name the pool and its workers know it by.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    fn call(&self, input: I) -> Result<O, String> {
        match self.body {
            Body::Infallible(run) => Ok(run(input)),
            Body::Fallible(run) => run(input),
        }
    }
}

impl<I, O> std::fmt::Debug for Task<I, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task").field("name", &self.name).finish()
    }
}

/// A task as a worker sees it: a name, and bytes in, bytes out. Implemented by every
/// [`Task`] whose types serialize; [`init`](super::init) takes a list of them.
pub trait Registered: Sync {
    /// The task's name.
    fn name(&self) -> &'static str;
    /// Decodes the input, runs the task, encodes the output.
    #[doc(hidden)]
    fn run_encoded(&self, input: &[u8]) -> Result<Vec<u8>, TaskError>;
}

impl<I, O> Registered for Task<I, O>
where
    I: DeserializeOwned,
    O: Serialize,
{
    fn name(&self) -> &'static str {
        self.name
    }

    fn run_encoded(&self, input: &[u8]) -> Result<Vec<u8>, TaskError> {
        let input: I = postcard::from_bytes(input).map_err(|e| {
            TaskError::Codec(format!("the input of `{}` did not decode: {e}", self.name))
        })?;
        let output = self.call(input).map_err(TaskError::Failed)?;
        postcard::to_stdvec(&output).map_err(|e| {
            TaskError::Codec(format!("the output of `{}` did not encode: {e}", self.name))
        })
    }
}
