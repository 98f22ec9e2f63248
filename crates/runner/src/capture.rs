//! One captured output stream, read by its own thread up to a cap.

use std::io::{self, Read};
use std::process::ExitStatus;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// What the runner's helper threads report.
pub(super) enum Event {
    /// The leader's status, and how many escaped processes the sweep killed.
    Exited(io::Result<ExitStatus>, io::Result<usize>),
    OutputLimit,
}

/// One captured output stream, read by its own thread into a shared buffer.
pub(super) struct Capture {
    kept: Arc<Mutex<Vec<u8>>>,
    reader: Option<JoinHandle<()>>,
}

impl Capture {
    /// Reads `pipe` until it closes, keeping `cap` bytes; past the cap, tells
    /// `over_cap` (once) if given and drains the rest.
    pub(super) fn start(
        pipe: Option<impl Read + Send + 'static>,
        cap: usize,
        over_cap: Option<Sender<Event>>,
    ) -> Self {
        let kept = Arc::new(Mutex::new(Vec::new()));
        let reader = pipe.map(|mut pipe| {
            let kept = Arc::clone(&kept);
            thread::spawn(move || {
                let mut buf = [0u8; 8192];
                let mut over_cap = over_cap;
                loop {
                    let n = match pipe.read(&mut buf) {
                        Ok(0) => break,
                        Ok(n) => n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(_) => break,
                    };
                    let mut kept = kept.lock().unwrap_or_else(PoisonError::into_inner);
                    let room = cap.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                    if n > room
                        && let Some(tell) = over_cap.take()
                    {
                        let _ = tell.send(Event::OutputLimit);
                    }
                }
            })
        });
        Self { kept, reader }
    }

    /// Whether the stream closed by `by`.
    pub(super) fn wait_closed(&self, by: Instant) -> bool {
        let Some(reader) = &self.reader else {
            return true;
        };
        while !reader.is_finished() {
            if Instant::now() >= by {
                return false;
            }
            thread::sleep(Duration::from_millis(2));
        }
        true
    }

    pub(super) fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.kept.lock().unwrap_or_else(PoisonError::into_inner))
    }
}
