//! The Supervisor section: worker processes watched by a supervisor that restarts
//! the ones that crash, one-for-one (only the crashed worker) or one-for-all (every
//! worker, since they depend on each other), within a restart intensity: at most
//! R restarts in any period of T, Erlang/OTP's rule. A worker that crashes every
//! time would otherwise be restarted for ever; past the intensity the supervisor
//! stops its workers, gives up and says so.

use std::collections::VecDeque;
use std::process::ExitStatus;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use sync_kit::fmt::PyList;
use sync_kit::process::children::Children;

use crate::jobs::Cancel;
use crate::{Args, ROLE_ENV, say};

/// How a worker behaves, given to it as its role's first number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Behaviour {
    /// Works [`WORK`] and exits 0.
    Steady = 0,
    /// Crashes (exit code 3) the first time, then works like `Steady`.
    CrashOnce = 1,
    /// Crashes every time it starts.
    AlwaysCrash = 2,
}

/// How long a steady worker works before it exits 0.
const WORK: Duration = Duration::from_millis(150);

/// The exit code of a crash.
const CRASH_CODE: i32 = 3;

/// How long the supervisor waits for any worker to end before it calls the
/// section stuck.
const PATIENCE: Duration = Duration::from_secs(20);

/// Supervisor.
pub(crate) fn show(args: &Args, cancel: &Cancel) -> anyhow::Result<()> {
    let intensity = || Intensity::new(args.restarts, Duration::from_millis(args.period));
    use Behaviour::{AlwaysCrash, CrashOnce, Steady};
    supervise(
        Strategy::OneForOne,
        &[Steady, CrashOnce, Steady],
        intensity(),
        cancel,
    )?;
    supervise(
        Strategy::OneForAll,
        &[Steady, CrashOnce, Steady],
        intensity(),
        cancel,
    )?;
    supervise(Strategy::OneForOne, &[AlwaysCrash], intensity(), cancel)
}

/// Which workers a crash restarts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strategy {
    /// Only the one that crashed.
    OneForOne,
    /// All that are not finished: the others are stopped first.
    OneForAll,
}

impl Strategy {
    fn name(self) -> &'static str {
        match self {
            Self::OneForOne => "one-for-one",
            Self::OneForAll => "one-for-all",
        }
    }
}

/// At most `restarts` restarts in any window of `period`.
#[derive(Debug)]
pub(crate) struct Intensity {
    restarts: u32,
    period: Duration,
    /// When the restarts still inside the window happened.
    recent: VecDeque<Instant>,
}

impl Intensity {
    pub(crate) fn new(restarts: u32, period: Duration) -> Self {
        Self {
            restarts,
            period,
            recent: VecDeque::new(),
        }
    }

    /// A crash at `now`: whether to restart (and count the restart), or give up
    /// because one more restart would be more than `restarts` within `period`.
    pub(crate) fn allow(&mut self, now: Instant) -> bool {
        while self
            .recent
            .front()
            .is_some_and(|&at| now.saturating_duration_since(at) > self.period)
        {
            self.recent.pop_front();
        }
        if self.recent.len() >= self.restarts as usize {
            return false;
        }
        self.recent.push_back(now);
        true
    }
}

/// One supervisor over `behaviours.len()` workers, until every worker finished
/// or the supervisor gave up.
fn supervise(
    strategy: Strategy,
    behaviours: &[Behaviour],
    mut intensity: Intensity,
    cancel: &Cancel,
) -> anyhow::Result<()> {
    let name = strategy.name();
    let started = Instant::now();
    let ms = |at: Instant| at.duration_since(started).as_millis();
    let mut team = Team {
        children: Children::new(ROLE_ENV),
        behaviours,
        attempts: vec![0; behaviours.len()],
        pids: vec![None; behaviours.len()],
    };
    let all: Vec<usize> = (1..=behaviours.len()).collect();
    team.start(&all)?;
    say(format_args!(
        "{name}, at most {} restarts in {} ms: started workers {}",
        intensity.restarts,
        intensity.period.as_millis(),
        PyList(&all)
    ))?;
    let mut restarts = 0_u32;
    let mut finished = Vec::new();
    while finished.len() < behaviours.len() {
        cancel.check()?;
        let (worker, status) = team.wait_any()?;
        let now = Instant::now();
        if status.success() {
            say(format_args!("worker {worker} finished"))?;
            finished.push(worker);
            continue;
        }
        say(format_args!(
            "worker {worker} crashed at {} ms: {}",
            ms(now),
            describe(status)
        ))?;
        if !intensity.allow(now) {
            let stopped = team.stop_all()?;
            say(format_args!(
                "gave up at {} ms: restart {} would be more than {} in {} ms; stopped workers {}",
                ms(now),
                restarts + 1,
                intensity.restarts,
                intensity.period.as_millis(),
                PyList(&stopped)
            ))?;
            return Ok(say(format_args!(
                "{name}: gave up after {restarts} restarts"
            ))?);
        }
        restarts += 1;
        match strategy {
            Strategy::OneForOne => {
                team.start(&[worker])?;
                say(format_args!(
                    "restart {restarts}: restarted workers {}",
                    PyList(&[worker])
                ))?;
            }
            Strategy::OneForAll => {
                let stopped = team.stop_all()?;
                let mut again: Vec<usize> = stopped.iter().copied().chain([worker]).collect();
                again.sort_unstable();
                team.start(&again)?;
                say(format_args!(
                    "restart {restarts}: stopped workers {}, restarted workers {}",
                    PyList(&stopped),
                    PyList(&again)
                ))?;
            }
        }
        // Bounded whatever the intensity allows: the section must end.
        if restarts > 10 * intensity.restarts + 10 {
            bail!(
                "the workers were restarted {restarts} times without the intensity being exceeded"
            );
        }
    }
    Ok(say(format_args!(
        "{name}: {restarts} restart{}, every worker finished",
        if restarts == 1 { "" } else { "s" }
    ))?)
}

