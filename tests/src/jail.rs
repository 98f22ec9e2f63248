//! Whether this machine gives the grader the containment a test needs, asked of
//! the grader once per test process: a test that needs more than the machine
//! gives is skipped, with one line naming what is missing, unless
//! [`REQUIRE_ENV`] is `1` (as in CI), which makes it a failure.
//!
//! ```ignore
//! #[test]
//! fn a_fork_bomb_is_ended_by_the_process_cap() {
//!     tests_integration::needs!(Need::Cgroups);
//!     // …
//! }
//! ```

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

/// Set to `1`, a test that cannot have the containment it needs fails instead
/// of being skipped.
pub const REQUIRE_ENV: &str = "CONCURRENCY_GRADER_REQUIRE_JAIL";

/// A level of containment a test needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// PID, network and mount namespaces: exact task counts, nothing escapes.
    Namespaces,
    /// Namespaces, and the process and memory caps of control groups.
    Cgroups,
}

/// Whether a test needing `need` may run here. When it may not, says so on
/// stderr (`skipped TEST: needs …; here: …`) and returns `false`.
///
/// # Panics
///
/// When it may not and [`REQUIRE_ENV`] is `1`.
#[must_use]
pub fn may_run(test: &str, need: Need) -> bool {
    let Err(lacking) = check(need) else {
        return true;
    };
    let message = format!("{test}: needs {}; here: {lacking}", describe(need));
    if required() {
        panic!("{message} ({REQUIRE_ENV}=1 makes this a failure)");
    }
    // Past the test harness's capture, which would hide it for a test that
    // returns: a skip must be seen.
    let _ = writeln!(std::io::stderr().lock(), "skipped {message}");
    false
}

/// Whether every part of the jail must be in force here ([`REQUIRE_ENV`] is `1`).
#[must_use]
pub fn required() -> bool {
    std::env::var(REQUIRE_ENV).is_ok_and(|v| v == "1")
}

/// Returns from the calling test, skipped with a line saying why, when the
/// machine does not give the grader the [`Need`] named.
#[macro_export]
macro_rules! needs {
    ($need:expr) => {{
        fn here() {}
        let test = ::std::any::type_name_of_val(&here).trim_end_matches("::here");
        if !$crate::jail::may_run(test, $need) {
            return;
        }
    }};
}

fn describe(need: Need) -> &'static str {
    match need {
        Need::Namespaces => "the grader's namespaces (root, or unprivileged user namespaces)",
        Need::Cgroups => {
            "the grader's namespaces and pids and memory cgroups (root, or a delegated cgroup)"
        }
    }
}

/// `Ok` when the grader here has what `need` asks, else what it has instead.
fn check(need: Need) -> Result<(), String> {
    let containment = containment()?;
    let text = |key: &str| containment[key].as_str().map(str::to_owned);
    let missing = || {
        containment["missing"]
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    };
    if containment["namespaces"] != true {
        return Err(format!("no namespaces ({})", missing()));
    }
    let cgroup = |cap: Option<String>| cap.is_some_and(|cap| cap.contains("cgroup"));
    if need == Need::Cgroups && !(cgroup(text("process_cap")) && cgroup(text("memory_cap"))) {
        return Err(format!(
            "process cap {:?}, memory cap {:?} ({})",
            text("process_cap"),
            text("memory_cap"),
            missing()
        ));
    }
    Ok(())
}

/// The containment the grader reports here, found once.
fn containment() -> Result<Value, String> {
    static FOUND: OnceLock<Result<Value, String>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            let output = Command::new(crate::grader())
                .args(["ex04", "--format", "json", "--", "true"])
                .stdin(Stdio::null())
                .output()
                .map_err(|e| format!("the grader did not start: {e}"))?;
            let report: Value = serde_json::from_slice(&output.stdout).map_err(|e| {
                format!(
                    "the grader gave no report ({e}): {}",
                    String::from_utf8_lossy(&output.stderr)
                )
            })?;
            Ok(report["containment"].clone())
        })
        .clone()
}
