//! Checks the Queue section: every item taken once, and `join` after all were
//! done; and the consumers' and producers' lines every queue section prints.

use std::collections::BTreeSet;

use super::{Section, incomplete, once, rules, unrecognised};
use crate::pylist::numbers;
use crate::{Line, Rejection};

#[derive(Default)]
pub(super) struct QueueSection {
    takers: Takers,
    join: Option<()>,
}

impl Section for QueueSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        if let Some(taken) = self.takers.line(line) {
            return taken;
        }
        let Some([unfinished]) = numbers(&line.text, "join returned: {} unfinished") else {
            return Err(unrecognised(line, "Queue"));
        };
        if unfinished != 0 {
            return Err(Rejection::at(
                line,
                rules::QUEUE_JOIN,
                format!("join returns when every item is done, not with {unfinished} unfinished"),
            ));
        }
        once(&mut self.join, (), line, "join returned")
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        self.takers.end(header, "Queue")?;
        match self.join {
            None => Err(incomplete(header, "Queue", "join returned")),
            Some(()) => Ok(()),
        }
    }
}

/// `consumer N took M items` lines, then `P producers x E items: T taken, each
/// once`: the consumers' counts add up to what was produced.
#[derive(Default)]
pub(super) struct Takers {
    consumers: BTreeSet<u64>,
    taken_by_consumers: u64,
    total: Option<()>,
}

impl Takers {
    /// Checks `line` if it is a consumer's or the producers' line; `None` if not.
    pub(super) fn line(&mut self, line: &Line) -> Option<Result<(), Rejection>> {
        let count = |why: String| Some(Err(Rejection::at(line, rules::QUEUE_COUNT, why)));
        if let Some([consumer, items]) = numbers(&line.text, "consumer {} took {} items") {
            if self.total.is_some() {
                return count("a consumer's count comes before the total".into());
            }
            if !self.consumers.insert(consumer) {
                return count(format!("consumer {consumer} reported twice"));
            }
            self.taken_by_consumers += items;
            return Some(Ok(()));
        }
        let [producers, each, taken] =
            numbers(&line.text, "{} producers x {} items: {} taken, each once")?;
        let produced = producers.saturating_mul(each);
        if taken != produced || self.taken_by_consumers != produced {
            return count(format!(
                "{producers} producers x {each} items make {produced}; {taken} were taken, and the consumers report {}",
                self.taken_by_consumers
            ));
        }
        Some(once(&mut self.total, (), line, "producers x items"))
    }

    /// At the section's end: the consumers' lines and the total were there.
    pub(super) fn end(&self, header: &Line, section: &str) -> Result<(), Rejection> {
        if self.consumers.is_empty() {
            return Err(incomplete(header, section, "consumer N took M items"));
        }
        match self.total {
            None => Err(incomplete(header, section, "producers x items")),
            Some(()) => Ok(()),
        }
    }
}
