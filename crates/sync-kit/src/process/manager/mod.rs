//! [`Manager`]: Python's `multiprocessing.Manager`, a server process that owns
//! shared lists and dicts, and the typed proxies through which any process that
//! was given one reads and changes them.
//!
//! The server is this program started again, diverted by
//! [`init`](super::init) (call it first thing in `main`, as for the pool), or the
//! program [`Manager::start_with`] names. It listens on a Unix socket with an
//! abstract name that the owner creates and keeps; sharing a proxy with a child
//! ([`CommandExt::share`](super::CommandExt::share)) passes that socket and the
//! object's id, and the child connects to the server on its own connection. The
//! server ends with its owner: when the [`Manager`] is dropped, or when the owner
//! dies.

mod protocol;
pub(crate) mod server;

use std::fmt;
use std::io::{self, Read};
use std::marker::PhantomData;
use std::os::fd::{BorrowedFd, OwnedFd};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixListener, UnixStream};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use self::protocol::{Reply, Request};
use self::server::SERVER_ENV;
use super::share::{self, Share};
use super::wire;
use crate::sync::atomic::{AtomicU64, Ordering};
use crate::sync::{Arc, Mutex, lock};

/// How long a new server has to say it is ready.
const READY_TIMEOUT: Duration = Duration::from_secs(10);

/// A running manager: its server process, and the socket clients reach it by.
/// Dropping it ends the server and reaps it.
///
/// ```no_run
/// use sync_kit::process::{self, Manager};
///
/// fn main() {
///     process::init(&[]); // the manager's server never returns from here
///     let manager = Manager::start().expect("the server starts");
///     let list = manager.list::<String>().expect("a list");
///     list.append(&"data".to_owned()).expect("appended");
///     assert_eq!(list.to_vec().expect("read"), ["data"]);
/// }
/// ```
pub struct Manager {
    address: Arc<str>,
    server: Child,
    control: UnixStream,
}

/// Why a manager call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ManagerError {
    /// The server is gone (it died, or its owner ended it): nothing can be read
    /// or changed any more.
    #[error("the manager's server is gone: {0}")]
    ServerGone(io::Error),
    /// The server did not answer within the proxy's timeout.
    #[error("the manager's server did not answer in time")]
    TimedOut,
    /// The server refused the request (an index past the end).
    #[error("the manager refused: {0}")]
    Refused(String),
    /// A value could not be encoded, or what came back is not of the proxy's type.
    #[error("{0}")]
    Codec(io::Error),
}

impl Manager {
    /// Starts a server: this program again, which must call
    /// [`init`](super::init) first thing in `main`.
    ///
    /// # Errors
    ///
    /// The program could not be found or started, or did not become a server
    /// within 10 s (its `main` does not call `init` first).
    pub fn start() -> io::Result<Self> {
        Self::start_with(std::env::current_exe()?)
    }

