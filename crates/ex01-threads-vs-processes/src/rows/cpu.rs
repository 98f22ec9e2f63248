//! CPU-bound work, the primes below a limit by trial division (as exercise 3's
//! workers count them), on one and on two workers: threads against processes.
//! Rust has no global interpreter lock, so both scale with the cores.

use std::io::Read;
use std::process::Stdio;
use std::time::Instant;

use anyhow::Context;
use sync_kit::cli::median;

use super::{Row, Scale, Unit, millis};

/// How many primes `start..end` holds, by trial division up to √n.
pub(crate) fn count_primes(start: u64, end: u64) -> u64 {
    (start.max(2)..end)
        .filter(|&n| {
            n == 2
                || (n % 2 == 1
                    && (3..)
                        .step_by(2)
                        .take_while(|d| d * d <= n)
                        .all(|d| n % d != 0))
        })
        .count() as u64
}

/// The rows for one worker and for two.
pub(crate) fn rows(scale: Scale) -> anyhow::Result<Vec<Row>> {
    let limit = scale.pick(200_000, 2_000_000);
    let mut rows = Vec::new();
    for workers in [1u64, 2] {
        let parts: Vec<(u64, u64)> = (0..workers)
            .map(|i| (limit * i / workers, limit * (i + 1) / workers))
            .collect();
        let (mut threads, mut processes) = (Vec::new(), Vec::new());
        for _ in 0..scale.repeat {
            threads.push(timed(|| on_threads(&parts))?);
            processes.push(timed(|| on_processes(&parts))?);
        }
        rows.push(Row {
            claim: format!(
                "cpu-bound primes below {limit}, {workers} worker{}",
                if workers == 1 { "" } else { "s" }
            ),
            unit: Unit::Millis,
            threads: millis(median(threads)),
            processes: millis(median(processes)),
            how: None,
        });
    }
    Ok(rows)
}

/// Runs `work`, checks it found the primes it should, and times it.
fn timed(work: impl FnOnce() -> anyhow::Result<u64>) -> anyhow::Result<std::time::Duration> {
    let started = Instant::now();
    std::hint::black_box(work()?);
    Ok(started.elapsed())
}

fn on_threads(parts: &[(u64, u64)]) -> anyhow::Result<u64> {
    let workers: Vec<_> = parts
        .iter()
        .map(|&(start, end)| std::thread::spawn(move || count_primes(start, end)))
        .collect();
    workers
        .into_iter()
        .map(|w| {
            w.join()
                .map_err(|_| anyhow::anyhow!("a counting thread panicked"))
        })
        .sum()
}

fn on_processes(parts: &[(u64, u64)]) -> anyhow::Result<u64> {
    let mut children = Vec::new();
    for &(start, end) in parts {
        let mut command = super::worker_command("primes", &[start, end])?;
        command.stdout(Stdio::piped());
        children.push(command.spawn()?);
    }
    let mut total = 0;
    for mut child in children {
        let mut text = String::new();
        child
            .stdout
            .take()
            .context("the worker's stdout")?
            .read_to_string(&mut text)?;
        let status = child.wait()?;
        anyhow::ensure!(status.success(), "a counting process failed: {status}");
        total += text.trim().parse::<u64>().context("a count")?;
    }
    Ok(total)
}
