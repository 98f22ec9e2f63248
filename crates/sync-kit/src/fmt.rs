//! Display adapters that print Rust values the way the Python course prints them.
//!
//! The exercises' output contracts (see `docs/exercises/`) follow the course's sample
//! outputs, which show lists in Python's `repr` form: `[]`, `[1]`, `[1, 2]`.

use std::fmt;

/// Shows a sequence as Python prints a list of its items: `[]`, `[0]`, `[0, 1, 2]`.
///
/// ```
/// use sync_kit::fmt::PyList;
///
/// assert_eq!(PyList(&[1, 4, 9]).to_string(), "[1, 4, 9]");
/// assert_eq!(PyList(Vec::<u8>::new()).to_string(), "[]");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PyList<I>(pub I);

impl<I> fmt::Display for PyList<I>
where
    I: IntoIterator + Clone,
    I::Item: fmt::Display,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, item) in self.0.clone().into_iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{item}")?;
        }
        f.write_str("]")
    }
}
