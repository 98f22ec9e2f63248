//! Tidy tests: the project's conventions, checked by `cargo test` (arriving with the docs).
