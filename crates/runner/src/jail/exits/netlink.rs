//! The generic netlink a taskstats listener speaks: the socket, registered for
//! the exits on every CPU, and the messages and attributes of its datagrams.

use std::io;
use std::os::fd::OwnedFd;
use std::time::Duration;

use rustix::net::{AddressFamily, RecvFlags, SendFlags, SocketFlags, SocketType, netlink, sockopt};

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
const ACK_WITHIN: Duration = Duration::from_secs(5);

/// How much the kernel may queue for the reader (a busy machine ends thousands of
/// tasks a second, each record about a kilobyte of buffer).
const RECEIVE_BUFFER: usize = 16 << 20;

/// How often the reader looks whether it is asked to stop.
const READ_TIMEOUT: Duration = Duration::from_millis(20);

/// A generic netlink socket registered for the exits on every CPU.
pub(super) fn register() -> io::Result<OwnedFd> {
    let socket = rustix::net::socket_with(
        AddressFamily::NETLINK,
        SocketType::RAW,
        SocketFlags::CLOEXEC,
        Some(netlink::GENERIC),
    )?;
    sockopt::set_socket_recv_buffer_size_force(&socket, RECEIVE_BUFFER)
        .or_else(|_| sockopt::set_socket_recv_buffer_size(&socket, RECEIVE_BUFFER))?;
    sockopt::set_socket_timeout(&socket, sockopt::Timeout::Recv, Some(READ_TIMEOUT))?;
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
    let mut buffer = vec![0u8; DATAGRAM];
    loop {
        let got = match receive(socket, &mut buffer, RecvFlags::empty()) {
            Ok(got) => got,
            Err(rustix::io::Errno::AGAIN) if std::time::Instant::now() < deadline => continue,
            Err(error) => return Err(error.into()),
        };
        if let Some(acknowledged) = answer(&buffer[..got], seq, &mut replies) {
            return acknowledged.map(|()| replies);
        }
    }
}

/// Reads `datagram` for the answer to request number `seq`: its messages join
/// `replies`, and its acknowledgement, if the datagram holds it, gives `Ok` or
/// the error it carries. Messages of other numbers are passed over.
fn answer(datagram: &[u8], seq: u32, replies: &mut Vec<Vec<u8>>) -> Option<io::Result<()>> {
    for (kind, number, body) in messages(datagram) {
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
        return Some(match errno {
            0 => Ok(()),
            errno => Err(io::Error::from_raw_os_error(-errno)),
        });
    }
    None
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
    rustix::net::send(socket, &message, SendFlags::empty())?;
    Ok(())
}

/// The largest datagram a ledger reads at once.
pub(super) const DATAGRAM: usize = 1 << 16;

/// Reads the next datagram on `socket` into `buffer` (waiting up to the read
/// timeout, unless `flags` say not to wait); returns its length.
pub(super) fn receive(
    socket: &OwnedFd,
    buffer: &mut [u8],
    flags: RecvFlags,
) -> Result<usize, rustix::io::Errno> {
    loop {
        match rustix::net::recv(socket, &mut *buffer, flags) {
            Ok((got, _)) => return Ok(got),
            Err(rustix::io::Errno::INTR) => {}
            Err(error) => return Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A netlink message of `kind`, numbered `seq`, holding `body`.
    fn message(kind: u16, seq: u32, body: &[u8]) -> Vec<u8> {
        let length = NLMSG_HEADER + body.len();
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&(length as u32).to_ne_bytes());
        bytes.extend_from_slice(&kind.to_ne_bytes());
        bytes.extend_from_slice(&0u16.to_ne_bytes());
        bytes.extend_from_slice(&seq.to_ne_bytes());
        bytes.extend_from_slice(&0u32.to_ne_bytes());
        bytes.extend_from_slice(body);
        bytes.resize(aligned(length), 0);
        bytes
    }

    #[test]
    fn a_request_is_answered_by_its_own_acknowledgement_only() {
        // The family request's late acknowledgement (number 1, success), then
        // the registration's refusal (number 2, EPERM), in one datagram.
        let mut datagram = message(NLMSG_ERROR, 1, &0i32.to_ne_bytes());
        datagram.extend(message(NLMSG_ERROR, 2, &(-libc::EPERM).to_ne_bytes()));
        let mut replies = Vec::new();
        let refused = answer(&datagram, 2, &mut replies).expect("request 2 was answered");
        assert_eq!(refused.unwrap_err().raw_os_error(), Some(libc::EPERM));
        // A reply before its acknowledgement is kept; another number's is not.
        let mut datagram = message(0x10, 1, b"family");
        datagram.extend(message(0x10, 7, b"other"));
        let mut replies = Vec::new();
        assert!(
            answer(&datagram, 1, &mut replies).is_none(),
            "no acknowledgement yet"
        );
        assert_eq!(replies.len(), 1);
        let ack = message(NLMSG_ERROR, 1, &0i32.to_ne_bytes());
        assert!(matches!(answer(&ack, 1, &mut replies), Some(Ok(()))));
    }
}
