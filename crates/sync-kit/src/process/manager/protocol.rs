//! What a manager's clients ask its server, and what it answers: postcard
//! messages in the same length-prefixed frames as the pool's. Items, keys and
//! values travel as postcard bytes the server never decodes, so one server holds
//! lists and dicts of any types.

use serde::{Deserialize, Serialize};

/// A request; every one gets exactly one [`Reply`].
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Request {
    /// Make an empty list; answered with `Created`.
    NewList,
    /// Make an empty dict; answered with `Created`.
    NewDict,
    /// Append to list `id`; answered with `Len` (its length after).
    Append { id: u64, item: Vec<u8> },
    /// Item `index` of list `id`; answered with `Item`.
    Get { id: u64, index: u64 },
    /// Replace item `index` of list `id`; answered with `Item` (the old one).
    Set { id: u64, index: u64, item: Vec<u8> },
    /// Remove the last item of list `id`; answered with `Item`.
    Pop { id: u64 },
    /// The length of list or dict `id`; answered with `Len`.
    Len { id: u64 },
    /// Every item of list `id`, in order; answered with `Items`.
    Items { id: u64 },
    /// Insert into dict `id`; answered with `Item` (the value replaced).
    Insert {
        id: u64,
        key: Vec<u8>,
        value: Vec<u8>,
    },
    /// The value under `key` in dict `id`; answered with `Item`.
    Lookup { id: u64, key: Vec<u8> },
    /// Remove `key` from dict `id`; answered with `Item` (the value removed).
    Remove { id: u64, key: Vec<u8> },
    /// Every pair of dict `id`, in key order; answered with `Pairs`.
    Pairs { id: u64 },
}

/// The server's answer to one [`Request`].
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Reply {
    Created(u64),
    Len(u64),
    Item(Option<Vec<u8>>),
    Items(Vec<Vec<u8>>),
    Pairs(Vec<(Vec<u8>, Vec<u8>)>),
    /// The request named no object of its kind, or an index past the end.
    Refused(String),
}
