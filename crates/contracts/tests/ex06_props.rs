//! Property tests of the ex06 checker on transcripts it has never seen.
//!
//! Generators play the program's sections the way its threads and processes may
//! really interleave: tasks whose outcomes arrive in any order after they started,
//! a child's jobs stopped by a signal at any moment, a supervisor whose worker
//! crashes at any times. Every such transcript must be accepted; one targeted
//! corruption must make it rejected, for the rule that corruption breaks.

use contracts::ex06::rules;
use contracts::{Exercise, Expectations, Rejection, Transcript};
use proptest::prelude::*;

/// The program's own transcript, whose sections the generators replace.
const BASE: &str = include_str!("../fixtures/ex06/accept/program-order.txt");

/// `BASE` with the body of section `title` replaced by `body`.
fn with_section(title: &str, body: &[String]) -> String {
    let mut out = Vec::new();
    let mut skipping = false;
    for line in BASE.lines() {
        if line.starts_with("== ") {
            skipping = line == format!("== {title} ==");
            out.push(line.to_owned());
            if skipping {
                out.extend(body.iter().cloned());
            }
        } else if !skipping {
            out.push(line.to_owned());
        }
    }
    out.join("\n")
}

fn check(text: &str) -> Result<contracts::Accepted, Rejection> {
    let checker = Exercise::Ex06
        .checker(&Expectations::new())
        .expect("ex06 has a checker");
    checker.check(&Transcript::parse(text))
}

/// Errors as values: each task's `started` line, then at some later point the
/// caller's `received` line, in an order `picks` chooses among what may come next.
fn values(picks: &[usize]) -> Vec<String> {
    const INPUTS: [u64; 4] = [5, 0, 2, 4];
    let outcome = |n: u64| match n {
        0 => "error: division by zero".to_owned(),
        n => format!("{:?}", 10.0 / n as f64),
    };
    // Each task: 0 not started, 1 started, 2 received.
    let mut state = [0_u8; 4];
    let mut lines = Vec::new();
    for &pick in picks.iter().cycle() {
        let ready: Vec<usize> = (0..4).filter(|&t| state[t] < 2).collect();
        let Some(&task) = ready.get(pick % ready.len().max(1)) else {
            break;
        };
        let n = INPUTS[task];
        lines.push(match state[task] {
            0 => format!("task {} started: 10 / {n}", task + 1),
            _ => format!("received from task {}: {}", task + 1, outcome(n)),
        });
        state[task] += 1;
    }
    lines.push("4 tasks: 3 values, 1 error, every outcome received".to_owned());
    lines
}

