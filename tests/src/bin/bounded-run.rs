//! `bounded-run [--subreaper] CMD [ARGS…]`: runs one command through `contracts::run`
//! (or, with `--subreaper`, through a `runner::Subreaper`) and reports how it
//! ended. The integration tests kill this runner to prove that what it runs dies
//! with it, and use `--subreaper` to prove that nothing the command starts outlives
//! the run; it is also a quick way to see what the runner does by hand.
//!
//! Output: one line `ENDING after SECS s; left behind N; output held open BOOL`,
//! then the command's stdout as captured.

use std::process::{Command, ExitCode};
use std::time::Duration;

use runner::{Limits, Subreaper, run};

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1).peekable();
    let subreaper = args.next_if(|arg| arg == "--subreaper").is_some();
    let Some(program) = args.next() else {
        eprintln!(
            "usage: bounded-run [--subreaper] CMD [ARGS…]  (runs CMD with a 60 s deadline and a 1 MiB output cap)"
        );
        return ExitCode::from(2);
    };
    let mut command = Command::new(program);
    command.args(args);
    let limits = Limits {
        deadline: Duration::from_secs(60),
        ..Limits::default()
    };
    let outcome = match subreaper {
        true => Subreaper::claim().and_then(|mut reaper| reaper.run(command, &limits)),
        false => run(command, &limits),
    };
    match outcome {
        Ok(outcome) => {
            println!(
                "{:?} after {:.3} s; left behind {}; output held open {}",
                outcome.ending,
                outcome.elapsed.as_secs_f64(),
                outcome.left_behind,
                outcome.output_held_open,
            );
            print!("{}", String::from_utf8_lossy(&outcome.stdout));
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