    /// Starts a server running `program`, whose `main` calls
    /// [`init`](super::init) first (for tests, whose own executable cannot).
    ///
    /// # Errors
    ///
    /// As for [`Manager::start`].
    pub fn start_with(program: impl AsRef<Path>) -> io::Result<Self> {
        let program: PathBuf = program.as_ref().to_owned();
        // Unique on this machine: the owner's id, and how many it started before.
        static STARTED: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "sync-kit-manager-{}-{}",
            std::process::id(),
            STARTED.fetch_add(1, Ordering::Relaxed)
        );
        let listener = UnixListener::bind_addr(&SocketAddr::from_abstract_name(name.as_bytes())?)?;
        let (ours, theirs) = UnixStream::pair()?;
        let mut command = Command::new(&program);
        let passed = share::keep_open(&mut command, vec![OwnedFd::from(listener.try_clone()?)]);
        command
            .env(SERVER_ENV, format!("{}:{}", std::process::id(), passed[0]))
            .stdin(Stdio::from(OwnedFd::from(theirs)))
            // Ctrl-C is the program's to handle: the server ends with it regardless.
            .process_group(0);
        let server = command.spawn().map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("starting the manager's server {}: {e}", program.display()),
            )
        })?;
        // The server holds the only listening socket: once it is gone, a client
        // that connects is refused at once instead of waiting for an answer.
        drop(listener);
        let mut manager = Self {
            address: Arc::from(name),
            server,
            control: ours,
        };
        manager.control.set_read_timeout(Some(READY_TIMEOUT))?;
        let mut ready = [0_u8; 1];
        match manager.control.read(&mut ready) {
            Ok(1) if ready == *b"R" => Ok(manager),
            _ => Err(io::Error::other(format!(
                "{} did not become a manager's server within {READY_TIMEOUT:?}: does its main call sync_kit::process::init first?",
                program.display()
            ))),
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.server.id()
    }

    /// A new, empty shared list of `T`.
    ///
    /// # Errors
    ///
    /// The server is gone.
    pub fn list<T: Serialize + DeserializeOwned>(&self) -> Result<ListProxy<T>, ManagerError> {
        let link = Link::connect(&self.address)?;
        match link.call(&Request::NewList)? {
            Reply::Created(id) => Ok(ListProxy {
                link,
                id,
                _items: PhantomData,
            }),
            other => Err(unexpected(&other)),
        }
    }

    /// A new, empty shared dict from `K` to `V`.
    ///
    /// # Errors
    ///
    /// The server is gone.
    pub fn dict<K, V>(&self) -> Result<DictProxy<K, V>, ManagerError>
    where
        K: Serialize + DeserializeOwned,
        V: Serialize + DeserializeOwned,
    {
        let link = Link::connect(&self.address)?;
        match link.call(&Request::NewDict)? {
            Reply::Created(id) => Ok(DictProxy {
                link,
                id,
                _pairs: PhantomData,
            }),
            other => Err(unexpected(&other)),
        }
    }
}

impl Drop for Manager {
    fn drop(&mut self) {
        // End-of-file on its control socket ends the server.
        let _ = self.control.shutdown(std::net::Shutdown::Both);
        let _ = self.server.wait();
    }
}

impl fmt::Debug for Manager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Manager")
            .field("server", &self.server.id())
            .finish_non_exhaustive()
    }
}

/// A shared list on a manager's server: Python's `manager.list()`. Every call is
/// one request to the server, applied whole and in the order the server got it.
pub struct ListProxy<T> {
    link: Link,
    id: u64,
    _items: PhantomData<fn(T) -> T>,
}

impl<T: Serialize + DeserializeOwned> ListProxy<T> {
    /// Appends `item`; returns the list's length after it.
    ///
    /// # Errors
    ///
    /// See [`ManagerError`].
    pub fn append(&self, item: &T) -> Result<usize, ManagerError> {
        match self.link.call(&Request::Append {
            id: self.id,
            item: encode(item)?,
        })? {
            Reply::Len(len) => Ok(len as usize),
            other => Err(unexpected(&other)),
        }
    }

    /// Item `index`, if the list is that long.
    ///
    /// # Errors
    ///
    /// See [`ManagerError`].
    pub fn get(&self, index: usize) -> Result<Option<T>, ManagerError> {
        self.link.item(&Request::Get {
            id: self.id,
            index: index as u64,
        })
    }

    /// Replaces item `index`; returns the old one.
    ///
    /// # Errors
    ///
    /// [`ManagerError::Refused`] past the end, or as for [`ListProxy::append`].
    pub fn set(&self, index: usize, item: &T) -> Result<T, ManagerError> {
        let request = Request::Set {
            id: self.id,
            index: index as u64,
            item: encode(item)?,
        };
        self.link
            .item(&request)?
            .ok_or_else(|| ManagerError::Refused("nothing was replaced".into()))
    }

    /// Removes and returns the last item.
    ///
    /// # Errors
    ///
    /// See [`ManagerError`].
    pub fn pop(&self) -> Result<Option<T>, ManagerError> {
        self.link.item(&Request::Pop { id: self.id })
    }

    /// How many items it holds.
    ///
    /// # Errors
    ///
    /// See [`ManagerError`].
    pub fn len(&self) -> Result<usize, ManagerError> {
        self.link.len(self.id)
    }

