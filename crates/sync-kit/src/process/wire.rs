//! The pool's wire protocol: the messages between a pool and its workers, and the
//! length-prefixed postcard frames that carry them over each worker's socket.
//!
//! A frame is a 4-byte little-endian length, then that many bytes of postcard. Task
//! inputs and outputs are postcard too, encoded by the typed side ([`Task`]) and
//! carried here as opaque bytes, so this module never needs to know a task's types.
//!
//! [`Task`]: super::Task

use std::io::{self, Read, Write};

use serde::{Deserialize, Serialize};

use super::TaskError;

/// The largest frame either side accepts: a guard against a corrupt length, not a
/// limit anyone should meet (a chunk of inputs or results is far smaller).
pub(crate) const MAX_FRAME: usize = 1 << 30;

/// What a pool sends a worker.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum ToWorker<'a> {
    /// The first message: run the initializer (if any), then answer `Ready` or
    /// `InitFailed`; exit after `max_tasks` `Run` messages, if set.
    Init {
        initializer: Option<Call<'a>>,
        max_tasks: Option<u64>,
    },
    /// Run `task` on each input, in order, and answer one `Done` with `id`.
    Run {
        id: u64,
        #[serde(borrow)]
        call: Call<'a>,
    },
}

/// A task by name, with its postcard-encoded inputs (one per item of a chunk).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Call<'a> {
    pub(crate) task: &'a str,
    #[serde(borrow)]
    pub(crate) inputs: Vec<&'a [u8]>,
}

/// What a worker sends its pool.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum FromWorker {
    /// The initializer ran (or there was none): send work.
    Ready,
    /// The initializer failed; the worker exits after sending this.
    InitFailed(TaskError),
    /// The results of the `Run` with this `id`, one per input, in order.
    Done {
        id: u64,
        results: Vec<Result<Vec<u8>, TaskError>>,
    },
}

/// Appends `message` to `out` as one frame.
pub(crate) fn encode_frame<T: Serialize>(message: &T, out: &mut Vec<u8>) {
    // Our messages have no maps of unknown length (the one thing postcard's
    // serializer refuses) and are far below the frame limit.
    let written = try_encode_frame(message, out);
    debug_assert!(written.is_ok(), "postcard refused a pool message");
}

/// Appends `message` to `out` as one frame, or leaves `out` as it was and says
/// why not (a type postcard cannot encode, a message past the frame limit).
pub(crate) fn try_encode_frame<T: Serialize>(message: &T, out: &mut Vec<u8>) -> io::Result<()> {
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    let encoded = postcard::to_io(message, &mut *out)
        .map(|_| ())
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("cannot encode: {e}")))
        .and_then(|()| {
            let len = out.len() - start - 4;
            if len > MAX_FRAME {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("a message of {len} bytes is past the limit of {MAX_FRAME}"),
                ));
            }
            Ok(len as u32)
        });
    match encoded {
        Ok(len) => {
            out[start..start + 4].copy_from_slice(&len.to_le_bytes());
            Ok(())
        }
        Err(e) => {
            out.truncate(start);
            Err(e)
        }
    }
}

/// Reads one frame's body into `buf` (blocking); `Ok(false)` at a clean end of
/// stream before the frame began.
pub(crate) fn read_frame(reader: &mut impl Read, buf: &mut Vec<u8>) -> io::Result<bool> {
    let mut len = [0; 4];
    match reader.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e),
    }
    let len = frame_len(len)?;
    buf.clear();
    buf.resize(len, 0);
    reader.read_exact(buf)?;
    Ok(true)
}

/// Splits the complete frames off the front of `buf` (bytes read so far from a
/// non-blocking socket), calling `each` with every body; leaves a partial frame.
pub(crate) fn drain_frames(
    buf: &mut Vec<u8>,
    mut each: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<()> {
    let mut at = 0;
    while let Some(len) = first_frame(&buf[at..])? {
        each(&buf[at + 4..at + 4 + len])?;
        at += 4 + len;
    }
    buf.drain(..at);
    Ok(())
}

/// The body length of the frame at the start of `buf`, once all of it is there.
pub(crate) fn first_frame(buf: &[u8]) -> io::Result<Option<usize>> {
    let Some(len) = buf.first_chunk::<4>() else {
        return Ok(None);
    };
    let len = frame_len(*len)?;
    Ok((buf.len() - 4 >= len).then_some(len))
}

fn frame_len(bytes: [u8; 4]) -> io::Result<usize> {
    let len = u32::from_le_bytes(bytes) as usize;
    if len > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a frame of {len} bytes is corrupt (the limit is {MAX_FRAME})"),
        ));
    }
    Ok(len)
}

/// Decodes a frame body.
pub(crate) fn decode<'a, T: Deserialize<'a>>(body: &'a [u8]) -> io::Result<T> {
    postcard::from_bytes(body).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("a message did not decode as the type expected: {e}"),
        )
    })
}

/// Writes one message as a frame (blocking), for the worker side.
pub(crate) fn write_message<T: Serialize>(writer: &mut impl Write, message: &T) -> io::Result<()> {
    let mut frame = Vec::new();
    encode_frame(message, &mut frame);
    writer.write_all(&frame)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_whole_and_in_pieces() {
        let mut stream = Vec::new();
        let results = vec![Ok(vec![1, 2, 3]), Err(TaskError::Panicked("boom".into()))];
        encode_frame(&FromWorker::Ready, &mut stream);
        encode_frame(&FromWorker::Done { id: 7, results }, &mut stream);

        // Whole, through the blocking reader.
        let mut reader = &stream[..];
        let mut body = Vec::new();
        assert!(read_frame(&mut reader, &mut body).expect("first frame"));
        assert!(matches!(decode(&body).expect("ready"), FromWorker::Ready));
        assert!(read_frame(&mut reader, &mut body).expect("second frame"));
        match decode(&body).expect("done") {
            FromWorker::Done { id: 7, results } => {
                assert_eq!(results[0], Ok(vec![1, 2, 3]));
                assert_eq!(results[1], Err(TaskError::Panicked("boom".into())));
            }
            other => panic!("unexpected {other:?}"),
        }
        assert!(!read_frame(&mut reader, &mut body).expect("clean end"));

        // One byte at a time, through the non-blocking splitter.
        let mut buf = Vec::new();
        let mut seen = 0;
        for &byte in &stream {
            buf.push(byte);
            drain_frames(&mut buf, |_| {
                seen += 1;
                Ok(())
            })
            .expect("well-formed");
        }
        assert_eq!(seen, 2);
        assert!(buf.is_empty());
    }

    #[test]
    fn a_corrupt_length_is_an_error_not_an_allocation() {
        let mut buf = u32::MAX.to_le_bytes().to_vec();
        assert!(drain_frames(&mut buf, |_| Ok(())).is_err());
        let mut reader = &u32::MAX.to_le_bytes()[..];
        assert!(read_frame(&mut reader, &mut Vec::new()).is_err());
    }

    #[test]
    fn a_stream_cut_inside_a_frame_is_an_error() {
        let mut stream = Vec::new();
        encode_frame(&FromWorker::Ready, &mut stream);
        stream.pop();
        let mut reader = &stream[..];
        assert!(read_frame(&mut reader, &mut Vec::new()).is_err());
    }
}
