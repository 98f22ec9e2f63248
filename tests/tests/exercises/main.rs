//! The exercise binaries as a student runs them, one module per exercise, judged
//! by their contracts; `cargo xtask check` and `run-all` as a user drives them.
//!
//! One test binary for the subject, so that the workspace is linked once for all
//! of it.

mod ex01;
mod ex02;
mod ex03;
mod ex04;
mod ex05;
mod ex06;
mod ex07;
mod ex08;
mod run_all;
mod xtask_check;
