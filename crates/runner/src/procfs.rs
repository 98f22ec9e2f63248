//! Processes as `/proc/PID/stat` shows them: id, parent, process group, and
//! whether the process has exited and only waits to be reaped. The sweep and
//! the jail's census both read them here.

use std::io;

/// One process, as its `/proc/PID/stat` showed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ProcStat {
    pub(super) pid: u32,
    pub(super) parent: i64,
    /// Its process group as the reader's PID namespace sees it: 0 when the group
    /// lies outside it, and (seen) negative while the process is torn down.
    pub(super) group: i64,
    /// It has exited and waits to be reaped.
    pub(super) zombie: bool,
}

/// Every process in `/proc` that could be read (one gone by the time its file
/// is read is left out).
pub(super) fn processes() -> io::Result<Vec<ProcStat>> {
    Ok(std::fs::read_dir("/proc")?
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_str()?.parse::<u32>().ok()?;
            let text = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            parse(pid, &text)
        })
        .collect())
}

/// `/proc/PID/stat`'s text: `pid (comm) state ppid pgrp …`, where comm may hold
/// spaces and parentheses.
fn parse(pid: u32, text: &str) -> Option<ProcStat> {
    let (_, after_comm) = text.rsplit_once(')')?;
    let mut fields = after_comm.split_whitespace();
    let state = fields.next()?;
    let parent = fields.next()?.parse().ok()?;
    let group = fields.next()?.parse().ok()?;
    Some(ProcStat {
        pid,
        parent,
        group,
        zombie: state == "Z",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stat_line_is_read_whatever_its_command_name_holds() {
        let read = parse(42, "42 (a (weird) name) S 7 42 42 0 -1").unwrap();
        assert_eq!(
            (read.pid, read.parent, read.group, read.zombie),
            (42, 7, 42, false)
        );
        assert!(parse(43, "43 (gone) Z 7 -1 42").unwrap().zombie);
        assert_eq!(parse(43, "43 (gone) Z 7 -1 42").unwrap().group, -1);
        assert!(parse(44, "garbage").is_none());
    }

    #[test]
    fn this_process_is_among_them_with_its_parent() {
        let me = processes().unwrap();
        let found = me.iter().find(|p| p.pid == std::process::id()).unwrap();
        assert_eq!(found.parent, i64::from(std::os::unix::process::parent_id()));
        assert!(!found.zombie);
    }
}
