//! The tasks the process-pool tests run, shared by the tests and by the
//! `pool-worker` binary that serves them (a test's own executable is libtest's
//! harness, which cannot be a worker), and the `/proc` checks that find what a
//! pool left behind.

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use sync_kit::process::{Registered, Task};

/// n².
pub static SQUARE: Task<u64, u64> = Task::new("square", |n| n * n);

/// Gives back its input after sleeping `micros` µs: `(input, micros)`.
pub static ECHO_AFTER: Task<(u64, u64), u64> = Task::new("echo_after", |(n, micros)| {
    std::thread::sleep(Duration::from_micros(micros));
    n
});

/// The worker's process id, after sleeping `millis` ms.
pub static PID_AFTER: Task<u64, u32> = Task::new("pid_after", |millis| {
    std::thread::sleep(Duration::from_millis(millis));
    std::process::id()
});

/// `a / b`, failing on a zero divisor.
pub static DIVIDE: Task<(i64, i64), i64> = Task::fallible("divide", |(a, b)| {
    a.checked_div(b)
        .ok_or_else(|| format!("cannot divide {a} by {b}"))
});

/// Panics with its input as the message.
pub static PANIC: Task<String, ()> = Task::new("panic", |message| panic!("{message}"));

/// Ends the worker: `abort` (SIGABRT), or `exit` with the given code.
pub static DIE: Task<Option<i32>, ()> = Task::new("die", |code| match code {
    Some(code) => std::process::exit(code),
    None => std::process::abort(),
});

/// Hangs up on the pool (shuts down the worker's channel, the one socket it
/// holds), then exits with `code` after `millis` ms: `(millis, code)`. A worker
/// slow to exit after hanging up.
pub static HANG_UP_THEN_EXIT: Task<(u64, i32), ()> =
    Task::new("hang_up_then_exit", |(millis, code)| {
        for (fd, target) in descriptors() {
            if target.starts_with("socket:") {
                // SAFETY: `fd` is open (just listed) and this single-threaded worker
                // closes nothing while the task runs; the borrow ends in this call.
                let socket = unsafe { std::os::fd::BorrowedFd::borrow_raw(fd) };
                let _ = rustix::net::shutdown(socket, rustix::net::Shutdown::Both);
            }
        }
        std::thread::sleep(Duration::from_millis(millis));
        std::process::exit(code)
    });

/// What the initializer stored in this worker, if it ran.
static TAG: OnceLock<String> = OnceLock::new();

/// Stores its argument for [`TAG_OF_WORKER`]; fails on an empty one.
pub static INIT_TAG: Task<String, ()> = Task::fallible("init_tag", |tag| {
    if tag.is_empty() {
        return Err("an empty tag".into());
    }
    TAG.set(tag)
        .map_err(|_| "the initializer ran twice".to_owned())
});

/// The initializer's tag in this worker (empty if none ran).
pub static TAG_OF_WORKER: Task<(), String> =
    Task::new("tag_of_worker", |()| TAG.get().cloned().unwrap_or_default());

/// Runs this executable again with no arguments, as a program a task starts, and
/// returns its exit code: 2 (its usage error) when it rightly runs as a program,
/// not as a pool worker.
pub static RUN_SELF: Task<(), Option<i32>> = Task::fallible("run_self", |()| {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = std::process::Command::new(exe)
        .output()
        .map_err(|e| e.to_string())?;
    Ok(output.status.code())
});

/// Squares 1..=n on a pool of one worker that the task builds itself, inside a
/// worker: a worker is not refused a pool of its own.
pub static NESTED_SQUARES: Task<u64, Vec<u64>> = Task::fallible("nested_squares", |n| {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let pool = sync_kit::process::Pool::builder()
        .workers(1)
        .program(exe)
        .build()
        .map_err(|e| e.to_string())?;
    pool.map(&SQUARE, 1..=n).map_err(|e| e.to_string())
});

/// An initializer that succeeds once per marker file: it creates the file, and
/// fails when it finds it there (in a worker started to replace the first).
pub static INIT_ONCE: Task<String, ()> = Task::fallible("init_once", |marker| {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&marker)
        .map(drop)
        .map_err(|_| format!("{marker} shows an earlier worker was initialised"))
});

