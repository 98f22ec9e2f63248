//! The grader's self-test: one grade at a time and a whole class, in parts and
//! merged, the conditions its runs go round, the evidence of concurrency it
//! counts, hostile programs, and the subreaper that contains every run.
//!
//! One test binary for the subject, so that the workspace is linked once for all
//! of it.

mod class_parts;
mod conditions;
mod containment;
mod evidence;
mod grade;
mod grade_class;
mod hostile;
mod interrupted;
mod notebook;
mod platforms;
mod races;
