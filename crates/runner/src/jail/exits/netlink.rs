//! The generic netlink a taskstats listener speaks: the socket, registered for
//! the exits on every CPU, and the messages and attributes of its datagrams.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// Generic netlink's own family, which names the others, and what a ledger
/// asks of it and of taskstats.
const GENL_ID_CTRL: u16 = 0x10;
const CTRL_CMD_GETFAMILY: u8 = 3;
const CTRL_ATTR_FAMILY_ID: u16 = 1;
const CTRL_ATTR_FAMILY_NAME: u16 = 2;
const TASKSTATS_CMD_GET: u8 = 1;
const TASKSTATS_CMD_ATTR_REGISTER_CPUMASK: u16 = 3;

/// Netlink's message header: its size, the acknowledgement's type, the flags
/// of a request; and generic netlink's header after it.
const NLMSG_HEADER: usize = 16;
pub(super) const NLMSG_ERROR: u16 = 2;
const NLM_F_REQUEST: u16 = 1;
const NLM_F_ACK: u16 = 4;
pub(super) const GENL_HEADER: usize = 4;

/// How long a request's acknowledgement may take.
const ACK_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

/// How much the kernel may queue for the reader (a busy machine ends thousands of
/// tasks a second, each record about a kilobyte of buffer).
const RECEIVE_BUFFER: libc::c_int = 16 << 20;

/// How often the reader looks whether it is asked to stop.
const READ_TIMEOUT_MS: libc::suseconds_t = 20_000;

/// A generic netlink socket registered for the exits on every CPU.
pub(super) fn register() -> io::Result<OwnedFd> {
    // SAFETY: socket() takes no pointers; the descriptor it returns is owned here.
    let fd = unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            libc::NETLINK_GENERIC,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: fd was just returned by socket() and is owned by nobody else.
    let socket = unsafe { OwnedFd::from_raw_fd(fd) };
    set_option(&socket, libc::SO_RCVBUFFORCE, RECEIVE_BUFFER)
        .or_else(|_| set_option(&socket, libc::SO_RCVBUF, RECEIVE_BUFFER))?;
    let timeout = libc::timeval {
        tv_sec: 0,
        tv_usec: READ_TIMEOUT_MS,
    };
    // SAFETY: the option's value is a timeval that lives across the call.
    let set = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVTIMEO,
            (&raw const timeout).cast(),
            size_of::<libc::timeval>() as libc::socklen_t,
        )
    };
    if set != 0 {
        return Err(io::Error::last_os_error());
    }
    let family = family_id(&socket)?;
    let cpus = std::fs::read_to_string("/sys/devices/system/cpu/possible")?;
    let mut mask = cpus.trim().as_bytes().to_vec();
    mask.push(0);
    let registered = request(
        &socket,
        (family, TASKSTATS_CMD_GET, 2),
        &attribute(TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, &mask),
    );
    match registered {
        Ok(_) => Ok(socket),
        Err(error) if error.raw_os_error() == Some(libc::EPERM) => {
            Err(io::Error::other("a listener needs CAP_NET_ADMIN (root)"))
        }
        Err(error) => Err(error),
    }
}

/// The taskstats family's number, asked of generic netlink's controller.
fn family_id(socket: &OwnedFd) -> io::Result<u16> {
    let replies = request(
        socket,
        (GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1),
        &attribute(CTRL_ATTR_FAMILY_NAME, b"TASKSTATS\0"),
    )
    .map_err(|error| io::Error::other(format!("no taskstats in this kernel ({error})")))?;
    replies
        .iter()
        .flat_map(|body| attributes(body.get(GENL_HEADER..).unwrap_or_default()))
        .find(|(kind, _)| *kind == CTRL_ATTR_FAMILY_ID)
        .and_then(|(_, value)| Some(u16::from_ne_bytes(value.get(..2)?.try_into().ok()?)))
        .ok_or_else(|| io::Error::other("the controller did not name taskstats"))
}

/// Sends request number `seq` (`command` of `family`) holding `attributes`, and
/// returns the bodies of its reply's messages once its acknowledgement came, or
/// the error the acknowledgement carried. Messages of other numbers (an earlier
/// request's, exit records) are passed over.
fn request(
    socket: &OwnedFd,
    (family, command, seq): (u16, u8, u32),
    attributes: &[u8],
) -> io::Result<Vec<Vec<u8>>> {
    send(socket, family, command, attributes, seq)?;
    let deadline = std::time::Instant::now() + ACK_WITHIN;
    let mut replies = Vec::new();
    loop {
        let datagram = match receive(socket) {
            Ok(datagram) => datagram,
            Err(error)
                if error.kind() == io::ErrorKind::WouldBlock
                    && std::time::Instant::now() < deadline =>
            {
                continue;
            }
            Err(error) => return Err(error),
        };
        for (kind, number, body) in messages(&datagram) {
            if number != seq {
                continue;
            }
            if kind != NLMSG_ERROR {
                replies.push(body.to_vec());
                continue;
            }
            let errno = body
                .get(..4)
                .and_then(|code| code.try_into().ok())
                .map_or(-libc::EIO, i32::from_ne_bytes);
            return match errno {
                0 => Ok(replies),
                errno => Err(io::Error::from_raw_os_error(-errno)),
            };
        }
    }
}

