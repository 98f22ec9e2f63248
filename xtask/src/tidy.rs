//! Tidy checks (placeholder).
