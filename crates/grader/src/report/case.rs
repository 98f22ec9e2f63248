//! A case of a report: one command's runs added up to one verdict, the run that
//! decides it, and its failures tallied by the condition each run had.

use contracts::Verdict;
use serde::{Deserialize, Serialize};

use super::RunReport;
use crate::conditions::{RunCondition, bound};

/// One command run `repeat` times.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Case {
    /// `ex04`, or `ex04 contended` for a registered variant.
    pub name: String,
    /// The command, word by word.
    pub command: Vec<String>,
    /// What its runs add up to.
    pub verdict: Verdict,
    /// How many of the runs passed.
    pub passed: usize,
    /// Each run, in order.
    pub runs: Vec<RunReport>,
    /// The deciding failed run's whole output, kept for the report (none on a pass).
    pub failing: Option<Failing>,
    /// The expectations its runs were checked with (a workspace's registered runs
    /// each bring their own, under the ones given).
    pub expectations: contracts::Expectations,
    /// How many runs went under each condition, and how many of those failed.
    #[serde(default)]
    pub by_condition: Vec<Tally>,
    /// The program a bare first word named (`python3` → its interpreter and
    /// version), where it names one on `PATH`.
    #[serde(default)]
    pub program: Option<crate::environment::ProgramReport>,
    /// Runs not made: a run that timed out ends the grade, since every further
    /// run would cost the whole deadline and none could make it pass.
    #[serde(default)]
    pub not_run: usize,
}

/// The runs of a case under one condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// The condition.
    pub condition: RunCondition,
    /// Runs under it.
    pub runs: usize,
    /// Of those, the runs that did not pass.
    pub failed: usize,
}

/// A failed run's output, whole (up to the output cap).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Failing {
    /// Which run, from 1.
    pub run: usize,
    /// Its stdout, read as UTF-8 with U+FFFD for bad bytes.
    pub stdout: String,
    /// Its stderr, likewise.
    pub stderr: String,
}

/// What several verdicts on one command add up to: `pass` when all passed, `flaky`
/// when some did, and otherwise the verdict most runs got (the earliest on a tie).
pub fn aggregate(verdicts: &[Verdict]) -> Verdict {
    let passed = verdicts.iter().filter(|&&v| v == Verdict::Pass).count();
    if passed == verdicts.len() {
        return Verdict::Pass;
    }
    if passed > 0 {
        return Verdict::Flaky;
    }
    let count = |verdict: Verdict| verdicts.iter().filter(|&&v| v == verdict).count();
    let mut most = verdicts[0];
    for &verdict in verdicts {
        if count(verdict) > count(most) {
            most = verdict;
        }
    }
    most
}

impl Case {
    /// The case of `runs` of `command`, its verdict added up, the deciding failed
    /// run's output kept from `outputs` (each run's stdout and stderr).
    pub fn new(
        name: String,
        command: Vec<String>,
        runs: Vec<RunReport>,
        outputs: Vec<(String, String)>,
    ) -> Self {
        let verdicts: Vec<Verdict> = runs.iter().map(|r| r.verdict).collect();
        let verdict = aggregate(&verdicts);
        let deciding = deciding_run(verdict, &verdicts);
        let failing = (verdict != Verdict::Pass).then(|| {
            let (stdout, stderr) = outputs.get(deciding).cloned().unwrap_or_default();
            Failing {
                run: deciding + 1,
                stdout,
                stderr,
            }
        });
        let by_condition = tally(&runs);
        Self {
            name,
            command,
            verdict,
            passed: verdicts.iter().filter(|&&v| v == Verdict::Pass).count(),
            runs,
            failing,
            expectations: contracts::Expectations::new(),
            by_condition,
            program: None,
            not_run: 0,
        }
    }

    /// This case, stating the expectations its runs were checked with.
    pub fn checked_with(self, expectations: contracts::Expectations) -> Self {
        Self {
            expectations,
            ..self
        }
    }

    /// The run that explains the case's verdict: the first to get it, or for
    /// `flaky` the first that failed.
    fn deciding(&self) -> &RunReport {
        let verdicts: Vec<Verdict> = self.runs.iter().map(|r| r.verdict).collect();
        &self.runs[deciding_run(self.verdict, &verdicts)]
    }

