//! Checks the Queue section: every item taken once, and `join` after all were done.

use std::collections::BTreeSet;

use super::{Section, incomplete, once, rules, unrecognised};
use crate::pylist::numbers;
use crate::{Line, Rejection};

#[derive(Default)]
pub(super) struct QueueSection {
    consumers: BTreeSet<u64>,
    taken_by_consumers: u64,
    total: Option<()>,
    join: Option<()>,
}

impl Section for QueueSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let count = |why: String| Err(Rejection::at(line, rules::QUEUE_COUNT, why));
        if let Some([consumer, items]) = numbers(&line.text, "consumer {} took {} items") {
            if self.total.is_some() {
                return count("a consumer's count comes before the total".into());
            }
            if !self.consumers.insert(consumer) {
                return count(format!("consumer {consumer} reported twice"));
            }
            self.taken_by_consumers += items;
            return Ok(());
        }
        if let Some([unfinished]) = numbers(&line.text, "join returned: {} unfinished") {
            if unfinished != 0 {
                return Err(Rejection::at(
                    line,
                    rules::QUEUE_JOIN,
                    format!(
                        "join returns when every item is done, not with {unfinished} unfinished"
                    ),
                ));
            }
            return once(&mut self.join, (), line, "join returned");
        }
        let Some([producers, each, taken]) =
            numbers(&line.text, "{} producers x {} items: {} taken, each once")
        else {
            return Err(unrecognised(line, "Queue"));
        };
        let produced = producers.saturating_mul(each);
        if taken != produced || self.taken_by_consumers != produced {
            return count(format!(
                "{producers} producers x {each} items make {produced}; {taken} were taken, and the consumers report {}",
                self.taken_by_consumers
            ));
        }
        once(&mut self.total, (), line, "producers x items")
    }

    fn end(&mut self, header: &Line) -> Result<(), Rejection> {
        match (self.consumers.is_empty(), self.total, self.join) {
            (true, _, _) => Err(incomplete(header, "Queue", "consumer N took M items")),
            (_, None, _) => Err(incomplete(header, "Queue", "producers x items")),
            (_, _, None) => Err(incomplete(header, "Queue", "join returned")),
            _ => Ok(()),
        }
    }
}