/// An initializer that appends this worker's pid, on a line, to the file at its
/// path, then takes `millis` ms: `(path, millis)`. The file counts the workers a
/// pool started, and names them.
pub static INIT_COUNT: Task<(String, u64), ()> = Task::fallible("init_count", |(log, millis)| {
    use std::io::Write as _;
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(&log)
        .and_then(|mut file| writeln!(file, "{}", std::process::id()))
        .map_err(|e| format!("{log}: {e}"))?;
    std::thread::sleep(Duration::from_millis(millis));
    Ok(())
});

/// Waits until the file at its path exists: a worker kept busy until the test,
/// having done what it must first, creates the file.
pub static AWAIT_FILE: Task<String, ()> = Task::new("await_file", |path| {
    while !std::path::Path::new(&path).exists() {
        std::thread::sleep(Duration::from_millis(1));
    }
});

/// What `/proc/self/fd` shows this worker holds: each descriptor's target.
pub static OPEN_FILES: Task<(), Vec<String>> = Task::new("open_files", |()| {
    let mut targets: Vec<String> = descriptors().into_iter().map(|(_, t)| t).collect();
    targets.sort();
    targets
});

/// Its input, reversed: with a large input, a frame larger than a socket buffer
/// each way.
pub static REVERSE: Task<Vec<u8>, Vec<u8>> = Task::new("reverse", |mut bytes| {
    bytes.reverse();
    bytes
});

/// A task that `init` does not list.
pub static UNLISTED: Task<(), ()> = Task::new("unlisted", |()| ());

/// Every task above but [`UNLISTED`], for `sync_kit::process::init`.
pub static TASKS: [&dyn Registered; 16] = [
    &SQUARE,
    &ECHO_AFTER,
    &PID_AFTER,
    &DIVIDE,
    &PANIC,
    &DIE,
    &INIT_TAG,
    &TAG_OF_WORKER,
    &RUN_SELF,
    &NESTED_SQUARES,
    &REVERSE,
    &INIT_ONCE,
    &INIT_COUNT,
    &HANG_UP_THEN_EXIT,
    &OPEN_FILES,
    &AWAIT_FILE,
];

/// This process's open descriptors and what each refers to, from `/proc/self/fd`
/// (`socket:[…]`, `pipe:[…]`, a path).
fn descriptors() -> Vec<(i32, String)> {
    std::fs::read_dir("/proc/self/fd")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let fd = entry.file_name().to_string_lossy().parse().ok()?;
            let target = std::fs::read_link(entry.path()).ok()?;
            Some((fd, target.to_string_lossy().into_owned()))
        })
        .collect()
}

/// A path in the temporary directory named for `name` and this test process,
/// with nothing there yet.
pub fn scratch_path(name: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// Whether `pid` is still in the process table, zombies included.
pub fn exists(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// Asserts every pid in `pids` is gone from the process table (reaped, not a
/// zombie, not an orphan), allowing a moment for a dying process to go.
///
/// # Panics
///
/// When one is still there after 5 s.
pub fn assert_gone(pids: &[u32]) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while pids.iter().any(|&pid| exists(pid)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let left: Vec<u32> = pids.iter().copied().filter(|&pid| exists(pid)).collect();
    assert!(left.is_empty(), "processes left behind: {left:?}");
}

/// The children of this process (zombies included) that run the program at path
/// `worker`: the pool workers it has not reaped.
pub fn worker_children(worker: &str) -> BTreeSet<u32> {
    // A zombie has no command line left, but keeps its name in `stat`: the
    // program's file name, cut to 15 bytes.
    let name = worker.rsplit('/').next().unwrap_or(worker);
    let name = &name[..name.len().min(15)];
    let me = std::process::id().to_string();
    let mut children = BTreeSet::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // `pid (name) state ppid …`; the name may itself hold spaces or parentheses.
        let Some((head, rest)) = stat.rsplit_once(") ") else {
            continue;
        };
        let comm = head.split_once(" (").map_or("", |(_, comm)| comm);
        let ppid = rest.split(' ').nth(1);
        if ppid == Some(me.as_str()) && comm == name {
            children.insert(pid);
        }
    }
    children
}

/// Sends SIGKILL to `pid`.
///
/// # Panics
///
/// When `kill` fails: the process was expected to exist.
pub fn kill(pid: u32) {
    assert!(try_kill(pid), "kill -KILL {pid}");
}

/// Sends SIGKILL to `pid`; false when there was no such process (a worker that
/// died, and was reaped, between being listed and being killed).
pub fn try_kill(pid: u32) -> bool {
    Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .stderr(std::process::Stdio::null())
        .status()
        .expect("kill runs")
        .success()
}
