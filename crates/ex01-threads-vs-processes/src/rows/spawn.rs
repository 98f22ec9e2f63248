//! Starting and ending one unit of work: `thread::spawn` + `join` against a process
//! spawn + wait (this program re-run as a worker that exits at once).

use std::time::Instant;

use sync_kit::cli::median;

use super::{Row, Scale, Unit, micros};

/// The medians of many spawns each way, taken in turns so that whatever else the
/// machine is doing weighs on both sides alike.
pub(crate) fn row(scale: Scale) -> anyhow::Result<Row> {
    let samples = scale.pick(10, 50) * scale.repeat;
    let (mut threads, mut processes) = (Vec::new(), Vec::new());
    for _ in 0..samples {
        let started = Instant::now();
        std::thread::spawn(|| std::hint::black_box(1))
            .join()
            .map_err(|_| anyhow::anyhow!("a spawned thread panicked"))?;
        threads.push(started.elapsed());

        let mut command = super::worker_command("exit", &[])?;
        let started = Instant::now();
        let status = command.status()?;
        processes.push(started.elapsed());
        anyhow::ensure!(status.success(), "a worker process failed: {status}");
    }
    Ok(Row {
        claim: "spawn and join one unit of work".into(),
        unit: Unit::Micros,
        threads: micros(median(threads)),
        processes: micros(median(processes)),
        how: None,
    })
}
