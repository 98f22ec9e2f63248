//! Finding the processes a run left behind: the program under test is started
//! with [`MARK_ENV`] set to a mark of the test's own, which every process it
//! starts inherits, so any of them still alive afterwards can be found in /proc.

use std::time::{Duration, Instant};

/// The environment variable that carries a run's mark.
pub const MARK_ENV: &str = "KIT_TEST_MARK";

/// The processes alive whose environment holds exactly `mark`, and also a variable that
/// begins with `role` if given (`EX05_CHILD=hold`).
#[must_use]
pub fn marked(mark: &str, role: Option<&str>) -> Vec<u32> {
    let exact = format!("{MARK_ENV}={mark}");
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|environ| {
                // The mark whole (mark `x-1` is not mark `x-14`), the role as a prefix.
                let mut vars = environ.split(|&b| b == 0);
                let has_mark = vars.clone().any(|var| var == exact.as_bytes());
                has_mark && role.is_none_or(|role| vars.any(|var| var.starts_with(role.as_bytes())))
            })
        })
        .collect()
}

/// Waits up to two seconds for every marked process to be gone; returns those
/// left, after killing them, so that a failing test leaves nothing behind either.
#[must_use]
pub fn left_after_grace(mark: &str) -> Vec<u32> {
    let started = Instant::now();
    loop {
        let left = marked(mark, None);
        if left.is_empty() || started.elapsed() > Duration::from_secs(2) {
            for &pid in &left {
                if let Some(pid) = i32::try_from(pid)
                    .ok()
                    .and_then(rustix::process::Pid::from_raw)
                {
                    let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
                }
            }
            return left;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_is_matched_whole_never_as_the_start_of_another() {
        let mark = format!("marked-test-{}-1", std::process::id());
        let mut longer = std::process::Command::new("sleep")
            .arg("30")
            .env(MARK_ENV, format!("{mark}4"))
            .spawn()
            .expect("sleep starts");
        let pid = longer.id();
        // The child may not have reached its exec yet, when its environment is
        // still this process's: look until it has.
        let started = Instant::now();
        while !marked(&format!("{mark}4"), None).contains(&pid)
            && started.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(
            marked(&format!("{mark}4"), None).contains(&pid),
            "its own mark finds it"
        );
        assert!(!marked(&mark, None).contains(&pid), "{mark} is not {mark}4");
        let _ = longer.kill();
        let _ = longer.wait();
    }
}
