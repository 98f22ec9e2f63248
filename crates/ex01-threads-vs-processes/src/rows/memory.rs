//! What one more idle worker costs in memory: the resident memory one more parked
//! thread adds to its process, against the proportional share (PSS) of one more
//! idle process, which counts the pages it shares with others only in part.

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;
use std::sync::mpsc;

use anyhow::Context;

use super::{Row, Scale, Unit};

/// The average over a few workers each way.
pub(crate) fn row(scale: Scale) -> anyhow::Result<Row> {
    let count = scale.pick(8, 32);
    let threads = per_thread(count)?;
    let (pss, rss) = per_process(count)?;
    Ok(Row {
        claim: "memory of one more idle worker".into(),
        unit: Unit::KiB,
        threads,
        processes: pss,
        how: Some(format!("(PSS; each alone has {rss:.0} KiB resident)")),
    })
}

/// The growth of this process's resident memory, per parked thread.
fn per_thread(count: usize) -> anyhow::Result<f64> {
    let before = kib("/proc/self/status", "VmRSS:")?;
    let (release, parked) = mpsc::channel::<()>();
    let parked = std::sync::Arc::new(std::sync::Mutex::new(parked));
    let (ready, all_ready) = mpsc::channel();
    let threads: Vec<_> = (0..count)
        .map(|_| {
            let (parked, ready) = (parked.clone(), ready.clone());
            std::thread::spawn(move || {
                let _ = ready.send(());
                // Each waits for the one release message, which never comes:
                // they end when the sender is dropped.
                let _ = parked.lock().map(|rx| rx.recv());
            })
        })
        .collect();
    for _ in 0..count {
        all_ready.recv().context("a thread did not start")?;
    }
    let after = kib("/proc/self/status", "VmRSS:")?;
    drop(release);
    for thread in threads {
        let _ = thread.join();
    }
    Ok((after - before).max(0.0) / count as f64)
}

/// The average PSS and resident size of idle worker processes.
fn per_process(count: usize) -> anyhow::Result<(f64, f64)> {
    let mut children = Vec::with_capacity(count);
    for _ in 0..count {
        let mut command = super::worker_command("idle", &[])?;
        command.stdin(Stdio::piped()).stdout(Stdio::piped());
        let mut child = command.spawn()?;
        // The worker says it is ready once it is up and waiting.
        let mut ready = [0u8];
        child
            .stdout
            .as_mut()
            .context("the worker's stdout")?
            .read_exact(&mut ready)?;
        children.push(child);
    }
    let (mut pss, mut rss) = (0.0, 0.0);
    for child in &children {
        let rollup = format!("/proc/{}/smaps_rollup", child.id());
        pss += kib(&rollup, "Pss:")?;
        rss += kib(&rollup, "Rss:")?;
    }
    for mut child in children {
        drop(child.stdin.take());
        child.wait()?;
    }
    Ok((pss / count as f64, rss / count as f64))
}

/// The figure in kB after `label` in a `/proc` file.
fn kib(path: &str, label: &str) -> anyhow::Result<f64> {
    let file = std::fs::File::open(path).with_context(|| format!("reading {path}"))?;
    for line in BufReader::new(file).lines() {
        let line = line?;
        if let Some(rest) = line.strip_prefix(label) {
            let number = rest.trim().trim_end_matches("kB").trim();
            return number
                .parse()
                .with_context(|| format!("{path}: `{line}` is no size in kB"));
        }
    }
    anyhow::bail!("{path} has no `{label}` line")
}
