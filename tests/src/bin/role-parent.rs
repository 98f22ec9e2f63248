//! `role-parent`: the program in the tests of sync-kit's `children`. Started
//! plainly, it starts itself again as a child in the `sleep` role, prints the
//! child's pid, and waits until its stdin closes, then returns (its guard ends
//! the child). As a child (`ROLE_PARENT_CHILD` set) it plays its role:
//! - `sleep MS`: sleeps that long, then exits 0;
//! - `fail`: fails, so the child exits 1 with the error on stderr.

use std::io::Read;
use std::time::Duration;

use sync_kit::process::children::{self, Children, Role};

const ROLE_ENV: &str = "ROLE_PARENT_CHILD";

const ROLES: &[Role<String>] = &[
    ("sleep", sleep),
    ("fail", |_| Err("failed on purpose".into())),
];

fn main() {
    children::serve_role(ROLE_ENV, ROLES);
    let mut children = Children::new(ROLE_ENV);
    let pid = children
        .start("sleep", &[60_000], |_| Ok(()))
        .expect("the child starts");
    println!("{pid}");
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}

fn sleep(numbers: &[u64]) -> Result<(), String> {
    let &[ms] = numbers else {
        return Err("sleep takes its milliseconds".into());
    };
    std::thread::sleep(Duration::from_millis(ms));
    Ok(())
}
