//! Helpers for the workspace integration tests: finding the binaries they drive.
//!
//! Cargo hands an integration test only the binaries of its own package, and this
//! crate tests other packages' binaries, so [`binary`] asks cargo to build the one
//! wanted (a no-op when it is fresh) and reads its path from cargo's messages.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use test_kit::cargo::{Profile, build_binaries};

/// The path of the binary of `package` (its binary has the package's name), built
/// in the dev profile the first time this test process asks for it.
///
/// # Panics
///
/// When the package does not build: the test cannot run without it.
pub fn binary(package: &str) -> PathBuf {
    static BUILT: Mutex<BTreeMap<String, PathBuf>> = Mutex::new(BTreeMap::new());
    let mut built = BUILT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(path) = built.get(package) {
        return path.clone();
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits inside the workspace");
    let binaries = build_binaries(root, &[package], Profile::Debug)
        .unwrap_or_else(|e| panic!("building {package}: {e}"));
    built.extend(binaries);
    built[package].clone()
}
