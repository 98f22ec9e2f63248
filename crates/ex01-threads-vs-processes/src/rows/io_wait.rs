//! I/O-bound work: many workers each blocked in a wait (a sleep, as a network or
//! disk request would block), overlapped by threads against processes. Both
//! overlap the waits; what differs is what each waiter costs to start and end.

use std::time::{Duration, Instant};

use sync_kit::cli::median;

use super::{Row, Scale, Unit, millis};

/// The time for every waiter to finish, each way.
pub(crate) fn row(scale: Scale) -> anyhow::Result<Row> {
    let (waiters, wait_ms) = scale.pick((16, 20u64), (64, 50));
    let (mut threads, mut processes) = (Vec::new(), Vec::new());
    for _ in 0..scale.repeat {
        let started = Instant::now();
        let sleepers: Vec<_> = (0..waiters)
            .map(|_| std::thread::spawn(move || std::thread::sleep(Duration::from_millis(wait_ms))))
            .collect();
        for sleeper in sleepers {
            sleeper
                .join()
                .map_err(|_| anyhow::anyhow!("a waiting thread panicked"))?;
        }
        threads.push(started.elapsed());

        let started = Instant::now();
        let mut children = Vec::new();
        for _ in 0..waiters {
            children.push(super::worker_command("sleep", &[wait_ms])?.spawn()?);
        }
        for mut child in children {
            let status = child.wait()?;
            anyhow::ensure!(status.success(), "a waiting process failed: {status}");
        }
        processes.push(started.elapsed());
    }
    Ok(Row {
        claim: format!("io-bound, {waiters} waits of {wait_ms} ms overlapped"),
        unit: Unit::Millis,
        threads: millis(median(threads)),
        processes: millis(median(processes)),
        how: None,
    })
}
