//! The rows that cost microseconds, timed under divan with many samples, run by
//! `cargo xtask bench ex01`: a thread's spawn and join against a process's, and a
//! wake-up round trip between threads against one between processes.
//!
//! The processes are the exercise's own binary in its worker modes
//! (`EX01_WORKER`), which cargo builds for this bench.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

use divan::Bencher;

fn main() {
    divan::main();
}

/// The exercise's binary as a worker in `mode`.
fn worker(mode: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ex01-threads-vs-processes"));
    command.env("EX01_WORKER", mode);
    command
}

/// `thread::spawn` and `join` of a unit of work.
#[divan::bench(sample_count = 200)]
fn spawn_join_thread() {
    std::thread::spawn(|| divan::black_box(1))
        .join()
        .expect("the thread ends");
}

/// A process started and waited for (the worker exits at once).
#[divan::bench(sample_count = 100)]
fn spawn_wait_process() {
    let status = worker("exit").status().expect("the worker starts");
    assert!(status.success());
}

/// One round trip between two threads over rendezvous channels.
#[divan::bench(sample_count = 100, sample_size = 100)]
fn round_trip_threads(bencher: Bencher<'_, '_>) {
    let (ping, pinged) = mpsc::sync_channel::<u8>(0);
    let (pong, ponged) = mpsc::sync_channel::<u8>(0);
    let partner = std::thread::spawn(move || {
        while let Ok(byte) = pinged.recv() {
            if pong.send(byte).is_err() {
                break;
            }
        }
    });
    bencher.bench_local(|| {
        ping.send(1).expect("the partner is there");
        ponged.recv().expect("the partner answers")
    });
    drop(ping);
    partner.join().expect("the partner ends");
}

/// One round trip between two processes over a pair of pipes.
#[divan::bench(sample_count = 100, sample_size = 100)]
fn round_trip_processes(bencher: Bencher<'_, '_>) {
    let mut child: Child = worker("echo")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the worker starts");
    let mut to = child.stdin.take().expect("its stdin");
    let mut from = child.stdout.take().expect("its stdout");
    bencher.bench_local(|| {
        let mut byte = [1u8];
        to.write_all(&byte).expect("the worker reads");
        from.read_exact(&mut byte).expect("the worker answers");
        byte
    });
    drop(to);
    child.wait().expect("the worker ends");
}
