//! Checks the Thread panic section: each kind of thread reports its panic with a
//! message, and the poisoned mutex's data is found as its holder left it, then
//! repaired whole.

use super::{quoted, rules};
use crate::pylist::{fields, numbers};
use crate::sections::{Section, first_missing, once, unrecognised};
use crate::{Line, Rejection};

const SECTION: &str = "Thread panic";

/// The three panic lines: the fixed text around each quoted message.
const PANICS: [(&str, &str); 3] = [
    (
        "unjoined thread panicked: {}; only the panic hook heard it, nobody was told",
        "unjoined thread panicked",
    ),
    (
        "joined thread panicked: join() returned Err({})",
        "joined thread panicked",
    ),
    (
        "scoped thread panicked: the scope panicked in the caller in turn: {}",
        "scoped thread panicked",
    ),
];

#[derive(Default)]
pub(super) struct PanicSection {
    panics: [Option<()>; 3],
    /// What was moved, and the accounts as the next locker found them.
    poisoned: Option<(u64, u64, u64)>,
    repaired: Option<()>,
}

impl Section for PanicSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let text = line.text.as_str();
        let reject = |why: String| Err(Rejection::at(line, rules::PANIC_REPORT, why));
        for (at, (template, what)) in PANICS.iter().enumerate() {
            if let Some(found) = fields(text, template) {
                if quoted(found[0]).is_none() {
                    return reject(format!(
                        "{what}: the panic's message, in quotes, is missing"
                    ));
                }
                return once(&mut self.panics[at], (), line, what);
            }
        }
        if let Some([moved, a, b]) = numbers(
            text,
            "next lock(): PoisonError: its holder panicked after moving {} out of a: a = {}, b = {}",
        ) {
            return once(&mut self.poisoned, (moved, a, b), line, "next lock()");
        }
        if let Some([a, b, sum, total]) = numbers(
            text,
            "repaired, then clear_poison(): a = {}, b = {}: a + b = {} of {}; the next lock() is Ok",
        ) {
            let Some((moved, a0, b0)) = self.poisoned else {
                return reject("a repair before the poisoned mutex was found".into());
            };
            if a + b != sum {
                return reject(format!("a = {a}, b = {b}: a + b is {}, not {sum}", a + b));
            }
            if sum != total {
                return reject(format!("after the repair a + b is {sum}, not all {total}"));
            }
            // The repair puts into b what the holder took out of a, and nothing else.
            if a != a0 || b != b0 + moved {
                return reject(format!(
                    "the holder left a = {a0}, b = {b0} after moving {moved}; the repair gives b the {moved}: a = {a0}, b = {}",
                    b0 + moved
                ));
            }
            return once(&mut self.repaired, (), line, "repaired");
        }
        Err(unrecognised(line, SECTION))
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        first_missing(
            header,
            SECTION,
            &[
                (self.panics[0].is_none(), PANICS[0].1),
                (self.panics[1].is_none(), PANICS[1].1),
                (self.panics[2].is_none(), PANICS[2].1),
                (self.poisoned.is_none(), "next lock(): PoisonError"),
                (self.repaired.is_none(), "repaired, then clear_poison()"),
            ],
        )
    }
}
