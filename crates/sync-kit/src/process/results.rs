//! Where a pool's answers land: [`Batch`], shared by the caller and the pool's I/O
//! threads, and the handles and iterators that read it ([`AsyncResult`], [`Imap`],
//! [`ImapUnordered`]).

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;

use super::TaskError;
use crate::sync::{Arc, Condvar, Mutex, deadline_after, lock, wait_while};

/// One item's answer, still encoded: decoding waits for the caller, who knows `O`.
pub(crate) type Answer = Result<Vec<u8>, TaskError>;

/// What a pool calls when a chunk's answers are in (or the chunk failed).
pub(crate) type Completion = Box<dyn FnOnce(Vec<Answer>) + Send>;

/// The answers to one call (`apply_async`, `map`, `imap`…), filled chunk by chunk
/// as the workers answer.
pub(crate) struct Batch {
    state: Mutex<BatchState>,
    changed: Condvar,
}

struct BatchState {
    /// By input index; `None` until answered (and again once an iterator took it).
    answers: Vec<Option<Answer>>,
    /// Input indices in the order their answers arrived, not yet taken.
    arrived: VecDeque<usize>,
    /// How many answers are still to come.
    left: usize,
}

impl Batch {
    pub(crate) fn new(items: usize) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(BatchState {
                answers: (0..items).map(|_| None).collect(),
                arrived: VecDeque::new(),
                left: items,
            }),
            changed: Condvar::new(),
        })
    }

    /// The completion for the chunk whose first input has index `first`.
    pub(crate) fn completion(self: &Arc<Self>, first: usize) -> Completion {
        let batch = Arc::clone(self);
        Box::new(move |answers| batch.fill(first, answers))
    }

    fn fill(&self, first: usize, answers: Vec<Answer>) {
        let mut state = lock(&self.state);
        for (offset, answer) in answers.into_iter().enumerate() {
            let index = first + offset;
            if state.answers[index].is_none() {
                state.answers[index] = Some(answer);
                state.arrived.push_back(index);
                state.left -= 1;
            }
        }
        drop(state);
        self.changed.notify_all();
    }

    /// Waits until every answer is in; `false` if `deadline` came first.
    fn wait_all(&self, deadline: Option<Instant>) -> bool {
        let state = lock(&self.state);
        wait_while(&self.changed, state, deadline, |s| s.left > 0).1
    }

    /// Whether every answer is in.
    fn is_complete(&self) -> bool {
        lock(&self.state).left == 0
    }

    /// A copy of answer `index`, waiting for it until `deadline`.
    fn peek(&self, index: usize, deadline: Option<Instant>) -> Option<Answer> {
        let state = lock(&self.state);
        let (state, _) = wait_while(&self.changed, state, deadline, |s| {
            s.answers[index].is_none()
        });
        state.answers[index].clone()
    }

    /// Takes answer `index`, waiting for it until `deadline`.
    fn take(&self, index: usize, deadline: Option<Instant>) -> Option<Answer> {
        let state = lock(&self.state);
        let (mut state, _) = wait_while(&self.changed, state, deadline, |s| {
            s.answers[index].is_none()
        });
        state.answers[index].take()
    }

    /// Takes the earliest-arrived answer not yet taken, waiting until `deadline`.
    fn take_arrived(&self, deadline: Option<Instant>) -> Option<(usize, Answer)> {
        let state = lock(&self.state);
        let (mut state, _) = wait_while(&self.changed, state, deadline, |s| s.arrived.is_empty());
        let index = state.arrived.pop_front()?;
        state.answers[index].take().map(|answer| (index, answer))
    }

    /// Takes every answer, in input order, once all are in; `None` if `deadline`
    /// came first (the answers stay, and the tasks go on).
    pub(crate) fn take_all(&self, deadline: Option<Instant>) -> Option<Vec<Answer>> {
        if !self.wait_all(deadline) {
            return None;
        }
        let mut state = lock(&self.state);
        state.arrived.clear();
        Some(
            state
                .answers
                .iter_mut()
                .map(|answer| answer.take().unwrap_or(Err(TaskError::TimedOut)))
                .collect(),
        )
    }
}

/// Decodes one answer as the task's output type.
pub(crate) fn decode<O: DeserializeOwned>(answer: Answer) -> Result<O, TaskError> {
    let bytes = answer?;
    postcard::from_bytes(&bytes)
        .map_err(|e| TaskError::Codec(format!("a task's output did not decode: {e}")))
}

/// The future result of [`Pool::apply_async`](super::Pool::apply_async), like
/// Python's `AsyncResult`.
pub struct AsyncResult<O> {
    batch: Arc<Batch>,
    output: PhantomData<fn() -> O>,
}

impl<O: DeserializeOwned> AsyncResult<O> {
    pub(crate) fn new(batch: Arc<Batch>) -> Self {
        Self {
            batch,
            output: PhantomData,
        }
    }