    /// `passed 2 of 3 runs; run 2: line 4: …`, or for one run its first line.
    pub(super) fn summary(&self) -> String {
        let deciding = self.deciding();
        let why = deciding.detail.lines().next().unwrap_or("");
        match self.runs.len() {
            1 if self.not_run > 0 => {
                let why = why.split("; its last lines").next().unwrap_or(why);
                format!("{why}; the {} other runs not made after it", self.not_run)
            }
            1 => why.to_owned(),
            // Below 4 runs, the rule of three bounds nothing below 100 %.
            n if self.verdict == Verdict::Pass && n < 4 => format!("passed {n} of {n} runs; {why}"),
            n if self.verdict == Verdict::Pass => {
                format!("passed {n} of {n} runs; {why}; {}", bound(n))
            }
            n => {
                let which = self.failing.as_ref().map_or(1, |f| f.run);
                let tallies = match self.by_condition.len() {
                    0 | 1 => String::new(),
                    _ => {
                        let each: Vec<String> = self
                            .by_condition
                            .iter()
                            .map(|t| format!("{} {}/{}", t.condition.name(), t.failed, t.runs))
                            .collect();
                        format!(" (failed: {})", each.join(", "))
                    }
                };
                let stopped = match self.not_run {
                    0 => String::new(),
                    k => format!(", {k} more not run after a timeout"),
                };
                format!(
                    "passed {} of {n} runs{stopped}{tallies}; run {which}: {why}",
                    self.passed
                )
            }
        }
    }
}

/// The runs under each condition, in the order the conditions first came.
fn tally(runs: &[RunReport]) -> Vec<Tally> {
    let mut tallies: Vec<Tally> = Vec::new();
    for run in runs {
        let Some(condition) = run.condition else {
            continue;
        };
        let failed = usize::from(run.verdict != Verdict::Pass);
        match tallies.iter_mut().find(|t| t.condition == condition) {
            Some(tally) => {
                tally.runs += 1;
                tally.failed += failed;
            }
            None => tallies.push(Tally {
                condition,
                runs: 1,
                failed,
            }),
        }
    }
    tallies
}

/// The index of the run that explains `verdict` among `verdicts`.
fn deciding_run(verdict: Verdict, verdicts: &[Verdict]) -> usize {
    let wanted = |v: &Verdict| match verdict {
        Verdict::Flaky => *v != Verdict::Pass,
        _ => *v == verdict,
    };
    verdicts.iter().position(wanted).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    use Verdict::*;

    #[test]
    fn verdicts_add_up_to_pass_flaky_or_the_most_common_failure() {
        assert_eq!(aggregate(&[Pass]), Pass);
        assert_eq!(aggregate(&[Pass, Pass, Pass]), Pass);
        assert_eq!(aggregate(&[Pass, WrongOutput, Pass]), Flaky);
        assert_eq!(aggregate(&[Timeout, Pass]), Flaky);
        assert_eq!(aggregate(&[Crash]), Crash);
        assert_eq!(aggregate(&[Crash, Timeout, Timeout]), Timeout);
        assert_eq!(aggregate(&[WrongOutput, Crash]), WrongOutput);
    }

    #[test]
    fn the_deciding_run_of_a_flaky_case_is_its_first_failure() {
        assert_eq!(deciding_run(Flaky, &[Pass, Pass, Crash, WrongOutput]), 2);
        assert_eq!(deciding_run(Timeout, &[Crash, Timeout, Timeout]), 1);
        assert_eq!(deciding_run(Pass, &[Pass, Pass]), 0);
    }

    fn run_under(condition: RunCondition, verdict: Verdict) -> RunReport {
        let error = std::io::Error::other("x");
        RunReport {
            verdict,
            detail: format!("{verdict:?}"),
            ..RunReport::not_started(&error)
        }
        .under(condition)
    }

    #[test]
    fn failures_are_tallied_by_condition_and_a_clean_sweep_states_its_bound() {
        use crate::conditions::RunCondition::{Free, OneCore};
        let runs = vec![
            run_under(Free, Pass),
            run_under(OneCore, WrongOutput),
            run_under(Free, Pass),
            run_under(OneCore, Pass),
        ];
        let outputs = vec![Default::default(); 4];
        let case = Case::new("ex04".into(), vec![], runs, outputs);
        assert_eq!(
            case.by_condition,
            [
                Tally {
                    condition: Free,
                    runs: 2,
                    failed: 0
                },
                Tally {
                    condition: OneCore,
                    runs: 2,
                    failed: 1
                },
            ]
        );
        assert_eq!(
            case.summary(),
            "passed 3 of 4 runs (failed: free 0/2, one-core 1/2); run 2: WrongOutput"
        );
        let clean = |n: usize| {
            let runs = (0..n).map(|_| run_under(Free, Pass)).collect();
            Case::new("ex04".into(), vec![], runs, vec![Default::default(); n]).summary()
        };
        assert_eq!(clean(3), "passed 3 of 3 runs; Pass");
        assert_eq!(
            clean(30),
            "passed 30 of 30 runs; Pass; 0 failures in 30 runs: a failure rate above 10 % is unlikely (95 %)"
        );
    }
}
