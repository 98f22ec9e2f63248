//! The process half's other processes: this program started again as a child
//! with a role, the primitives it needs shared by name, and a guard that leaves no
//! child running, whatever happens to the section that started them.
//!
//! A child is told its role in `EX05_CHILD` (the role's name and its numbers,
//! separated by spaces); [`serve_if_child`], first thing in `main`, runs the role
//! and exits, so a child never prints the sections. Children report to their
//! parent only through what was shared with them, never on stdout, so the lines a
//! section prints are the parent's, in the order it saw things happen.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use sync_kit::process::{CommandExt, Share};

/// The environment variable that carries a child's role.
const ROLE_ENV: &str = "EX05_CHILD";

/// A child's job: its name, and the function that does it, given the role's
/// numbers.
type Role = (&'static str, fn(&[u64]) -> anyhow::Result<()>);

/// Every role a child can play, by name.
const ROLES: &[Role] = &[
    ("count-unlocked", crate::process_lock::count_unlocked),
    ("count-locked", crate::process_lock::count_locked),
    ("hold", crate::process_lock::hold),
    ("course", crate::value_array::course),
    ("value-unlocked", crate::value_array::add_unlocked),
    ("value-locked", crate::value_array::add_locked),
    ("produce", crate::process_queue::produce),
    ("consume", crate::process_queue::consume),
    ("stall-put", crate::process_queue::stall_put),
    ("drain", crate::process_queue::drain),
    ("echo", crate::pipe::echo),
    ("append-data", crate::manager::append_data),
    ("append-many", crate::manager::append_many),
];

/// In a child, plays its role and exits (0, or 1 with the error on stderr); in the
/// program as the user started it, returns at once.
pub(crate) fn serve_if_child() {
    let Some(role) = std::env::var_os(ROLE_ENV) else {
        return;
    };
    let role = role.to_string_lossy();
    // A child whose parent dies goes with it, even while it sleeps holding a lock.
    let _ = rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL));
    let code = match play(&role) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("ex05-sharing-data child `{role}`: error: {e:#}");
            1
        }
    };
    std::process::exit(code);
}

fn play(role: &str) -> anyhow::Result<()> {
    let mut words = role.split(' ');
    let name = words.next().unwrap_or_default();
    let numbers: Vec<u64> = words
        .map(|n| {
            n.parse()
                .with_context(|| format!("{ROLE_ENV}={role}: `{n}` is not a number"))
        })
        .collect::<anyhow::Result<_>>()?;
    let Some((_, run)) = ROLES.iter().find(|(known, _)| *known == name) else {
        bail!("{ROLE_ENV}={role}: no role is called `{name}`");
    };
    run(&numbers)
}

/// The children a section started: each is killed and reaped when this is
/// dropped, unless it was waited for already.
#[derive(Debug, Default)]
pub(crate) struct Children {
    running: Vec<Child>,
}

/// What a child is given: a primitive, under a name, for [`Children::start`].
pub(crate) type Given<'a> = (
    &'a str,
    &'a dyn Fn(&mut Command, &str) -> std::io::Result<()>,
);

/// Shares `what` with a command, for [`Given`].
pub(crate) fn give<S: Share>(what: &S) -> impl Fn(&mut Command, &str) -> std::io::Result<()> + '_ {
    move |command, name| command.share(name, what).map(drop)
}

impl Children {
    /// Starts this program again as a child playing `role` with `numbers`, given
    /// `shared`; returns its process id.
    pub(crate) fn start(
        &mut self,
        role: &str,
        numbers: &[u64],
        shared: &[Given<'_>],
    ) -> anyhow::Result<u32> {
        let program = std::env::current_exe().context("finding this program to start it again")?;
        let mut command = Command::new(program);
        let mut words = vec![role.to_owned()];
        words.extend(numbers.iter().map(ToString::to_string));
        command
            .env(ROLE_ENV, words.join(" "))
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        for (name, share) in shared {
            share(&mut command, name).with_context(|| format!("sharing `{name}` with a child"))?;
        }
        let child = command.spawn().context("starting a child process")?;
        let pid = child.id();
        self.running.push(child);
        Ok(pid)
    }

    /// Waits for every child to end, and fails unless each exited with 0.
    pub(crate) fn wait_all(&mut self) -> anyhow::Result<()> {
        // A child that failed leaves the rest in `running`, for the drop to end.
        for child in &mut self.running {
            let pid = child.id();
            let status = child
                .wait()
                .with_context(|| format!("waiting for child {pid}"))?;
            if !status.success() {
                return Err(anyhow!("child {pid} failed ({status})"));
            }
        }
        self.running.clear();
        Ok(())
    }

    /// Kills child `pid` with SIGKILL and reaps it.
    pub(crate) fn kill(&mut self, pid: u32) -> anyhow::Result<()> {
        let at = self
            .running
            .iter()
            .position(|child| child.id() == pid)
            .ok_or_else(|| anyhow!("no child {pid} is running"))?;
        let mut child = self.running.remove(at);
        let killed = child.kill();
        let reaped = child.wait();
        killed.with_context(|| format!("killing child {pid}"))?;
        reaped.with_context(|| format!("reaping child {pid}"))?;
        Ok(())
    }
}

impl Drop for Children {
    fn drop(&mut self) {
        for child in &mut self.running {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Polls `ready` until it is true, failing after `limit`: how a parent waits for a
/// child to reach a point it reports through shared memory.
pub(crate) fn wait_for(
    what: &str,
    limit: Duration,
    mut ready: impl FnMut() -> bool,
) -> anyhow::Result<()> {
    let started = Instant::now();
    while !ready() {
        if started.elapsed() > limit {
            bail!("{what} did not happen within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(())
}