    /// Waits for the task, then gives its value or its error. May be called again.
    pub fn get(&self) -> Result<O, TaskError> {
        self.get_timeout(Duration::MAX)
    }

    /// Like [`get`](Self::get), giving up after `timeout` with
    /// [`TaskError::TimedOut`] (the task goes on; ask again later).
    pub fn get_timeout(&self, timeout: Duration) -> Result<O, TaskError> {
        self.batch
            .peek(0, deadline_after(timeout))
            .map_or(Err(TaskError::TimedOut), decode)
    }

    /// Waits until the task has finished, one way or the other.
    pub fn wait(&self) {
        self.batch.wait_all(None);
    }

    /// Waits at most `timeout`; `true` if the task has finished.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        self.batch.wait_all(deadline_after(timeout))
    }

    /// Whether the task has finished.
    pub fn ready(&self) -> bool {
        self.batch.is_complete()
    }

    /// `Some(true)` if the task finished with a value, `Some(false)` with an error,
    /// `None` while it runs (where Python raises `ValueError`).
    pub fn successful(&self) -> Option<bool> {
        self.batch
            .peek(0, Some(Instant::now()))
            .map(|answer| answer.is_ok())
    }
}

impl<O> fmt::Debug for AsyncResult<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncResult")
            .field("ready", &self.batch.is_complete())
            .finish()
    }
}

/// The results of [`Pool::imap`](super::Pool::imap), in input order, each as soon
/// as it and the ones before it are in.
pub struct Imap<O> {
    batch: Arc<Batch>,
    next: usize,
    len: usize,
    output: PhantomData<fn() -> O>,
}

impl<O: DeserializeOwned> Imap<O> {
    pub(crate) fn new(batch: Arc<Batch>, len: usize) -> Self {
        Self {
            batch,
            next: 0,
            len,
            output: PhantomData,
        }
    }

    /// The next result, waiting at most `timeout` for it: `None` when all have been
    /// given, `Some(Err(TaskError::TimedOut))` when it is not in yet (ask again).
    pub fn next_timeout(&mut self, timeout: Duration) -> Option<Result<O, TaskError>> {
        if self.next == self.len {
            return None;
        }
        match self.batch.take(self.next, deadline_after(timeout)) {
            Some(answer) => {
                self.next += 1;
                Some(decode(answer))
            }
            None => Some(Err(TaskError::TimedOut)),
        }
    }
}

impl<O: DeserializeOwned> Iterator for Imap<O> {
    type Item = Result<O, TaskError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_timeout(Duration::MAX)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.len - self.next;
        (left, Some(left))
    }
}

impl<O> fmt::Debug for Imap<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Imap")
            .field("next", &self.next)
            .field("len", &self.len)
            .finish()
    }
}

/// A finished task, as [`ImapUnordered::next_indexed`] gives it: the index of its
/// input, and its value or error (the shape of [`crate::Completed`]).
pub type Finished<O> = (usize, Result<O, TaskError>);

/// The results of [`Pool::imap_unordered`](super::Pool::imap_unordered), in the
/// order they arrive.
pub struct ImapUnordered<O> {
    batch: Arc<Batch>,
    left: usize,
    output: PhantomData<fn() -> O>,
}

impl<O: DeserializeOwned> ImapUnordered<O> {
    pub(crate) fn new(batch: Arc<Batch>, len: usize) -> Self {
        Self {
            batch,
            left: len,
            output: PhantomData,
        }
    }

    /// The next result to arrive, with the index of its input, waiting at most
    /// `timeout`: `Ok(None)` when all have been given, `Err(TaskError::TimedOut)`
    /// when none arrived in time (ask again). The shape of
    /// [`AsCompleted::next_timeout`](crate::AsCompleted::next_timeout).
    pub fn next_timeout(&mut self, timeout: Duration) -> Result<Option<Finished<O>>, TaskError> {
        self.next_until(deadline_after(timeout))
    }

    /// Like [`Iterator::next`], with the index of the input each result is for.
    pub fn next_indexed(&mut self) -> Option<Finished<O>> {
        // Without a deadline the wait ends only with an answer.
        self.next_until(None).unwrap_or(None)
    }

    fn next_until(&mut self, deadline: Option<Instant>) -> Result<Option<Finished<O>>, TaskError> {
        if self.left == 0 {
            return Ok(None);
        }
        let (index, answer) = self
            .batch
            .take_arrived(deadline)
            .ok_or(TaskError::TimedOut)?;
        self.left -= 1;
        Ok(Some((index, decode(answer))))
    }
}

impl<O: DeserializeOwned> Iterator for ImapUnordered<O> {
    type Item = Result<O, TaskError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_indexed().map(|(_, result)| result)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<O> fmt::Debug for ImapUnordered<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImapUnordered")
            .field("left", &self.left)
            .finish()
    }
}
