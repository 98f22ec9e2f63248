//! `share-child ROLE [N]`: the other process in the tests of sync-kit's process
//! primitives. It takes what the test shared with it (by name, with
//! `sync_kit::process::inherit`), plays its role, and reports on stdout.
//!
//! Roles:
//! - `hold`: takes the Lock `lock`, sets the Array `pair` to `[1, 0]` (half of an
//!   update that keeps both equal), prints `held`, and sleeps until killed;
//! - `wait`: waits for the Lock `lock` and prints `clean`, or `owner-died PID`;
//! - `add N`: adds 1 to the Value `counter` N times, under its lock;
//! - `add-raw N`: adds 1 to the RawValue `counter` N times, with no lock;
//! - `course`: the course's example, `value += 1` and `array[0] += 1`;
//! - `echo`: answers each String on the pipe end `conn` with its length, until
//!   the other end closes, then prints `closed`;
//! - `produce ID N`: puts `(ID, 0)` to `(ID, N - 1)` on the Queue `queue`;
//! - `consume`: takes `(id, i)` items from `queue` and prints each as `id i`, until
//!   it takes `None`;
//! - `flood`: puts 64 KiB items on the Queue `bytes`, item k all bytes `k % 251`,
//!   until killed;
//! - `append ID N`: appends `ID:0` to `ID:N-1` to the manager's list `list`;
//! - `append-forever`: appends to `list` until killed;
//! - `serve`: nothing of its own: a manager's server, when the tests start one
//!   with this program (its `main` calls `sync_kit::process::init` first);
//! - `stall-put` / `stall-get`: puts `(1, 1)` on `queue`, then stalls holding the
//!   queue's lock halfway through a put of `(2, 2)` / a get, and prints `stalling`.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use sync_kit::process::{
    Array, Connection, ListProxy, Lock, LockError, Queue, RawValue, Value, inherit,
};

fn main() -> ExitCode {
    sync_kit::process::init(&[]);
    // A child whose test process dies (a harness timeout) goes with it, even one
    // asleep holding a lock.
    let _ = rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count = args.get(1).and_then(|n| n.parse::<u64>().ok());
    let outcome = match (args.first().map(String::as_str), count) {
        (Some("hold"), None) => hold(),
        (Some("wait"), None) => wait(),
        (Some("add"), Some(n)) => add(n),
        (Some("add-raw"), Some(n)) => add_raw(n),
        (Some("course"), None) => course(),
        (Some("echo"), None) => echo(),
        (Some("produce"), Some(id)) => match args.get(2).and_then(|n| n.parse().ok()) {
            Some(n) => produce(id, n),
            None => Err("produce ID N".into()),
        },
        (Some("consume"), None) => consume(),
        (Some("flood"), None) => flood(),
        (Some("append"), Some(id)) => match args.get(2).and_then(|n| n.parse().ok()) {
            Some(n) => append(id, n),
            None => Err("append ID N".into()),
        },
        (Some("append-forever"), None) => append_forever(),
        (Some("stall-put"), None) => stall(true),
        (Some("stall-get"), None) => stall(false),
        _ => {
            eprintln!(
                "usage: share-child hold | wait | add N | add-raw N | course | echo | produce ID N | consume | flood | append ID N | append-forever | stall-put | stall-get"
            );
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("share-child: {e}");
            ExitCode::FAILURE
        }
    }
}

type Outcome = Result<(), Box<dyn std::error::Error>>;

fn say(line: &str) -> Outcome {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(())
}

fn hold() -> Outcome {
    let lock: Lock = inherit("lock")?;
    let pair: Array<u32> = inherit("pair")?;
    let _guard = lock.lock().map_err(|e| e.to_string())?;
    pair.store(0, 1);
    say("held")?;
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

fn wait() -> Outcome {
    let lock: Lock = inherit("lock")?;
    say("waiting")?;
    match lock.lock() {
        Ok(_guard) => say("clean"),
        Err(LockError::OwnerDied(died)) => {
            let pid = died
                .pid()
                .map_or_else(|| "unknown".to_owned(), |p| p.to_string());
            drop(died.recover());
            say(&format!("owner-died {pid}"))
        }
        Err(e) => Err(e.to_string().into()),
    }
}

fn add(times: u64) -> Outcome {
    let counter: Value<u64> = inherit("counter")?;
    for _ in 0..times {
        let mut guard = counter.lock().map_err(|e| e.to_string())?;
        let seen = guard.get();
        guard.set(seen + 1);
    }
    Ok(())
}

fn add_raw(times: u64) -> Outcome {
    let counter: RawValue<u64> = inherit("counter")?;
    for _ in 0..times {
        let seen = counter.load();
        counter.store(seen + 1);
    }
    Ok(())
}

fn course() -> Outcome {
    let value: Value<i32> = inherit("value")?;
    let array: Array<i32> = inherit("array")?;
    {
        let mut guard = value.lock().map_err(|e| e.to_string())?;
        let seen = guard.get();
        guard.set(seen + 1);
    }
    let mut guard = array.lock().map_err(|e| e.to_string())?;
    let first = guard.get(0);
    guard.set(0, first + 1);
    Ok(())
}

fn echo() -> Outcome {
    let mut conn: Connection<usize, String> = inherit("conn")?;
    loop {
        match conn.recv() {
            Ok(text) => conn.send(&text.len())?,
            Err(e) if e.is_closed() => return say("closed"),
            Err(e) => return Err(e.into()),
        }
    }
}

/// A queue item: the producer's id and its sequence number; `None` ends a consumer.
type Item = Option<(u64, u64)>;

fn produce(id: u64, count: u64) -> Outcome {
    let queue: Queue<Item> = inherit("queue")?;
    for n in 0..count {
        queue.put(&Some((id, n)))?;
    }
    Ok(())
}

fn consume() -> Outcome {
    let queue: Queue<Item> = inherit("queue")?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    while let Some((id, n)) = queue.get()? {
        writeln!(out, "{id} {n}")?;
    }
    out.flush()?;
    Ok(())
}

fn flood() -> Outcome {
    let queue: Queue<Vec<u8>> = inherit("bytes")?;
    for k in 0_u64.. {
        queue.put(&vec![(k % 251) as u8; 64 * 1024])?;
    }
    Ok(())
}

fn stall(in_put: bool) -> Outcome {
    let queue: Queue<Item> = inherit("queue")?;
    queue.put(&Some((1, 1)))?;
    // Said while holding the queue's lock, halfway through.
    let stalling = || {
        let _ = say("stalling");
    };
    let error = if in_put {
        queue.stall_mid_put(&Some((2, 2)), stalling)
    } else {
        queue.stall_mid_get(stalling)
    };
    Err(error.into())
}

fn append(id: u64, count: u64) -> Outcome {
    let list: ListProxy<String> = inherit("list")?;
    for n in 0..count {
        list.append(&format!("{id}:{n}"))?;
    }
    Ok(())
}

fn append_forever() -> Outcome {
    let list: ListProxy<String> = inherit("list")?;
    say("appending")?;
    for n in 0_u64.. {
        // Long items, so that a kill often lands in the middle of sending one.
        list.append(&format!("{n}:{}", "x".repeat(100_000)))?;
    }
    Ok(())
}
