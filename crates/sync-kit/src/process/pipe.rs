//! [`pipe`] and [`one_way`]: Python's `multiprocessing.Pipe()` and
//! `Pipe(duplex=False)`, typed, over a Unix socketpair, each message a
//! length-prefixed postcard frame.

use std::fmt;
use std::io;
use std::marker::PhantomData;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags};
use rustix::net::{RecvFlags, SendFlags};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::share::{self, Share};
use super::wire;
use crate::sync::deadline_after;

/// Both ends of a duplex pipe: the first sends `A` and receives `B`, the second
/// the other way round. Hand one end to a child with
/// [`CommandExt::share`](super::CommandExt::share); it takes it with
/// [`inherit`](super::inherit) as a `Connection<B, A>`.
///
/// ```
/// use sync_kit::process::pipe;
///
/// let (mut parent, mut child) = pipe::<String, usize>().expect("a socketpair");
/// parent.send(&"data".to_owned()).expect("sent");
/// let got = child.recv().expect("received");
/// child.send(&got.len()).expect("sent");
/// assert_eq!(parent.recv().expect("received"), 4);
/// drop(child);
/// assert!(parent.recv().expect_err("the other end is gone").is_closed());
/// ```
///
/// # Errors
///
/// The system refused the socketpair.
pub fn pipe<A, B>() -> io::Result<(Connection<A, B>, Connection<B, A>)> {
    let (left, right) = socketpair()?;
    Ok((Connection::new(left), Connection::new(right)))
}

/// Both ends of a one-way pipe, receiving end first, as Python's
/// `Pipe(duplex=False)` returns them.
///
/// # Errors
///
/// The system refused the socketpair.
pub fn one_way<T>() -> io::Result<(Connection<(), T>, Connection<T, ()>)> {
    let (receiving, sending) = socketpair()?;
    receiving.shutdown(std::net::Shutdown::Write)?;
    sending.shutdown(std::net::Shutdown::Read)?;
    Ok((Connection::new(receiving), Connection::new(sending)))
}

/// One end of a pipe: sends `S`, receives `R`. A receiving end whose other end has
/// closed (its process exited or died) reads end-of-file, [`RecvError::Closed`],
/// once everything sent before is received; a message cut short by a death is
/// [`RecvError::Broken`], never half a value.
pub struct Connection<S, R> {
    stream: UnixStream,
    /// Bytes received and not yet returned: the start of the next frame.
    received: Vec<u8>,
    _types: PhantomData<fn(S) -> R>,
}

/// Why a receive gave no message.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecvError {
    /// The other end is closed and everything it sent has been received.
    #[error("the other end of the pipe is closed")]
    Closed,
    /// The other end closed in the middle of a message (its process died while
    /// sending it); the partial message is dropped.
    #[error("the other end of the pipe closed in the middle of a message")]
    Broken,
    /// A timed receive's time ran out; a message partly received so far is kept
    /// for the next call.
    #[error("no message arrived in time")]
    TimedOut,
    /// The bytes arrived but are not an `R` (the two ends disagree on the type).
    #[error("{0}")]
    Decode(io::Error),
    /// The system failed the read.
    #[error("reading from the pipe failed: {0}")]
    Io(#[from] io::Error),
}

impl RecvError {
    /// Whether the other end is gone: [`RecvError::Closed`] or [`RecvError::Broken`].
    pub fn is_closed(&self) -> bool {
        matches!(self, Self::Closed | Self::Broken)
    }
}

impl<S: Serialize, R: DeserializeOwned> Connection<S, R> {
    /// Sends `message`, waiting while the socket's buffer is full.
    ///
    /// # Errors
    ///
    /// `BrokenPipe` when the other end is closed; `InvalidInput` for a value
    /// postcard cannot encode.
    pub fn send(&mut self, message: &S) -> io::Result<()> {
        self.send_until(message, None)
    }

    /// Sends `message`, waiting at most `timeout` for room in the socket's buffer.
    /// A message that timed out part-way has broken the stream (the other end
    /// would read half a frame): the connection is shut down.
    ///
    /// # Errors
    ///
    /// `TimedOut`, or as for [`Connection::send`].
    pub fn send_timeout(&mut self, message: &S, timeout: Duration) -> io::Result<()> {
        self.send_until(message, deadline_after(timeout))
    }

