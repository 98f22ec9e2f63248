//! Checks the Queue (processes) section: every item taken once, then a producer
//! killed halfway through a put that leaves its whole item and no torn one.

use super::queue::Takers;
use super::{Section, incomplete, once, rules, unrecognised};
use crate::pylist::numbers;
use crate::{Line, Rejection};

const SECTION: &str = "Queue (processes)";

#[derive(Default)]
pub(super) struct ProcessQueueSection {
    takers: Takers,
    /// The producer killed halfway through its second put.
    killed: Option<u64>,
    after: Option<()>,
}

impl Section for ProcessQueueSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        if let Some(taken) = self.takers.line(line) {
            return taken;
        }
        let text = line.text.as_str();
        if let Some([pid]) = numbers(text, "producer {} killed halfway through its second put") {
            return once(&mut self.killed, pid, line, "producer killed");
        }
        let reject = |why: String| Err(Rejection::at(line, rules::QUEUE_TORN, why));
        if let Some(rest) = text.strip_prefix("after: ") {
            let Some(killed) = self.killed else {
                return reject("`after:` comes after the producer was killed".into());
            };
            let Some([number, producer, repairs]) = numbers(
                rest,
                "got item {} of producer {}, then nothing: {} repair, no torn item",
            ) else {
                return reject(format!(
                    "after the kill the queue holds item 1 of producer {killed} whole, then nothing, and says it repaired the ring: `{rest}`"
                ));
            };
            if (number, producer) != (1, killed) || repairs == 0 {
                return reject(format!(
                    "the item left is item 1 of producer {killed}, after at least one repair, not item {number} of {producer} after {repairs}"
                ));
            }
            return once(&mut self.after, (), line, "after:");
        }
        Err(unrecognised(line, SECTION))
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        self.takers.end(header, SECTION)?;
        match (self.killed, self.after) {
            (None, _) => Err(incomplete(header, SECTION, "producer killed halfway")),
            (_, None) => Err(incomplete(header, SECTION, "after:")),
            _ => Ok(()),
        }
    }
}
