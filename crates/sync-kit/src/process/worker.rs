//! The worker side of the pool: [`init`], which diverts a re-executed program into
//! a worker, and the loop a worker runs until the pool lets it go.

use std::cell::Cell;
use std::io::{self, BufReader, BufWriter, Write};
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::panic::{self, AssertUnwindSafe};

use super::TaskError;
use super::task::Registered;
use super::wire::{self, Call, FromWorker, ToWorker};

/// The environment variable that makes a process a pool worker; its value is the
/// pool's process id, so a worker whose parent is already gone exits at once.
pub(crate) const WORKER_ENV: &str = "SYNC_KIT_POOL_WORKER";

/// Diverts a pool worker or a manager's server; call it first thing in `main` of
/// every program that builds a [`Pool`](super::Pool) or starts a
/// [`Manager`](super::Manager).
///
/// In the program as the user started it, this returns at once and does nothing. In
/// a manager's server, it serves the manager's clients until its owner goes, then
/// exits. In a worker (the same executable, re-executed by the pool), it serves the tasks
/// listed in `tasks` until the pool lets it go, and then exits the process: the rest
/// of `main` never runs there. List every task the program hands to its pools,
/// initializers included; a task missing from the list fails with
/// [`TaskError::UnknownTask`](super::TaskError::UnknownTask).
///
/// ```no_run
/// use sync_kit::process::{self, Pool, Task};
///
/// static SQUARE: Task<u64, u64> = Task::new("square", |n| n * n);
///
/// fn main() {
///     process::init(&[&SQUARE]);
///     let pool = Pool::builder().workers(2).build().expect("a pool");
///     assert_eq!(pool.map(&SQUARE, 1..=3), Ok(vec![1, 4, 9]));
/// }
/// ```
pub fn init(tasks: &[&dyn Registered]) {
    super::manager::server::serve_if_server();
    let Some(parent) = std::env::var_os(WORKER_ENV) else {
        return;
    };
    if !is_pool_worker() {
        return;
    }
    let code = match serve(tasks, parent.to_str().and_then(|p| p.parse().ok())) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("sync-kit pool worker {}: {e}", std::process::id());
            1
        }
    };
    std::process::exit(code);
}

thread_local! {
    /// Set while a task runs, so the panic hook stays quiet: the panic's message
    /// travels back to the caller as the task's error instead.
    static IN_TASK: Cell<bool> = const { Cell::new(false) };
}

/// A worker's life: take its channel from stdin, then answer `Init` and each `Run`
/// until the pool closes the channel or `max_tasks` runs are done.
fn serve(tasks: &[&dyn Registered], parent: Option<i32>) -> io::Result<()> {
    // Die with the pool even while busy in a long task; if the pool is already gone
    // (it died between spawning us and now), leave at once.
    rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))?;
    if Some(super::share::parent_pid()) != parent {
        return Ok(());
    }
    let channel = take_channel()?;
    let quiet_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if !IN_TASK.with(Cell::get) {
            quiet_hook(info);
        }
    }));

    let mut reader = BufReader::new(channel.try_clone()?);
    let mut writer = BufWriter::new(channel);
    let mut body = Vec::new();
    let mut runs_left = None;
    loop {
        // Replies are buffered while more requests wait to be read, and go out
        // together once the worker would otherwise block: one write per batch.
        if reader.buffer().is_empty() {
            writer.flush()?;
        }
        if runs_left == Some(0) || !wire::read_frame(&mut reader, &mut body)? {
            return writer.flush();
        }
        match wire::decode(&body)? {
            ToWorker::Init {
                initializer,
                max_tasks,
            } => {
                runs_left = max_tasks;
                let reply = match initializer.map(|call| run_call(tasks, &call)) {
                    Some(mut results) => match results.pop() {
                        Some(Err(failure)) => FromWorker::InitFailed(failure),
                        _ => FromWorker::Ready,
                    },
                    None => FromWorker::Ready,
                };
                let failed = matches!(reply, FromWorker::InitFailed(_));
                wire::write_message(&mut writer, &reply)?;
                if failed {
                    return writer.flush();
                }
            }
            ToWorker::Run { id, call } => {
                let results = run_call(tasks, &call);
                wire::write_message(&mut writer, &FromWorker::Done { id, results })?;
                runs_left = runs_left.map(|n: u64| n - 1);
            }
        }
    }
}

/// Moves the channel the pool passed as stdin to a descriptor of its own (closed on
/// exec, so programs a task starts do not inherit it), and gives stdin /dev/null.
fn take_channel() -> io::Result<UnixStream> {
    let channel: OwnedFd = rustix::io::fcntl_dupfd_cloexec(rustix::stdio::stdin(), 3)?;
    let null = std::fs::File::open("/dev/null")?;
    rustix::stdio::dup2_stdin(&null)?;
    Ok(UnixStream::from(channel))
}

/// Whether this process was started by a pool as its worker and has not begun
/// serving yet: the variable is set and stdin is the pool's socket.
///
/// A program that a task starts inherits the variable, but not the channel (a
/// serving worker's own stdin is /dev/null), so it is no worker; the environment is
/// never changed.
pub(crate) fn is_pool_worker() -> bool {
    std::env::var_os(WORKER_ENV).is_some() && stdin_is_a_socket()
}

/// Whether stdin is a socket, as the pool's channel is.
fn stdin_is_a_socket() -> bool {
    rustix::fs::fstat(rustix::stdio::stdin()).is_ok_and(|stat| {
        rustix::fs::FileType::from_raw_mode(stat.st_mode) == rustix::fs::FileType::Socket
    })
}

/// Runs `call.task` on each input, catching panics.
fn run_call(tasks: &[&dyn Registered], call: &Call<'_>) -> Vec<Result<Vec<u8>, TaskError>> {
    let Some(task) = tasks.iter().find(|task| task.name() == call.task) else {
        let unknown = TaskError::UnknownTask(call.task.to_owned());
        return vec![Err(unknown); call.inputs.len()];
    };
    call.inputs
        .iter()
        .map(|input| {
            IN_TASK.with(|flag| flag.set(true));
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| task.run_encoded(input)));
            IN_TASK.with(|flag| flag.set(false));
            outcome.unwrap_or_else(|payload| {
                Err(TaskError::Panicked(crate::panic_message(payload.as_ref())))
            })
        })
        .collect()
}
