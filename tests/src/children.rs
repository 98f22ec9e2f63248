//! Driving `share-child`, the other process in the tests of sync-kit's process
//! primitives: starting it with primitives shared by name, reading what it says,
//! and ending it, every wait bounded by [`DEADLINE`].

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use sync_kit::process::{CommandExt, Share};

/// How long any step may take before the test fails rather than hangs.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// A name, and what shares a primitive with a command under it.
pub type Passed<'a> = (&'a str, &'a dyn Fn(&mut Command, &str));

/// Starts `program` (the test's `share-child`) with `args`, its stdout piped, and
/// each of `shares` passed under its name.
///
/// # Panics
///
/// When it cannot be started.
pub fn start(program: &Path, args: &[&str], shares: &[Passed<'_>]) -> Child {
    let mut command = Command::new(program);
    command.args(args).stdout(Stdio::piped());
    for (name, share) in shares {
        share(&mut command, name);
    }
    command.spawn().expect("share-child starts")
}

/// What shares `what` with a command, for [`start`].
///
/// # Panics
///
/// When sharing fails (the process is out of descriptors).
pub fn pass<S: Share>(what: &S) -> impl Fn(&mut Command, &str) + '_ {
    move |command, name| {
        command.share(name, what).expect("shared");
    }
}

/// The child's stdout, a line at a time.
///
/// # Panics
///
/// When its stdout was taken already.
pub fn lines(child: &mut Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().expect("piped");
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

/// The next line, waited for at most [`DEADLINE`].
///
/// # Panics
///
/// When none comes in time: the test fails, naming `what` it waited for.
pub fn next(lines: &mpsc::Receiver<String>, what: &str) -> String {
    lines
        .recv_timeout(DEADLINE)
        .unwrap_or_else(|_| panic!("the child did not print {what} within {DEADLINE:?}"))
}

/// Waits for the child to end.
///
/// # Panics
///
/// When it has not ended within [`DEADLINE`] (it is killed first).
pub fn finish(mut child: Child) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the child did not end within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Kills the child with SIGKILL and reaps it.
///
/// # Panics
///
/// When the signal cannot be sent.
pub fn kill(mut child: Child) {
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
}