    /// Whether it holds nothing.
    ///
    /// # Errors
    ///
    /// See [`ManagerError`].
    pub fn is_empty(&self) -> Result<bool, ManagerError> {
        self.len().map(|len| len == 0)
    }

    /// Every item, in order, as one snapshot: Python's `list(proxy)`.
    ///
    /// # Errors
    ///
    /// See [`ManagerError`].
    pub fn to_vec(&self) -> Result<Vec<T>, ManagerError> {
        match self.link.call(&Request::Items { id: self.id })? {
            Reply::Items(items) => items.iter().map(|item| decode(item)).collect(),
            other => Err(unexpected(&other)),
        }
    }

    /// Waits at most `timeout` for each answer from now on (`None`: for ever).
    ///
    /// # Errors
    ///
    /// The system refused the socket option.
    pub fn set_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.link.set_timeout(timeout)
    }
}

/// A shared dict on a manager's server: Python's `manager.dict()`.
pub struct DictProxy<K, V> {
    link: Link,
    id: u64,
    _pairs: PhantomData<fn(K) -> V>,
}

impl<K, V> DictProxy<K, V>
where
    K: Serialize + DeserializeOwned,
    V: Serialize + DeserializeOwned,
{
    /// Puts `value` under `key`; returns the value it replaced.
    ///
    /// # Errors
    ///
    /// See [`ManagerError`].
    pub fn insert(&self, key: &K, value: &V) -> Result<Option<V>, ManagerError> {
        self.link.item(&Request::Insert {
            id: self.id,
            key: encode(key)?,
            value: encode(value)?,
        })
    }

    /// The value under `key`.
    ///
    /// # Errors
    ///
    /// See [`ManagerError`].
    pub fn get(&self, key: &K) -> Result<Option<V>, ManagerError> {
        self.link.item(&Request::Lookup {
            id: self.id,
            key: encode(key)?,
        })
    }

    /// Removes `key`; returns its value.
    ///
    /// # Errors
    ///
    /// See [`ManagerError`].
    pub fn remove(&self, key: &K) -> Result<Option<V>, ManagerError> {
        self.link.item(&Request::Remove {
            id: self.id,
            key: encode(key)?,
        })
    }

    /// How many keys it holds.
    ///
    /// # Errors
    ///
    /// See [`ManagerError`].
    pub fn len(&self) -> Result<usize, ManagerError> {
        self.link.len(self.id)
    }

    /// Whether it holds nothing.
    ///
    /// # Errors
    ///
    /// See [`ManagerError`].
    pub fn is_empty(&self) -> Result<bool, ManagerError> {
        self.len().map(|len| len == 0)
    }

    /// Every pair, in the order of the keys' encodings (numbers in order), as one
    /// snapshot.
    ///
    /// # Errors
    ///
    /// See [`ManagerError`].
    pub fn items(&self) -> Result<Vec<(K, V)>, ManagerError> {
        match self.link.call(&Request::Pairs { id: self.id })? {
            Reply::Pairs(pairs) => pairs
                .iter()
                .map(|(k, v)| Ok((decode(k)?, decode(v)?)))
                .collect(),
            other => Err(unexpected(&other)),
        }
    }

    /// Waits at most `timeout` for each answer from now on (`None`: for ever).
    ///
    /// # Errors
    ///
    /// The system refused the socket option.
    pub fn set_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        self.link.set_timeout(timeout)
    }
}

/// One client connection to the server, and the server's abstract socket name
/// (what a proxy passes to a child, which connects on its own).
struct Link {
    address: Arc<str>,
    stream: Mutex<UnixStream>,
}

