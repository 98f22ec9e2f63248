//! Checks the Pipe (processes) section: what was sent comes back from the same
//! child, and end-of-file follows that child's death.

use super::{Section, first_missing, once, rules, unrecognised};
use crate::{Line, Rejection};

const SECTION: &str = "Pipe (processes)";

#[derive(Default)]
pub(super) struct PipeSection {
    /// What was sent, and to which child.
    sent: Option<(String, u64)>,
    received: Option<()>,
    killed: Option<u64>,
    eof: Option<()>,
}

impl Section for PipeSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let text = line.text.as_str();
        let reject = |why: String| Err(Rejection::at(line, rules::PIPE_ORDER, why));
        if let Some((message, child)) = quoted_and_pid(text, "parent sent ", " to child ") {
            return once(&mut self.sent, (message, child), line, "parent sent");
        }
        if let Some((message, child)) =
            quoted_and_pid(text, "parent received ", " back from child ")
        {
            let Some((sent, to)) = &self.sent else {
                return reject("nothing comes back before it was sent".into());
            };
            if (&message, child) != (sent, *to) {
                return reject(format!(
                    "{sent:?} went to child {to}; {message:?} came back from child {child}"
                ));
            }
            return once(&mut self.received, (), line, "parent received");
        }
        if let Some(child) = text
            .strip_prefix("child ")
            .and_then(|rest| rest.strip_suffix(" killed"))
            .and_then(|pid| pid.parse().ok())
        {
            return once(&mut self.killed, child, line, "child killed");
        }
        if text == "parent's recv: end of file" {
            if self.killed.is_none() {
                return reject("end of file comes after the other end's process died".into());
            }
            return once(&mut self.eof, (), line, "end of file");
        }
        Err(unrecognised(line, SECTION))
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        first_missing(
            header,
            SECTION,
            &[
                (self.sent.is_none(), "parent sent"),
                (self.received.is_none(), "parent received"),
                (self.killed.is_none(), "child killed"),
                (self.eof.is_none(), "parent's recv: end of file"),
            ],
        )
    }
}

/// `<prefix>"text"<middle>PID`: the text (a Rust or Python string literal without
/// escapes) and the pid.
fn quoted_and_pid(text: &str, prefix: &str, middle: &str) -> Option<(String, u64)> {
    let rest = text.strip_prefix(prefix)?;
    let (quoted, pid) = rest.rsplit_once(middle)?;
    let quote = quoted.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = quoted.strip_prefix(quote)?.strip_suffix(quote)?;
    if inner.contains(quote) || inner.contains('\\') {
        return None;
    }
    Some((inner.to_owned(), pid.parse().ok()?))
}
