//! `bounded-run CMD [ARGS…]`: runs one command through `test_kit::run` and reports
//! how it ended. The integration tests kill this runner to prove that what it runs
//! dies with it; it is also a quick way to see what the runner does by hand.

use std::process::{Command, ExitCode};
use std::time::Duration;

use test_kit::run::{Limits, run};

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let Some(program) = args.next() else {
        eprintln!(
            "usage: bounded-run CMD [ARGS…]  (runs CMD with a 60 s deadline and a 1 MiB output cap)"
        );
        return ExitCode::from(2);
    };
    let mut command = Command::new(program);
    command.args(args);
    let limits = Limits {
        deadline: Duration::from_secs(60),
        ..Limits::default()
    };
    match run(command, &limits) {
        Ok(outcome) => {
            println!(
                "{:?} after {:.3} s",
                outcome.ending,
                outcome.elapsed.as_secs_f64()
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
