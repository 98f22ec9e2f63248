//! sync-kit's process pipe across real processes: a round trip, end-of-file when
//! the other end exits or is killed, and a message too big for the socket's buffer.

use std::path::Path;
use std::process::Child;
use std::time::Duration;

use sync_kit::process::{Connection, RecvError, one_way, pipe};
use tests_integration::children::{self, DEADLINE, Passed, finish, kill, lines, next, pass};

fn child(role: &[&str], shares: &[Passed<'_>]) -> Child {
    children::start(Path::new(env!("CARGO_BIN_EXE_share-child")), role, shares)
}

#[test]
fn a_round_trip_then_end_of_file_when_the_parent_closes_its_end() {
    let (mut ours, theirs) = pipe::<String, usize>().expect("pipe");
    let mut echo = child(&["echo"], &[("conn", &pass(&theirs))]);
    drop(theirs);
    let said = lines(&mut echo);
    ours.send(&"data".to_owned()).expect("sent");
    assert_eq!(ours.recv_timeout(DEADLINE).expect("answered"), 4);
    // Bigger than a socket's buffer, so both sides must stream it in pieces.
    let big = "x".repeat(3 << 20);
    ours.send(&big).expect("sent");
    assert_eq!(ours.recv_timeout(DEADLINE).expect("answered"), 3 << 20);
    drop(ours);
    assert_eq!(next(&said, "closed"), "closed");
    assert!(finish(echo).success());
}

#[test]
fn the_other_end_killed_is_end_of_file_not_a_hang() {
    let (mut ours, theirs) = pipe::<String, usize>().expect("pipe");
    let echo = child(&["echo"], &[("conn", &pass(&theirs))]);
    drop(theirs);
    ours.send(&"ping".to_owned()).expect("sent");
    assert_eq!(ours.recv_timeout(DEADLINE).expect("answered"), 4);
    kill(echo);
    let after = ours.recv_timeout(DEADLINE);
    assert!(matches!(after, Err(RecvError::Closed)), "{after:?}");
    let sent = ours.send(&"anyone?".to_owned());
    assert_eq!(
        sent.map_err(|e| e.kind()),
        Err(std::io::ErrorKind::BrokenPipe)
    );
}

#[test]
fn a_timed_receive_times_out_and_keeps_a_partial_message() {
    let (mut receiver, mut sender) = one_way::<Vec<u8>>().expect("pipe");
    let timed_out = receiver.recv_timeout(Duration::from_millis(20));
    assert!(
        matches!(timed_out, Err(RecvError::TimedOut)),
        "{timed_out:?}"
    );
    assert!(!receiver.poll(Duration::ZERO).expect("poll"));
    sender.send(&vec![7; 100]).expect("sent");
    assert!(receiver.poll(DEADLINE).expect("poll"));
    assert_eq!(
        receiver.recv_timeout(DEADLINE).expect("received"),
        vec![7; 100]
    );
    // The sending end cannot receive: a one-way pipe.
    let mut sender: Connection<Vec<u8>, ()> = sender;
    drop(receiver);
    assert!(sender.send(&vec![1]).is_err());
}

#[test]
fn a_message_cut_short_by_a_death_is_broken_not_a_value() {
    use std::io::Write;
    let (mut receiver, sender) = one_way::<String>().expect("pipe");
    // A frame that promises 100 bytes and carries 3, then the sender is gone.
    let mut raw = std::os::unix::net::UnixStream::from(dup_of(&sender));
    drop(sender);
    raw.write_all(&100_u32.to_le_bytes()).expect("written");
    raw.write_all(b"abc").expect("written");
    drop(raw);
    let got = receiver.recv_timeout(DEADLINE);
    assert!(matches!(got, Err(RecvError::Broken)), "{got:?}");
}

/// A second descriptor for the socket under a pipe end, to write raw bytes to it.
fn dup_of(end: &Connection<String, ()>) -> std::os::fd::OwnedFd {
    use sync_kit::process::Share;
    end.descriptors()[0].try_clone_to_owned().expect("dup")
}

#[test]
fn a_send_to_a_full_pipe_times_out_and_a_send_with_room_does_not() {
    let (receiver, mut sender) = one_way::<Vec<u8>>().expect("pipe");
    sender
        .send_timeout(&vec![1; 10], DEADLINE)
        .expect("room for a small message");
    // Nobody reads: a message far bigger than the socket's buffer cannot go.
    let big = vec![0; 16 << 20];
    let full = sender.send_timeout(&big, Duration::from_millis(50));
    assert_eq!(
        full.map_err(|e| e.kind()),
        Err(std::io::ErrorKind::TimedOut)
    );
    drop(receiver);
}
