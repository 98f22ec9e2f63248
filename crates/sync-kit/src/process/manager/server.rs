//! The manager's server process: the same program started again with
//! `SYNC_KIT_MANAGER` set, diverted by [`init`](crate::process::init). It owns the
//! shared lists and dicts, answers each client connection on a thread of its own,
//! and applies each request whole, under one lock, only once all of it has
//! arrived: a client killed in the middle of a request changes nothing.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::net::{UnixListener, UnixStream};

use super::protocol::{Reply, Request};
use crate::process::{share, wire};
use crate::sync::{Arc, Mutex, lock};

/// The environment variable that makes a process a manager's server: the owner's
/// process id and the listening socket's descriptor, `pid:fd`.
pub(crate) const SERVER_ENV: &str = "SYNC_KIT_MANAGER";

/// If this process was started as a manager's server, serves until its owner goes
/// and exits; otherwise returns at once.
pub(crate) fn serve_if_server() {
    let Some(value) = std::env::var_os(SERVER_ENV) else {
        return;
    };
    let Some((owner, listener)) = value
        .to_str()
        .and_then(|v| v.split_once(':'))
        .and_then(|(owner, fd)| Some((owner.parse::<i32>().ok()?, fd.parse::<i32>().ok()?)))
    else {
        eprintln!("sync-kit manager: {SERVER_ENV} is not `pid:fd`");
        std::process::exit(2);
    };
    // Only a process started by its owner, with the listener and the control
    // socket (stdin) open, is a server; a program a client starts inherits the
    // variable but has no such parent.
    if share::parent_pid() != owner {
        return;
    }
    let code = match serve(listener) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("sync-kit manager {}: {e}", std::process::id());
            1
        }
    };
    std::process::exit(code);
}

fn serve(listener: i32) -> io::Result<()> {
    rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL))?;
    // SAFETY: the owner passed this descriptor, open and not closed on exec, for
    // this server alone (its number is in SERVER_ENV, checked against our parent).
    let listener = UnixListener::from(unsafe { OwnedFd::from_raw_fd(listener) });
    rustix::io::fcntl_setfd(&listener, rustix::io::FdFlags::CLOEXEC)?;
    let control: OwnedFd = rustix::io::fcntl_dupfd_cloexec(rustix::stdio::stdin(), 3)?;
    let mut control = UnixStream::from(control);
    control.write_all(b"R")?;
    // The owner going (closing the control socket, or dying) ends the server.
    std::thread::spawn(move || {
        let mut byte = [0_u8; 1];
        let _ = control.read(&mut byte);
        std::process::exit(0);
    });
    let objects = Arc::new(Mutex::new(Objects::default()));
    for client in listener.incoming() {
        let Ok(client) = client else { continue };
        let objects = Arc::clone(&objects);
        std::thread::spawn(move || {
            let _ = answer(client, &objects);
        });
    }
    Ok(())
}

/// Answers one client until it closes its connection (or dies).
fn answer(client: UnixStream, objects: &Mutex<Objects>) -> io::Result<()> {
    let mut reader = BufReader::new(client.try_clone()?);
    let mut writer = BufWriter::new(client);
    let mut body = Vec::new();
    while wire::read_frame(&mut reader, &mut body)? {
        let reply = match wire::decode::<Request>(&body) {
            Ok(request) => lock(objects).apply(request),
            Err(e) => Reply::Refused(e.to_string()),
        };
        wire::write_message(&mut writer, &reply)?;
        writer.flush()?;
    }
    Ok(())
}

/// The shared objects, by id.
#[derive(Default)]
struct Objects {
    next: u64,
    lists: HashMap<u64, Vec<Vec<u8>>>,
    dicts: HashMap<u64, BTreeMap<Vec<u8>, Vec<u8>>>,
}

impl Objects {
    fn apply(&mut self, request: Request) -> Reply {
        let no_list = |id| Reply::Refused(format!("no list {id}"));
        let no_dict = |id| Reply::Refused(format!("no dict {id}"));
        match request {
            Request::NewList => {
                self.next += 1;
                self.lists.insert(self.next, Vec::new());
                Reply::Created(self.next)
            }
            Request::NewDict => {
                self.next += 1;
                self.dicts.insert(self.next, BTreeMap::new());
                Reply::Created(self.next)
            }
            Request::Append { id, item } => match self.lists.get_mut(&id) {
                Some(list) => {
                    list.push(item);
                    Reply::Len(list.len() as u64)
                }
                None => no_list(id),
            },
            Request::Get { id, index } => match self.lists.get(&id) {
                Some(list) => Reply::Item(list.get(index as usize).cloned()),
                None => no_list(id),
            },
            Request::Set { id, index, item } => match self.lists.get_mut(&id) {
                Some(list) => match list.get_mut(index as usize) {
                    Some(slot) => Reply::Item(Some(std::mem::replace(slot, item))),
                    None => Reply::Refused(format!("index {index} is past the list's end")),
                },
                None => no_list(id),
            },
            Request::Pop { id } => match self.lists.get_mut(&id) {
                Some(list) => Reply::Item(list.pop()),
                None => no_list(id),
            },
            Request::Len { id } => match (self.lists.get(&id), self.dicts.get(&id)) {
                (Some(list), _) => Reply::Len(list.len() as u64),
                (_, Some(dict)) => Reply::Len(dict.len() as u64),
                _ => Reply::Refused(format!("no object {id}")),
            },
            Request::Items { id } => match self.lists.get(&id) {
                Some(list) => Reply::Items(list.clone()),
                None => no_list(id),
            },
            Request::Insert { id, key, value } => match self.dicts.get_mut(&id) {
                Some(dict) => Reply::Item(dict.insert(key, value)),
                None => no_dict(id),
            },
            Request::Lookup { id, key } => match self.dicts.get(&id) {
                Some(dict) => Reply::Item(dict.get(&key).cloned()),
                None => no_dict(id),
            },
            Request::Remove { id, key } => match self.dicts.get_mut(&id) {
                Some(dict) => Reply::Item(dict.remove(&key)),
                None => no_dict(id),
            },
            Request::Pairs { id } => match self.dicts.get(&id) {
                Some(dict) => {
                    Reply::Pairs(dict.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                }
                None => no_dict(id),
            },
        }
    }
}
