//! The ex04 replay: the facts of a transcript applied to a model of the list.
//!
//! With repeated numbers and removals from any position, one transcript can leave
//! the list in more than one state (`[5, 3, 5]`, then `Removed 5`: `[3, 5]` or
//! `[5, 3]`). The model keeps every state the facts allow so far, and a list a line
//! shows keeps only the states equal to it; a rule is broken when no state is left.
//! An operation that names neither its number nor the list leaves the model unknown
//! until a line shows the list again.

use super::rules;
use crate::{Line, Rejection};

/// Which end a removal takes, when the expectations pin one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The oldest item (`pop(0)`, a queue).
    Fifo,
    /// The newest item (`pop()`, a stack).
    Lifo,
}

/// One fact about the list, as a line states it. Numbers are kept as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Op {
    /// A number added, and the list shown after it, when the line says.
    Add {
        value: Option<String>,
        shown: Option<Vec<String>>,
    },
    /// A number removed, and the list shown after it, when the line says.
    Remove {
        value: Option<String>,
        shown: Option<Vec<String>>,
    },
    /// The remover found the list empty.
    Empty,
    /// The list, shown with no operation.
    Shown(Vec<String>),
    /// The list before the threads start.
    Initial(Vec<String>),
    /// The list after both threads.
    Final(Vec<String>),
}

/// How many states the model follows before it gives up and calls the list unknown.
const MAX_STATES: usize = 256;

/// The model, and what has been counted so far.
#[derive(Debug)]
pub(super) struct Replay {
    order: Option<Order>,
    /// Every state the facts so far allow; empty when the list is unknown.
    states: Vec<Vec<String>>,
    /// Whether an operation without its number made the list unknown.
    unknown: bool,
    /// Additions, removals and empty messages seen.
    pub(super) adds: u64,
    pub(super) removals: u64,
    pub(super) empties: u64,
    /// Whether any operation was seen (as opposed to lists only).
    operations: bool,
}

impl Replay {
    /// An empty list, removals taking `order`'s end (any item when `None`).
    pub(super) fn new(order: Option<Order>) -> Self {
        Self {
            order,
            states: vec![Vec::new()],
            unknown: false,
            adds: 0,
            removals: 0,
            empties: 0,
            operations: false,
        }
    }

    /// Applies one fact, or says which rule it breaks.
    pub(super) fn apply(&mut self, line: &Line, op: Op) -> Result<(), Rejection> {
        match op {
            Op::Add { value, shown } => {
                self.adds += 1;
                self.operations = true;
                match (value, &shown) {
                    (Some(value), _) => self.each_owned(|mut state| {
                        state.push(value.clone());
                        vec![state]
                    }),
                    // No number, but the list: it must be a state and one item more.
                    (None, Some(shown)) => {
                        let grew = |state: &Vec<String>| {
                            shown.len() == state.len() + 1 && shown[..state.len()] == state[..]
                        };
                        if self.states.iter().any(grew) {
                            self.states = vec![shown.clone()];
                        }
                    }
                    (None, None) => self.forget(),
                }
                self.show(line, shown, rules::SHOWN_LIST_MISMATCH, "shows")
            }
            Op::Remove { value, shown } => {
                self.removals += 1;
                self.operations = true;
                match (value, &shown) {
                    (Some(value), _) => self.remove(line, &value)?,
                    // No number, but the list: any removal the order allows may lead to it.
                    (None, Some(_)) => {
                        let order = self.order;
                        self.each_owned(|state| {
                            positions(order, &state)
                                .map(|at| {
                                    let mut next = state.clone();
                                    next.remove(at);
                                    next
                                })
                                .collect()
                        })
                    }
                    (None, None) => self.forget(),
                }
                self.show(line, shown, rules::SHOWN_LIST_MISMATCH, "shows")
            }
            Op::Empty => {
                self.empties += 1;
                self.operations = true;
                if self.unknown {
                    return Ok(());
                }
                if !self.states.iter().any(Vec::is_empty) {
                    return Err(Rejection::at(
                        line,
                        rules::EMPTY_MESSAGE_NOT_EMPTY,
                        format!(
                            "says the list is empty, but it holds {}",
                            list(&self.states[0])
                        ),
                    ));
                }
                self.states.retain(Vec::is_empty);
                Ok(())
            }
            // Before any operation, a list shown is where the list starts.
            Op::Shown(shown) | Op::Initial(shown) | Op::Final(shown) if !self.operations => {
                self.states = vec![shown];
                self.unknown = false;
                Ok(())
            }
            Op::Shown(shown) | Op::Initial(shown) => {
                self.show(line, Some(shown), rules::SHOWN_LIST_MISMATCH, "shows")
            }
            Op::Final(shown) => {
                self.show(line, Some(shown), rules::FINAL_LIST_MISMATCH, "final list")
            }
        }
    }

    /// Removes `value` from every state, where the order allows.
    fn remove(&mut self, line: &Line, value: &str) -> Result<(), Rejection> {
        if self.unknown {
            return Ok(());
        }
        let order = self.order;
        let takes = |state: &[String]| positions(order, state).any(|at| state[at] == value);
        if !self.states.iter().any(|state| takes(state)) {
            return Err(self.not_removable(line, value));
        }
        self.each_owned(|mut state| {
            let at: Vec<usize> = positions(order, &state)
                .filter(|&at| state[at] == value)
                .collect();
            match at[..] {
                [one] => {
                    state.remove(one);
                    vec![state]
                }
                _ => at
                    .into_iter()
                    .map(|at| {
                        let mut next = state.clone();
                        next.remove(at);
                        next
                    })
                    .collect(),
            }
        });
        Ok(())
    }

