//! The Thread panic section: a panic in a spawned thread is lost if nobody joins
//! it, returned by `join` if somebody does, re-raised in the caller by a scoped
//! thread; and a mutex whose holder panicked is poisoned, its data still there to
//! be repaired.
//!
//! The program's panic hook stays quiet for the panics this program raises on
//! purpose ([`deliberate`]) and only records them, so the section can show what
//! the hook heard; any other panic is reported by Rust's default hook as usual.

use std::cell::Cell;
use std::sync::{Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::jobs::Cancel;
use crate::{Args, say};

/// The message every demonstration panic of this section carries.
const MESSAGE: &str = "cannot divide 10 by 0";

/// Thread panic.
pub(crate) fn show(_: &Args, _: &Cancel) -> anyhow::Result<()> {
    // Spawned and forgotten: the handle is dropped at once.
    drop(
        thread::Builder::new()
            .name("unjoined".into())
            .spawn(|| deliberate(MESSAGE))
            .context("spawning a thread")?,
    );
    let heard = wait_heard(MESSAGE)?;
    say(format_args!(
        "unjoined thread panicked: {heard:?}; only the panic hook heard it, nobody was told"
    ))?;

    let joined = thread::spawn(|| deliberate(MESSAGE)).join();
    match joined {
        Err(payload) => say(format_args!(
            "joined thread panicked: join() returned Err({:?})",
            sync_kit::panic_message(payload.as_ref())
        ))?,
        Ok(()) => bail!("a thread that panicked joined with Ok"),
    }

    let scoped = std::panic::catch_unwind(|| {
        // The scope's own panic, raised in this thread when it ends, is expected too.
        DELIBERATE.set(true);
        thread::scope(|scope| {
            scope.spawn(|| deliberate(MESSAGE));
        });
    });
    DELIBERATE.set(false);
    match scoped {
        Err(payload) => say(format_args!(
            "scoped thread panicked: the scope panicked in the caller in turn: {:?}",
            sync_kit::panic_message(payload.as_ref())
        ))?,
        Ok(()) => bail!("a scope whose thread panicked returned normally"),
    }

    poisoned_mutex()
}

/// A transfer of 10 from `a` to `b` that panics halfway, holding the lock.
fn poisoned_mutex() -> anyhow::Result<()> {
    const TOTAL: u64 = 100;
    const MOVED: u64 = 10;
    let accounts = Mutex::new((TOTAL, 0_u64));
    let _ = thread::scope(|scope| {
        scope
            .spawn(|| {
                let mut guard = accounts.lock().unwrap_or_else(PoisonError::into_inner);
                guard.0 -= MOVED;
                deliberate("the transfer failed halfway");
            })
            .join()
    });
    let Err(poisoned) = accounts.lock() else {
        bail!("the mutex was not poisoned by a holder that panicked");
    };
    let mut guard = poisoned.into_inner();
    let (a, b) = *guard;
    say(format_args!(
        "next lock(): PoisonError: its holder panicked after moving {MOVED} out of a: a = {a}, b = {b}"
    ))?;
    guard.1 += TOTAL - a - b;
    let (a, b) = *guard;
    drop(guard);
    accounts.clear_poison();
    if accounts.lock().is_err() {
        bail!("the mutex was still poisoned after clear_poison()");
    }
    Ok(say(format_args!(
        "repaired, then clear_poison(): a = {a}, b = {b}: a + b = {} of {TOTAL}; the next lock() is Ok",
        a + b
    ))?)
}

thread_local! {
    /// Whether this thread's next panic is one the program raises on purpose.
    static DELIBERATE: Cell<bool> = const { Cell::new(false) };
}

/// The panics the hook heard of and kept quiet about.
static HEARD: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Panics with `message`, on purpose: the hook records it instead of printing.
pub(crate) fn deliberate(message: &str) -> ! {
    DELIBERATE.set(true);
    std::panic::panic_any(message.to_owned())
}

/// Installs the program's panic hook: quiet for deliberate panics (recorded in
/// [`HEARD`]), Rust's default for any other.
pub(crate) fn install_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if DELIBERATE.replace(false) {
            HEARD
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(sync_kit::panic_message(info.payload()));
        } else {
            default(info);
        }
    }));
}

/// Waits until the hook heard a panic with `message`, and takes it.
fn wait_heard(message: &str) -> anyhow::Result<String> {
    let started = Instant::now();
    loop {
        {
            let mut heard = HEARD.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(at) = heard.iter().position(|m| m == message) {
                return Ok(heard.remove(at));
            }
        }
        if started.elapsed() > Duration::from_secs(5) {
            bail!("the panic hook never heard the unjoined thread's panic");
        }
        thread::sleep(Duration::from_millis(1));
    }
}