/// The supervised workers: processes, each playing the `work` role.
struct Team<'a> {
    children: Children,
    behaviours: &'a [Behaviour],
    /// How many times each worker was started.
    attempts: Vec<u64>,
    /// Each worker's running process, if it has one.
    pids: Vec<Option<u32>>,
}

impl Team<'_> {
    /// Starts each of `workers` (numbered from 1) again.
    fn start(&mut self, workers: &[usize]) -> anyhow::Result<()> {
        for &worker in workers {
            let at = worker - 1;
            self.attempts[at] += 1;
            let numbers = [self.behaviours[at] as u64, self.attempts[at]];
            let pid = self.children.start("work", &numbers, |_| Ok(()))?;
            self.pids[at] = Some(pid);
        }
        Ok(())
    }

    /// Waits for any worker to end: which, and how.
    fn wait_any(&mut self) -> anyhow::Result<(usize, ExitStatus)> {
        let (pid, status) = self
            .children
            .wait_any(PATIENCE)?
            .with_context(|| format!("no worker ended within {PATIENCE:?}"))?;
        let at = self
            .pids
            .iter()
            .position(|&p| p == Some(pid))
            .ok_or_else(|| anyhow!("process {pid} is no worker of this supervisor"))?;
        self.pids[at] = None;
        Ok((at + 1, status))
    }

    /// Stops every running worker: which it stopped.
    fn stop_all(&mut self) -> anyhow::Result<Vec<usize>> {
        let mut stopped = Vec::new();
        for (at, pid) in self.pids.iter_mut().enumerate() {
            if let Some(pid) = pid.take() {
                self.children.kill(pid)?;
                stopped.push(at + 1);
            }
        }
        Ok(stopped)
    }
}

/// `exit code 3`, or `killed by SIGKILL`.
fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!(
            "killed by {}",
            sync_kit::process::signal_name(signal).unwrap_or("a signal")
        ),
        (None, None) => status.to_string(),
    }
}

/// Child: `[behaviour, attempt]`: a supervised worker.
pub(crate) fn work(numbers: &[u64]) -> anyhow::Result<()> {
    let &[behaviour, attempt] = numbers else {
        return Err(anyhow!("a worker takes its behaviour and its attempt"));
    };
    let crash = match behaviour {
        0 => false,
        1 => attempt == 1,
        2 => true,
        other => bail!("no worker behaviour is numbered {other}"),
    };
    if crash {
        std::process::exit(CRASH_CODE);
    }
    std::thread::sleep(WORK);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_intensity_allows_r_restarts_within_the_period_then_refuses() {
        let start = Instant::now();
        let mut intensity = Intensity::new(3, Duration::from_secs(5));
        let at = |ms| start + Duration::from_millis(ms);
        assert!(intensity.allow(at(0)));
        assert!(intensity.allow(at(10)));
        assert!(intensity.allow(at(20)));
        assert!(!intensity.allow(at(30)), "a 4th restart within 5 s");
        assert!(!intensity.allow(at(5000)), "still 3 within the 5 s before");
    }

    #[test]
    fn restarts_that_leave_the_window_no_longer_count() {
        let start = Instant::now();
        let mut intensity = Intensity::new(2, Duration::from_millis(100));
        let at = |ms| start + Duration::from_millis(ms);
        assert!(intensity.allow(at(0)));
        assert!(intensity.allow(at(50)));
        assert!(!intensity.allow(at(90)));
        assert!(
            intensity.allow(at(101)),
            "the restart at 0 ms has left the window"
        );
        assert!(!intensity.allow(at(120)));
        assert!(intensity.allow(at(250)));
    }
}