/// The netlink messages of a datagram: each one's type, sequence number and
/// body.
pub(super) fn messages(datagram: &[u8]) -> impl Iterator<Item = (u16, u32, &[u8])> {
    let mut rest = datagram;
    std::iter::from_fn(move || {
        let length = u32::from_ne_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let kind = u16::from_ne_bytes(rest.get(4..6)?.try_into().ok()?);
        let seq = u32::from_ne_bytes(rest.get(8..12)?.try_into().ok()?);
        let body = rest.get(NLMSG_HEADER..length)?;
        rest = rest.get(aligned(length)..).unwrap_or_default();
        Some((kind, seq, body))
    })
}

/// The attributes of a netlink payload: each one's type and value.
pub(super) fn attributes(payload: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut rest = payload;
    std::iter::from_fn(move || {
        let length = u16::from_ne_bytes(rest.get(..2)?.try_into().ok()?) as usize;
        let kind = u16::from_ne_bytes(rest.get(2..4)?.try_into().ok()?) & 0x3fff;
        let value = rest.get(4..length)?;
        rest = rest.get(aligned(length)..).unwrap_or_default();
        Some((kind, value))
    })
}

/// A netlink attribute of `kind` holding `value`, padded to four bytes.
fn attribute(kind: u16, value: &[u8]) -> Vec<u8> {
    let length = 4 + value.len();
    let mut bytes = Vec::with_capacity(aligned(length));
    bytes.extend_from_slice(&(length as u16).to_ne_bytes());
    bytes.extend_from_slice(&kind.to_ne_bytes());
    bytes.extend_from_slice(value);
    bytes.resize(aligned(length), 0);
    bytes
}

/// `length` rounded up to netlink's four-byte alignment.
fn aligned(length: usize) -> usize {
    (length + 3) & !3
}

/// Sends generic netlink request number `seq` (`command` of `family`, version
/// 1) holding `attributes`, asking for an acknowledgement.
fn send(socket: &OwnedFd, family: u16, command: u8, attributes: &[u8], seq: u32) -> io::Result<()> {
    let length = NLMSG_HEADER + GENL_HEADER + attributes.len();
    let mut message = Vec::with_capacity(length);
    message.extend_from_slice(&(length as u32).to_ne_bytes());
    message.extend_from_slice(&family.to_ne_bytes());
    message.extend_from_slice(&(NLM_F_REQUEST | NLM_F_ACK).to_ne_bytes());
    message.extend_from_slice(&seq.to_ne_bytes());
    message.extend_from_slice(&[0; 4]); // the port: the kernel's to fill
    message.extend_from_slice(&[command, 1, 0, 0]);
    message.extend_from_slice(attributes);
    // SAFETY: the message is valid for its length across the call.
    let sent = unsafe {
        libc::send(
            socket.as_raw_fd(),
            message.as_ptr().cast(),
            message.len(),
            0,
        )
    };
    match sent < 0 {
        true => Err(io::Error::last_os_error()),
        false => Ok(()),
    }
}

/// The next datagram on `socket` (within the read timeout).
fn receive(socket: &OwnedFd) -> io::Result<Vec<u8>> {
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        // SAFETY: the buffer is valid for its length across the call.
        let got = unsafe {
            libc::recv(
                socket.as_raw_fd(),
                buffer.as_mut_ptr().cast(),
                buffer.len(),
                0,
            )
        };
        if got >= 0 {
            buffer.truncate(got as usize);
            return Ok(buffer);
        }
        let error = io::Error::last_os_error();
        if error.raw_os_error() != Some(libc::EINTR) {
            return Err(error);
        }
    }
}

/// Sets an integer option of `socket` at `SOL_SOCKET`.
fn set_option(socket: &OwnedFd, option: libc::c_int, value: libc::c_int) -> io::Result<()> {
    // SAFETY: the option's value is an int that lives across the call.
    let set = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            option,
            (&raw const value).cast(),
            size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    match set {
        0 => Ok(()),
        _ => Err(io::Error::last_os_error()),
    }
}
