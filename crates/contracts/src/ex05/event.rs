//! Checks the Event section: every waiter released only after the event is set.

use std::collections::BTreeMap;

use super::{Section, incomplete, rules, unrecognised};
use sync_kit::fmt::PyList;

use crate::pylist::numbers;
use crate::{Line, Rejection};

#[derive(Default)]
pub(super) struct EventSection {
    set: Option<usize>,
    /// Each waiter that said it waits, and whether it was released.
    waiters: BTreeMap<u64, bool>,
}

impl Section for EventSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let order = |why: String| Err(Rejection::at(line, rules::EVENT_ORDER, why));
        if line.text == "event set" {
            if let Some(first) = self.set {
                return order(format!("the event was already set at line {first}"));
            }
            self.set = Some(line.number);
            return Ok(());
        }
        if let Some([waiter]) = numbers(&line.text, "waiter {} waiting") {
            if self.waiters.insert(waiter, false).is_some() {
                return order(format!("waiter {waiter} said it waits twice"));
            }
            return Ok(());
        }
        let Some([waiter]) = numbers(&line.text, "waiter {} released") else {
            return Err(unrecognised(line, "Event"));
        };
        if self.set.is_none() {
            return order(format!(
                "waiter {waiter} was released before the event was set"
            ));
        }
        match self.waiters.get_mut(&waiter) {
            None => order(format!("waiter {waiter} was released without waiting")),
            Some(true) => order(format!("waiter {waiter} was released twice")),
            Some(released) => {
                *released = true;
                Ok(())
            }
        }
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        if self.set.is_none() {
            return Err(incomplete(header, "Event", "event set"));
        }
        if self.waiters.is_empty() {
            return Err(incomplete(header, "Event", "waiter N waiting"));
        }
        let stuck: Vec<u64> = self
            .waiters
            .iter()
            .filter(|&(_, &released)| !released)
            .map(|(&waiter, _)| waiter)
            .collect();
        if !stuck.is_empty() {
            return Err(Rejection::at(
                header,
                rules::EVENT_UNRELEASED,
                format!("waiters {} waited and were never released", PyList(&stuck)),
            ));
        }
        Ok(())
    }
}