/// A child's round: `jobs` jobs on `threads` threads; at each step `steps` picks
/// whether a job starts or one in flight finishes, and when the signal comes.
/// The first step always starts a job: the program signals only a child with a
/// job in flight.
fn shutdown(jobs: u64, threads: usize, signal_at: usize, steps: &[bool]) -> Vec<String> {
    let mut lines = vec![format!(
        "child: {jobs} jobs on {threads} threads, grace period 300 ms"
    )];
    let (mut next, mut in_flight, mut finished) = (1_u64, Vec::new(), Vec::new());
    for (at, &start) in steps.iter().enumerate() {
        let start = start || at == 0;
        if at == signal_at && !in_flight.is_empty() {
            break;
        }
        if start && in_flight.len() < threads && next <= jobs {
            lines.push(format!("child: job {next} started"));
            in_flight.push(next);
            next += 1;
        } else if let Some(job) = (!in_flight.is_empty()).then(|| in_flight.remove(0)) {
            lines.push(format!("child: job {job} finished"));
            finished.push(job);
        }
    }
    lines.push("parent: sending SIGTERM to child 4242".to_owned());
    lines.push(format!(
        "child: SIGTERM received: no new job starts; {} in flight get 300 ms",
        in_flight.len()
    ));
    // The first job in flight finishes within the grace; the rest are cancelled.
    let mut cancelled = Vec::new();
    for (index, job) in in_flight.into_iter().enumerate() {
        if index == 0 {
            lines.push(format!("child: job {job} finished"));
            finished.push(job);
        } else {
            lines.push(format!(
                "child: job {job} cancelled: still running when the grace period ended"
            ));
            cancelled.push(job);
        }
    }
    let names = |jobs: &[u64]| {
        jobs.iter()
            .map(|j| format!("job {j}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    lines.push(format!(
        "child: summary: {} finished, {} cancelled, {} not started",
        finished.len(),
        cancelled.len(),
        jobs + 1 - next
    ));
    let never: Vec<u64> = (next..=jobs).collect();
    for (label, group) in [
        ("finished", &finished),
        ("cancelled", &cancelled),
        ("not started", &never),
    ] {
        if !group.is_empty() {
            lines.push(format!("child: {label}: {}", names(group)));
        }
    }
    lines.push("child 4242 exited with code 143".to_owned());
    lines
}

/// A supervisor of one worker that crashes at the given gaps (ms) under at most
/// `allowed` restarts in `period` ms, giving up by the sliding-window rule;
/// returns its lines and the crash times of the restarts when it gave up.
fn supervisor(allowed: usize, period: u64, gaps: &[u64]) -> (Vec<String>, Option<(u64, Vec<u64>)>) {
    let mut lines = vec![format!(
        "one-for-one, at most {allowed} restarts in {period} ms: started workers [1]"
    )];
    let mut restarts: Vec<u64> = Vec::new();
    let mut now = 0;
    for &gap in gaps {
        now += gap;
        lines.push(format!("worker 1 crashed at {now} ms: exit code 3"));
        let recent: Vec<u64> = restarts
            .iter()
            .copied()
            .filter(|&at| now - at <= period)
            .collect();
        if recent.len() >= allowed {
            lines.push(format!(
                "gave up at {now} ms: restart {} would be more than {allowed} in {period} ms; stopped workers []",
                restarts.len() + 1
            ));
            lines.push(format!(
                "one-for-one: gave up after {} restarts",
                restarts.len()
            ));
            return (lines, Some((now, recent)));
        }
        restarts.push(now);
        lines.push(format!("restart {}: restarted workers [1]", restarts.len()));
    }
    lines.push("worker 1 finished".to_owned());
    let s = if restarts.len() == 1 { "" } else { "s" };
    lines.push(format!(
        "one-for-one: {} restart{s}, every worker finished",
        restarts.len()
    ));
    (lines, None)
}

/// The base's other supervisors, which show both strategies and a give-up.
fn other_supervisors() -> Vec<String> {
    let mut keep = Vec::new();
    let mut inside = false;
    for line in BASE.lines() {
        if line.starts_with("== ") {
            inside = line == "== Supervisor ==";
            continue;
        }
        if inside {
            keep.push(line.to_owned());
        }
    }
    keep
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn outcomes_in_any_order_after_their_start_are_accepted(picks in prop::collection::vec(0_usize..8, 8)) {
        let body = values(&picks);
        prop_assert!(check(&with_section("Errors as values", &body)).is_ok(), "{body:#?}");
    }

    #[test]
    fn an_outcome_received_before_its_task_started_is_rejected(
        picks in prop::collection::vec(0_usize..8, 8),
        task in 1_u64..=4,
    ) {
        let mut body = values(&picks);
        let received = body.iter().position(|l| l.starts_with(&format!("received from task {task}:"))).unwrap();
        let line = body.remove(received);
        let started = body.iter().position(|l| l.starts_with(&format!("task {task} started"))).unwrap();
        body.insert(started, line);
        let rejection = check(&with_section("Errors as values", &body)).unwrap_err();
        prop_assert_eq!(rejection.rule, rules::ERROR_VALUES, "{:?}", rejection);
    }

    #[test]
    fn a_signal_at_any_moment_gives_an_accepted_round(
        jobs in 1_u64..8,
        threads in 1_usize..4,
        signal_at in 1_usize..20,
        steps in prop::collection::vec(any::<bool>(), 20),
    ) {
        let body = shutdown(jobs, threads, signal_at, &steps);
        prop_assert!(check(&with_section("Graceful shutdown", &body)).is_ok(), "{body:#?}");
    }

    #[test]
    fn a_job_started_after_the_signal_is_rejected(
        jobs in 2_u64..8,
        threads in 1_usize..4,
        signal_at in 1_usize..20,
        steps in prop::collection::vec(any::<bool>(), 20),
    ) {
        let mut body = shutdown(jobs, threads, signal_at, &steps);
        let received = body.iter().position(|l| l.contains(" received: ")).unwrap();
        body.insert(received + 1, format!("child: job {jobs} started"));
        let rejection = check(&with_section("Graceful shutdown", &body)).unwrap_err();
        prop_assert_eq!(rejection.rule, rules::SHUTDOWN_ORDER, "{:?}", rejection);
    }

    #[test]
    fn a_supervisor_that_keeps_the_intensity_is_accepted(
        allowed in 1_usize..5,
        period in 1000_u64..6000,
        gaps in prop::collection::vec(0_u64..3000, 1..12),
    ) {
        let (mine, _) = supervisor(allowed, period, &gaps);
        let body: Vec<String> = other_supervisors().into_iter().chain(mine).collect();
        prop_assert!(check(&with_section("Supervisor", &body)).is_ok(), "{body:#?}");
    }

    #[test]
    fn a_restart_past_the_intensity_is_rejected(
        allowed in 1_usize..5,
        period in 1000_u64..6000,
        gaps in prop::collection::vec(0_u64..3000, 1..12),
    ) {
        let (mut mine, gave_up) = supervisor(allowed, period, &gaps);
        let Some((now, recent)) = gave_up else {
            return Ok(());
        };
        // Not within a millisecond of the window's edge, where whole
        // milliseconds cannot tell in from out.
        prop_assume!(recent.iter().all(|&at| now - at + 1 < period));
        let restarts = mine.iter().filter(|l| l.starts_with("restart ")).count();
        mine.truncate(mine.len() - 2);
        mine.push(format!("restart {}: restarted workers [1]", restarts + 1));
        mine.push("worker 1 finished".to_owned());
        mine.push(format!("one-for-one: {} restarts, every worker finished", restarts + 1));
        let body: Vec<String> = other_supervisors().into_iter().chain(mine).collect();
        let rejection = check(&with_section("Supervisor", &body)).unwrap_err();
        prop_assert_eq!(rejection.rule, rules::SUPERVISOR_INTENSITY, "{:?}", rejection);
    }
}

/// How one attempt of a retried task ended, as the Retry section prints it.
#[derive(Debug, Clone, Copy)]
enum Attempt {
    Next { at: u64, wait: u64 },
    NoneLeft { at: u64 },
    PastDeadline { at: u64, wait: u64 },
}

impl Attempt {
    /// The same attempt, made at `at` ms instead.
    fn made_at(self, at: u64) -> Self {
        match self {
            Self::Next { wait, .. } => Self::Next { at, wait },
            Self::NoneLeft { .. } => Self::NoneLeft { at },
            Self::PastDeadline { wait, .. } => Self::PastDeadline { at, wait },
        }
    }
}

/// A retry policy's numbers: attempts, first wait, jitter %, deadline.
type Policy = (u64, u64, u64, u64);

/// The least and most a wait after attempt `k` may be, before the checker's
/// millisecond of tolerance either way.
fn bounds((_, first, jitter, _): Policy, k: u64) -> (u64, u64) {
    let nominal = first << (k - 1);
    let spread = nominal * jitter / 100;
    (nominal - spread, nominal + spread)
}

/// A task that fails until it gives up, each choice picking a wait at or just
/// inside the edges of what the policy allows, and a next attempt as early as
/// the rounding of milliseconds allows, or later.
fn hopeless(policy: Policy, picks: &[(u8, u8)]) -> Vec<Attempt> {
    let (attempts, _, _, deadline) = policy;
    let mut at = 0;
    let mut out = Vec::new();
    for k in 1..=attempts {
        let (wait_pick, gap_pick) = picks[(k as usize - 1) % picks.len()];
        if k == attempts {
            out.push(Attempt::NoneLeft { at });
            break;
        }
        let (low, high) = bounds(policy, k);
        let wait = [low.saturating_sub(1), low, high, high + 1][usize::from(wait_pick % 4)];
        let past = at + wait > deadline + 1 || (at + wait + 1 >= deadline && gap_pick % 2 == 0);
        if past {
            out.push(Attempt::PastDeadline { at, wait });
            break;
        }
        out.push(Attempt::Next { at, wait });
        at += [wait.saturating_sub(1), wait, wait + 3][usize::from(gap_pick % 3)];
    }
    out
}

/// The Retry section: the policy, a flaky task that succeeds on attempt 2, and
/// `attempts` of the hopeless one.
fn retry_section(policy: Policy, attempts: &[Attempt]) -> Vec<String> {
    let (most, first, jitter, deadline) = policy;
    let (low, _) = bounds(policy, 1);
    let mut lines = vec![
        format!(
            "policy: up to {most} attempts, first wait {first} ms, doubling, jitter ±{jitter} %, deadline {deadline} ms"
        ),
        format!("flaky: attempt 1 failed at 0 ms: refused; next in {low} ms"),
        format!("flaky: attempt 2 succeeded at {low} ms: 42"),
    ];
    for (k, attempt) in (1..).zip(attempts) {
        lines.push(match *attempt {
            Attempt::Next { at, wait } => {
                format!("hopeless: attempt {k} failed at {at} ms: refused; next in {wait} ms")
            }
            Attempt::NoneLeft { at } => format!(
                "hopeless: attempt {k} failed at {at} ms: refused; no attempts left: gave up"
            ),
            Attempt::PastDeadline { at, wait } => format!(
                "hopeless: attempt {k} failed at {at} ms: refused; a wait of {wait} ms would pass the {deadline} ms deadline: gave up"
            ),
        });
    }
    lines
}

fn policies() -> impl Strategy<Value = Policy> {
    (2_u64..=8, 5_u64..=50, 0_u64..=100, 120_u64..=3000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn retries_at_the_edges_of_the_policy_are_accepted(
        policy in policies(),
        picks in prop::collection::vec(any::<(u8, u8)>(), 8),
    ) {
        let body = retry_section(policy, &hopeless(policy, &picks));
        prop_assert!(check(&with_section("Retry", &body)).is_ok(), "{body:#?}");
    }

    #[test]
    fn retries_just_past_the_edges_are_rejected(
        policy in policies(),
        picks in prop::collection::vec(any::<(u8, u8)>(), 8),
        which in any::<prop::sample::Index>(),
        how in 0_u8..5,
    ) {
        let mut attempts = hopeless(policy, &picks);
        let at = which.index(attempts.len());
        let k = at as u64 + 1;
        let (low, high) = bounds(policy, k);
        let (most, _, _, deadline) = policy;
        let changed = match (how, attempts[at]) {
            // A wait two past the most the jitter allows, or two short of the least.
            (0, Attempt::Next { at: t, .. }) => Attempt::Next { at: t, wait: high + 2 },
            (1, Attempt::PastDeadline { at: t, .. }) if low >= 2 => Attempt::PastDeadline { at: t, wait: low - 2 },
            // Giving up with attempts left, or at the deadline with time to spare.
            (2, Attempt::Next { at: t, .. } | Attempt::PastDeadline { at: t, .. }) if k < most => Attempt::NoneLeft { at: t },
            (3, Attempt::PastDeadline { .. }) if low + 2 <= deadline => Attempt::PastDeadline { at: deadline - low - 2, wait: low },
            // A wait that runs two past the deadline, announced as the next.
            (4, Attempt::PastDeadline { at: t, wait }) if t + wait >= deadline + 2 => Attempt::Next { at: t, wait },
            _ => return Ok(()),
        };
        attempts[at] = changed;
        // The next attempt may not come before the changed wait is over.
        if let Attempt::Next { at: t, wait } = changed
            && let Some(next) = attempts.get_mut(at + 1)
        {
            *next = next.made_at(t + wait + 5);
        }
        let body = retry_section(policy, &attempts);
        let rejection = check(&with_section("Retry", &body)).unwrap_err();
        prop_assert_eq!(rejection.rule, rules::RETRY_SCHEDULE, "{:?}\n{:#?}", rejection, body);
    }

    #[test]
    fn an_attempt_before_its_wait_is_over_is_rejected(
        policy in policies(),
        picks in prop::collection::vec(any::<(u8, u8)>(), 8),
    ) {
        let mut attempts = hopeless(policy, &picks);
        let Some(at) = (0..attempts.len().saturating_sub(1)).find(|&i| {
            matches!(attempts[i], Attempt::Next { wait, .. } if wait >= 2)
        }) else {
            return Ok(());
        };
        let Attempt::Next { at: t, wait } = attempts[at] else { unreachable!() };
        attempts[at + 1] = attempts[at + 1].made_at(t + wait - 2);
        let body = retry_section(policy, &attempts);
        let rejection = check(&with_section("Retry", &body)).unwrap_err();
        prop_assert_eq!(rejection.rule, rules::RETRY_SCHEDULE, "{:?}\n{:#?}", rejection, body);
    }
}