    /// Why no state lets `value` be removed.
    fn not_removable(&self, line: &Line, value: &str) -> Rejection {
        let state = &self.states[0];
        let (rule, why) = if self.states.iter().all(Vec::is_empty) {
            (
                rules::REMOVED_FROM_EMPTY,
                format!("removed {value}, but the list was empty"),
            )
        } else if self
            .states
            .iter()
            .any(|s| s.iter().any(|item| item == value))
        {
            let end = match self.order {
                Some(Order::Lifo) => "newest item (its end)",
                _ => "oldest item (its head)",
            };
            let expected = positions(self.order, state)
                .next()
                .map_or("", |at| &state[at]);
            (
                rules::REMOVED_WRONG_END,
                format!(
                    "removed {value}, but the {end} of {} is {expected}",
                    list(state)
                ),
            )
        } else {
            (
                rules::REMOVED_NOT_HELD,
                format!(
                    "removed {value}, but the list {} does not hold it",
                    list(state)
                ),
            )
        };
        Rejection::at(line, rule, why)
    }

    /// Keeps the states equal to `shown`; refuses the line when none is.
    fn show(
        &mut self,
        line: &Line,
        shown: Option<Vec<String>>,
        rule: crate::Rule,
        what: &str,
    ) -> Result<(), Rejection> {
        let Some(shown) = shown else {
            return Ok(());
        };
        if self.unknown {
            // A shown list tells the model what it had lost.
            self.states = vec![shown];
            self.unknown = false;
            return Ok(());
        }
        if !self.states.contains(&shown) {
            return Err(Rejection::at(
                line,
                rule,
                format!(
                    "{what} {}, but replaying the transcript gives {}",
                    list(&shown),
                    self.states
                        .iter()
                        .map(|s| list(s))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            ));
        }
        self.states.retain(|state| *state == shown);
        Ok(())
    }

    /// Replaces every state by the states `step` makes of it (taking it, so that
    /// one state changed in place costs no copy).
    fn each_owned(&mut self, step: impl Fn(Vec<String>) -> Vec<Vec<String>>) {
        if self.unknown {
            return;
        }
        let mut next: Vec<Vec<String>> = Vec::new();
        for state in std::mem::take(&mut self.states) {
            for candidate in step(state) {
                if !next.contains(&candidate) {
                    next.push(candidate);
                }
            }
        }
        self.states = next;
        if self.states.len() > MAX_STATES {
            self.forget();
        }
    }

    /// An operation with neither its number nor the list: the list is unknown
    /// until a line shows it again.
    fn forget(&mut self) {
        self.unknown = true;
        self.states.clear();
    }

    /// `5 adds, 4 removals, 1 empty; final list [4]`, or what little was shown.
    pub(super) fn summary(&self, final_printed: bool) -> String {
        let plural = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
        let counts = format!(
            "{}, {}, {} empty",
            plural(self.adds, "add"),
            plural(self.removals, "removal"),
            self.empties
        );
        let end = match (&self.states[..], self.unknown) {
            (_, true) | ([], _) => "the list's contents could not be followed".to_owned(),
            ([state], _) if final_printed => format!("final list {}", short(state)),
            ([state], _) => format!("no final list printed; the list ends as {}", short(state)),
            (_, _) if final_printed => "final list consistent".to_owned(),
            (_, _) => "no final list printed".to_owned(),
        };
        if !self.operations {
            return format!(
                "only lists were printed ({end}): too little to check the threads for a race"
            );
        }
        format!("{counts}; {end}")
    }
}

/// The positions a removal may take from `state` under `order`.
fn positions(order: Option<Order>, state: &[String]) -> impl Iterator<Item = usize> {
    let all = 0..state.len();
    let (from, to) = match order {
        None => (all.start, all.end),
        Some(Order::Fifo) => (0, state.len().min(1)),
        Some(Order::Lifo) => (state.len().saturating_sub(1), state.len()),
    };
    from..to
}

/// A state as Python prints a list.
fn list(state: &[String]) -> String {
    format!("[{}]", state.join(", "))
}

/// A state for the summary: abbreviated past six items.
fn short(state: &[String]) -> String {
    match state.len() {
        0..=6 => list(state),
        n => format!(
            "[{}, {}, …, {}] ({n} items)",
            state[0],
            state[1],
            state[n - 1]
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_replay_follows_up_to_its_cap_of_states_and_forgets_past_it() {
        let states = |n: usize| (0..n).map(|i| vec![i.to_string()]).collect();
        let mut replay = Replay::new(None);
        replay.states = states(MAX_STATES);
        replay.each_owned(|state| vec![state]);
        assert!(!replay.unknown);
        assert_eq!(replay.states.len(), MAX_STATES);
        replay.states = states(MAX_STATES + 1);
        replay.each_owned(|state| vec![state]);
        assert!(replay.unknown);
        assert!(replay.states.is_empty());
    }
}
