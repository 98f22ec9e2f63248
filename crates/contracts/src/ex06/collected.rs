//! Checks the Errors collected across processes section: the exit codes say
//! which children failed (those that divided by 0), and every one of their
//! errors is in the shared list, once, after every child was started.

use std::collections::BTreeSet;

use super::rules;
use crate::pylist::{fields, numbers, parse_int_list};
use crate::sections::{Section, first_missing, once, unrecognised};
use crate::{Line, Rejection};

const SECTION: &str = "Errors collected across processes";

#[derive(Default)]
pub(super) struct CollectedSection {
    /// Each child started: its pid and divisor.
    started: Vec<(u64, u64)>,
    codes: Option<Vec<i64>>,
    errors: Option<usize>,
    summary: Option<()>,
}

impl Section for CollectedSection {
    fn line(&mut self, line: &Line) -> Result<(), Rejection> {
        let text = line.text.as_str();
        let reject = |why: String| Err(Rejection::at(line, rules::COLLECTED_ERRORS, why));
        if let Some([pid, n]) = numbers(text, "started process {}: 10 / {}") {
            if self.codes.is_some() {
                return reject("a child started after the exit codes were read".into());
            }
            self.started.push((pid, n));
            return Ok(());
        }
        if let Some(found) = fields(text, "exit codes: {}: they say who failed, not why") {
            let Some(codes) = parse_int_list(found[0]) else {
                return Err(unrecognised(line, SECTION));
            };
            if codes.len() != self.started.len() {
                return reject(format!(
                    "{} exit codes for {} children",
                    codes.len(),
                    self.started.len()
                ));
            }
            if let Some(((pid, n), code)) = self
                .started
                .iter()
                .zip(&codes)
                .find(|((_, n), code)| (*n == 0) != (**code != 0))
            {
                return reject(format!("process {pid} divided 10 by {n} and exited {code}"));
            }
            return once(&mut self.codes, codes, line, "exit codes");
        }
        if let Some(found) = fields(text, "Exceptions encountered: {}") {
            let errors = self
                .errors(found[0])
                .map_err(|why| Rejection::at(line, rules::COLLECTED_ERRORS, why))?;
            return once(&mut self.errors, errors, line, "Exceptions encountered");
        }
        if let Some([processes, failed, collected]) = numbers(
            text,
            "{} processes, {} failed, {} errors collected: none lost",
        ) {
            let codes = self.codes.as_deref().unwrap_or_default();
            let really_failed = codes.iter().filter(|&&code| code != 0).count() as u64;
            let really = (
                self.started.len() as u64,
                really_failed,
                self.errors.unwrap_or_default() as u64,
            );
            if (processes, failed, collected) != really {
                return reject(format!(
                    "{} processes started, {} failed, {} errors collected",
                    really.0, really.1, really.2
                ));
            }
            return once(&mut self.summary, (), line, "N processes");
        }
        Err(unrecognised(line, SECTION))
    }

    fn end(&mut self, header: &Line, _: Option<&Line>) -> Result<(), Rejection> {
        first_missing(
            header,
            SECTION,
            &[
                (self.started.is_empty(), "started process"),
                (self.codes.is_none(), "exit codes"),
                (self.errors.is_none(), "Exceptions encountered"),
                (self.summary.is_none(), "N processes, N failed"),
            ],
        )
    }
}

impl CollectedSection {
    /// Reads `['process PID: reason', …]`: each entry names a child that divided
    /// by 0, once, and every such child is named. Returns how many there are.
    fn errors(&self, list: &str) -> Result<usize, String> {
        let inner = list
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
            .ok_or_else(|| format!("{list} is not a list"))?;
        let entries: Vec<&str> = match inner {
            "" => Vec::new(),
            _ => inner
                .strip_prefix('\'')
                .and_then(|rest| rest.strip_suffix('\''))
                .ok_or_else(|| format!("{list} is not a list of quoted errors"))?
                .split("', '")
                .collect(),
        };
        let mut named = BTreeSet::new();
        for entry in &entries {
            let pid = fields(entry, "process {}: {}")
                .and_then(|found| found[0].parse::<u64>().ok())
                .ok_or_else(|| format!("'{entry}' does not name its process"))?;
            match self.started.iter().find(|&&(started, _)| started == pid) {
                None => return Err(format!("process {pid} was never started")),
                Some((_, n)) if *n != 0 => {
                    return Err(format!("process {pid} divided by {n}: it had no error"));
                }
                Some(_) => {}
            }
            if !named.insert(pid) {
                return Err(format!("process {pid}'s error is in the list twice"));
            }
        }
        if let Some((pid, _)) = self
            .started
            .iter()
            .find(|(pid, n)| *n == 0 && !named.contains(pid))
        {
            return Err(format!(
                "process {pid} divided by 0, and its error was lost"
            ));
        }
        Ok(entries.len())
    }
}