impl Link {
    /// A link from what a proxy shares: `id@address`, and no descriptor.
    fn inherited(fds: Vec<OwnedFd>, extra: &str, what: &str) -> io::Result<(Self, u64)> {
        let [] = share::exactly(fds, what)?;
        let parsed = extra
            .split_once('@')
            .and_then(|(id, address)| Some((id.parse::<u64>().ok()?, address)));
        let Some((id, address)) = parsed else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("`{extra}` is not a {what}'s `id@address`"),
            ));
        };
        let link = Self::connect(&Arc::from(address))
            .map_err(|e| io::Error::other(format!("connecting to the manager: {e}")))?;
        Ok((link, id))
    }

    fn connect(address: &Arc<str>) -> Result<Self, ManagerError> {
        let stream = SocketAddr::from_abstract_name(address.as_bytes())
            .and_then(|addr| UnixStream::connect_addr(&addr))
            .map_err(ManagerError::ServerGone)?;
        Ok(Self {
            address: Arc::clone(address),
            stream: Mutex::new(stream),
        })
    }

    /// Sends `request` and waits for its reply; one request at a time per link.
    fn call(&self, request: &Request) -> Result<Reply, ManagerError> {
        let mut stream = lock(&self.stream);
        wire::write_message(&mut *stream, request).map_err(ManagerError::ServerGone)?;
        let mut body = Vec::new();
        match wire::read_frame(&mut *stream, &mut body) {
            Ok(true) => {}
            Ok(false) => {
                return Err(ManagerError::ServerGone(
                    io::ErrorKind::UnexpectedEof.into(),
                ));
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                // The reply may still come, and would answer the next request:
                // this link is unusable from now on.
                let _ = stream.shutdown(std::net::Shutdown::Both);
                return Err(ManagerError::TimedOut);
            }
            Err(e) => return Err(ManagerError::ServerGone(e)),
        }
        match wire::decode(&body).map_err(ManagerError::Codec)? {
            Reply::Refused(why) => Err(ManagerError::Refused(why)),
            reply => Ok(reply),
        }
    }

    fn item<T: DeserializeOwned>(&self, request: &Request) -> Result<Option<T>, ManagerError> {
        match self.call(request)? {
            Reply::Item(item) => item.as_deref().map(decode).transpose(),
            other => Err(unexpected(&other)),
        }
    }

    fn len(&self, id: u64) -> Result<usize, ManagerError> {
        match self.call(&Request::Len { id })? {
            Reply::Len(len) => Ok(len as usize),
            other => Err(unexpected(&other)),
        }
    }

    fn set_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        lock(&self.stream).set_read_timeout(timeout)
    }
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, ManagerError> {
    postcard::to_stdvec(value).map_err(|e| {
        ManagerError::Codec(io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))
    })
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ManagerError> {
    wire::decode(bytes).map_err(ManagerError::Codec)
}

fn unexpected(reply: &Reply) -> ManagerError {
    ManagerError::Codec(io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the manager answered {reply:?}, not what was asked"),
    ))
}

impl<T> share::private::Sealed for ListProxy<T> {}

impl<T: Serialize + DeserializeOwned> Share for ListProxy<T> {
    fn descriptors(&self) -> Vec<BorrowedFd<'_>> {
        Vec::new()
    }

    fn extra(&self) -> String {
        format!("{}@{}", self.id, self.link.address)
    }

    fn from_descriptors(fds: Vec<OwnedFd>, extra: &str) -> io::Result<Self> {
        let (link, id) = Link::inherited(fds, extra, "list proxy")?;
        Ok(Self {
            link,
            id,
            _items: PhantomData,
        })
    }
}

impl<K, V> share::private::Sealed for DictProxy<K, V> {}

impl<K, V> Share for DictProxy<K, V>
where
    K: Serialize + DeserializeOwned,
    V: Serialize + DeserializeOwned,
{
    fn descriptors(&self) -> Vec<BorrowedFd<'_>> {
        Vec::new()
    }

    fn extra(&self) -> String {
        format!("{}@{}", self.id, self.link.address)
    }

    fn from_descriptors(fds: Vec<OwnedFd>, extra: &str) -> io::Result<Self> {
        let (link, id) = Link::inherited(fds, extra, "dict proxy")?;
        Ok(Self {
            link,
            id,
            _pairs: PhantomData,
        })
    }
}

impl<T> fmt::Debug for ListProxy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListProxy")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl<K, V> fmt::Debug for DictProxy<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DictProxy")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}
