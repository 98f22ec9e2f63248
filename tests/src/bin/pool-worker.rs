//! `pool-worker`: serves the process-pool tests' tasks ([`tests_integration::pool_tasks`]) as a
//! pool worker, since a test's own executable cannot be one.
//!
//! Started by hand, `pool-worker parent N` builds a pool of N of itself, prints
//! the workers' process ids on one line, and sleeps until killed: the tests kill
//! it to prove its workers do not outlive it.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use sync_kit::process::{self, Pool};
use tests_integration::pool_tasks::TASKS;

fn main() -> ExitCode {
    process::init(&TASKS);
    let args: Vec<String> = std::env::args().skip(1).collect();
    let workers = match args.as_slice() {
        [mode, n] if mode == "parent" => n.parse().ok(),
        _ => None,
    };
    let Some(workers) = workers else {
        eprintln!("usage: pool-worker parent N  (builds a pool of N, prints its pids, sleeps)");
        return ExitCode::from(2);
    };
    let pool = match Pool::new(workers) {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("pool-worker: {e}");
            return ExitCode::FAILURE;
        }
    };
    let pids: Vec<String> = pool.pids().iter().map(ToString::to_string).collect();
    println!("{}", pids.join(" "));
    let _ = std::io::stdout().flush();
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
