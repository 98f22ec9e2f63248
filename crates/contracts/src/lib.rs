//! contracts: the exercises' output contracts, their checkers, and the rules that turn
//! a run's outcome into a verdict. It runs nothing and does no I/O: running is the
//! `runner` crate's, and this crate takes only that crate's `outcome` data.
//!
//! A *contract* is what a grader accepts from a program answering one exercise. Its
//! *checker* reads a captured [`Transcript`] and gives [`Accepted`] or the first
//! broken rule as a [`Rejection`] (rule id, line number, one-line reason). Checkers
//! understand nondeterminism: they replay the transcript against a model of what the
//! program may legally do instead of comparing it with one expected output.
//!
//! - [`Exercise`] names the eight exercises and builds each one's checker.
//! - [`ex01`] holds the threads-or-processes measurements' contract, [`ex02`] the
//!   process-pool demonstration's, [`ex03`] the
//!   primes in ranges', [`ex04`] the locked list's, [`ex05`] the sharing-data sections', [`ex06`] the concurrent-errors sections',
//!   [`ex07`] the factorial thread pool's, [`ex08`] the pool timings'.
//! - [`facts`] holds what reading facts from any layout shares: tokens, noise,
//!   interleaved lines, and `--strict` exact lines.
//! - [`runs`] registers how each exercise is run for checking.

pub mod concurrency;
mod contract;
pub mod ex01;
pub mod ex02;
pub mod ex03;
pub mod ex04;
pub mod ex05;
pub mod ex06;
pub mod ex07;
pub mod ex08;
mod exercise;
pub mod exits;
pub mod facts;
pub mod junit;
mod pylist;
mod pyvalue;
pub mod reported;
pub mod rules;
pub mod runs;
mod sections;
mod transcript;
mod verdict;
pub mod work;

pub use contract::{Contract, ExpectKey, Expectations, RequestError};
pub use exercise::Exercise;
pub use transcript::{Line, Transcript};
pub use verdict::{
    Accepted, BUFFER_NOTE, Checker, Judgement, Rejection, Rule, Verdict, judge, signal_name,
};
