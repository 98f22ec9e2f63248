//! `--python`: the CPU-bound and I/O-bound rows again, in Python threads and Python
//! processes, so that the global interpreter lock's effect is measured beside Rust.

use std::process::Command;

use anyhow::Context;

use super::{Row, Scale, Unit};

/// The script, run from a file of its own (process pools may re-import it).
const SCRIPT: &str = include_str!("../../python/threads_vs_processes.py");

/// What Python measured, as its script prints it.
#[derive(Debug, serde::Deserialize)]
struct Measured {
    threads_ms: f64,
    processes_ms: f64,
    gil: bool,
}

/// The Python rows, and whether its threads held a GIL; `None` when `python3` is
/// not there.
pub(crate) fn rows(scale: Scale) -> anyhow::Result<Option<(Vec<Row>, bool)>> {
    if Command::new("python3").arg("--version").output().is_err() {
        return Ok(None);
    }
    let script = std::env::temp_dir().join(format!("ex01-python-{}.py", std::process::id()));
    std::fs::write(&script, SCRIPT).with_context(|| format!("writing {}", script.display()))?;
    let outcome = measure(&script, scale);
    let _ = std::fs::remove_file(&script);
    outcome.map(Some)
}

fn measure(script: &std::path::Path, scale: Scale) -> anyhow::Result<(Vec<Row>, bool)> {
    let limit: u64 = scale.pick(100_000, 1_000_000);
    let (waiters, wait_ms): (u32, u32) = scale.pick((16, 20), (64, 50));
    let cpu = run(script, &["cpu", &limit.to_string(), "2"])?;
    let io = run(script, &["io", &waiters.to_string(), &wait_ms.to_string()])?;
    let rows = vec![
        Row {
            claim: format!("python cpu-bound primes below {limit}, 2 workers"),
            unit: Unit::Millis,
            threads: cpu.threads_ms,
            processes: cpu.processes_ms,
            how: None,
        },
        Row {
            claim: format!("python io-bound, {waiters} waits of {wait_ms} ms overlapped"),
            unit: Unit::Millis,
            threads: io.threads_ms,
            processes: io.processes_ms,
            how: None,
        },
    ];
    Ok((rows, cpu.gil))
}

fn run(script: &std::path::Path, args: &[&str]) -> anyhow::Result<Measured> {
    let output = Command::new("python3")
        .arg(script)
        .args(args)
        .output()
        .context("running python3")?;
    anyhow::ensure!(
        output.status.success(),
        "python3 {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr).trim()
    );
    serde_json::from_slice(&output.stdout).context("reading what the Python script measured")
}