    fn send_until(&mut self, message: &S, deadline: Option<Instant>) -> io::Result<()> {
        let mut frame = Vec::new();
        wire::try_encode_frame(message, &mut frame)?;
        let mut rest = &frame[..];
        // A timed send waits for room in `poll` and never in `send` itself; an
        // untimed one just lets `send` block.
        let flags = match deadline {
            Some(_) => SendFlags::NOSIGNAL | SendFlags::DONTWAIT,
            None => SendFlags::NOSIGNAL,
        };
        while !rest.is_empty() {
            if deadline.is_some() && !ready(&self.stream, PollFlags::OUT, deadline)? {
                if rest.len() < frame.len() {
                    let _ = self.stream.shutdown(std::net::Shutdown::Both);
                }
                return Err(io::ErrorKind::TimedOut.into());
            }
            // MSG_NOSIGNAL: a closed other end is an error here, not SIGPIPE.
            match rustix::net::send(&self.stream, rest, flags) {
                Ok(sent) => rest = &rest[sent..],
                Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// Waits for the next message.
    ///
    /// # Errors
    ///
    /// See [`RecvError`].
    pub fn recv(&mut self) -> Result<R, RecvError> {
        self.receive(None)
    }

    /// Waits at most `timeout` for the next message.
    ///
    /// # Errors
    ///
    /// [`RecvError::TimedOut`], or as for [`Connection::recv`].
    pub fn recv_timeout(&mut self, timeout: Duration) -> Result<R, RecvError> {
        self.receive(deadline_after(timeout))
    }

    /// Whether a message (or end-of-file) can be received without waiting, after
    /// waiting at most `timeout`: Python's `Connection.poll`.
    ///
    /// # Errors
    ///
    /// The system failed the poll.
    pub fn poll(&self, timeout: Duration) -> io::Result<bool> {
        if wire::first_frame(&self.received)?.is_some() {
            return Ok(true);
        }
        ready(&self.stream, PollFlags::IN, deadline_after(timeout))
    }

    fn receive(&mut self, deadline: Option<Instant>) -> Result<R, RecvError> {
        loop {
            if let Some(len) = wire::first_frame(&self.received).map_err(RecvError::Decode)? {
                let message = wire::decode(&self.received[4..4 + len]).map_err(RecvError::Decode);
                self.received.drain(..4 + len);
                return message;
            }
            // A timed receive waits in `poll`; an untimed one just lets `recv` block.
            if deadline.is_some() && !ready(&self.stream, PollFlags::IN, deadline)? {
                return Err(RecvError::TimedOut);
            }
            // Straight into the buffer's spare room: no zeroing, no second copy.
            self.received.reserve(64 * 1024);
            let spare = rustix::buffer::spare_capacity(&mut self.received);
            let read = match rustix::net::recv(&self.stream, spare, RecvFlags::empty()) {
                Ok((read, _)) => read,
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(RecvError::Io(e.into())),
            };
            if read == 0 {
                return Err(if self.received.is_empty() {
                    RecvError::Closed
                } else {
                    self.received.clear();
                    RecvError::Broken
                });
            }
        }
    }
}

impl<S, R> Connection<S, R> {
    fn new(stream: UnixStream) -> Self {
        Self {
            stream,
            received: Vec::new(),
            _types: PhantomData,
        }
    }
}

impl<S, R> fmt::Debug for Connection<S, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("stream", &self.stream)
            .field("bytes_waiting", &self.received.len())
            .finish()
    }
}

impl<S, R> share::private::Sealed for Connection<S, R> {}

impl<S: Serialize, R: DeserializeOwned> Share for Connection<S, R> {
    fn descriptors(&self) -> Vec<BorrowedFd<'_>> {
        vec![self.stream.as_fd()]
    }

    fn from_descriptors(fds: Vec<OwnedFd>, _: &str) -> io::Result<Self> {
        let [fd] = share::exactly(fds, "pipe end")?;
        let is_socket = rustix::fs::fstat(&fd).is_ok_and(|stat| {
            rustix::fs::FileType::from_raw_mode(stat.st_mode) == rustix::fs::FileType::Socket
        });
        if !is_socket {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the descriptor shared is not a pipe end",
            ));
        }
        Ok(Self::new(UnixStream::from(fd)))
    }
}

fn socketpair() -> io::Result<(UnixStream, UnixStream)> {
    // std's pair is close-on-exec, as every descriptor here is until shared.
    UnixStream::pair()
}

/// Waits until `stream` is ready for `what` (to be read: data or end-of-file; to
/// be written: room, or the other end gone), or the deadline passes (`Ok(false)`);
/// no deadline waits for ever.
fn ready(stream: &UnixStream, what: PollFlags, deadline: Option<Instant>) -> io::Result<bool> {
    loop {
        let timeout = match deadline {
            None => None,
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                Some(rustix::time::Timespec::try_from(left).map_err(io::Error::other)?)
            }
        };
        let mut fds = [PollFd::new(stream, what)];
        match rustix::event::poll(&mut fds, timeout.as_ref()) {
            Ok(0) => return Ok(false),
            Ok(_) => return Ok(true),
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
}
