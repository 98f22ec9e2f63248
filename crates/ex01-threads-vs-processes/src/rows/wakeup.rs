//! Waking another worker and being woken back: a ping-pong between two threads over
//! a rendezvous channel, against two processes over a pair of pipes.

use std::io::{Read, Write};
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Instant;

use anyhow::Context;

use super::{Row, Scale, Unit, micros};

/// The time of one round trip each way, over many.
pub(crate) fn row(scale: Scale) -> anyhow::Result<Row> {
    let trips = scale.pick(200, 5000) * scale.repeat;
    Ok(Row {
        claim: "wake another worker and be woken back".into(),
        unit: Unit::Micros,
        threads: threads(trips)? / trips as f64,
        processes: processes(trips)? / trips as f64,
        how: Some("(pipes)".into()),
    })
}

fn threads(trips: usize) -> anyhow::Result<f64> {
    let (ping, pinged) = mpsc::sync_channel::<u8>(0);
    let (pong, ponged) = mpsc::sync_channel::<u8>(0);
    let partner = std::thread::spawn(move || {
        while let Ok(byte) = pinged.recv() {
            if pong.send(byte).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    for _ in 0..trips {
        ping.send(1).context("the partner thread left")?;
        ponged.recv().context("the partner thread left")?;
    }
    let took = started.elapsed();
    drop(ping);
    let _ = partner.join();
    Ok(micros(took))
}

fn processes(trips: usize) -> anyhow::Result<f64> {
    let mut command = super::worker_command("echo", &[])?;
    command.stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut child = command.spawn()?;
    let mut to = child.stdin.take().context("the worker's stdin")?;
    let mut from = child.stdout.take().context("the worker's stdout")?;
    let mut byte = [1u8];
    let started = Instant::now();
    for _ in 0..trips {
        to.write_all(&byte)?;
        from.read_exact(&mut byte)?;
    }
    let took = started.elapsed();
    drop(to);
    child.wait()?;
    Ok(micros(took))
}
