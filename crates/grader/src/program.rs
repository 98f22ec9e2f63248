//! A command's words made ready to run from a scratch folder: the program found as
//! `exec` finds it and never rewritten, later words naming files made absolute.
//!
//! The program word is the teacher's (`python3`, `java`, `./ex07`): one that
//! cannot be found or run is the teacher's mistake, a usage error before anything
//! runs, with the nearest name on `PATH` when one is close. A folder that happens
//! to be named like the program (`python3/`, `java/`) is never taken for it.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::UsageError;

/// Where `exec` looks for a program when `PATH` is not set (glibc's default).
pub(crate) const DEFAULT_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

/// `command` ready to run in a scratch folder: the program checked and, when it
/// names a path (it holds a `/`), made absolute against `base`; every later word
/// that names an existing file or folder relative to `base` made absolute
/// (`python3 alice/ex04.py` still finds `alice/ex04.py`).
pub(crate) fn prepare(base: &Path, command: &[OsString]) -> Result<Vec<OsString>, UsageError> {
    let Some((program, arguments)) = command.split_first() else {
        return Err(UsageError("no command to grade".into()));
    };
    let mut prepared = vec![find(base, program)?];
    prepared.extend(absolute_arguments(base, arguments));
    Ok(prepared)
}

/// The program word as the run needs it: a path (a word with a `/`) made absolute
/// against `base`, a bare name kept as it is once `PATH` is known to hold it.
pub(crate) fn find(base: &Path, program: &OsStr) -> Result<OsString, UsageError> {
    let path = std::env::var_os("PATH").unwrap_or_else(|| DEFAULT_PATH.into());
    find_on(&path, base, program)
}

/// [`find`] with `path` as `PATH`.
fn find_on(path: &OsStr, base: &Path, program: &OsStr) -> Result<OsString, UsageError> {
    let shown = program.to_string_lossy();
    if program.is_empty() {
        return Err(UsageError("the command's program is empty".into()));
    }
    if program.as_bytes().contains(&b'/') {
        let path = base.join(program);
        return match runnable(&path) {
            Runnable::Yes => Ok(path.into_os_string()),
            Runnable::Missing => Err(UsageError(format!(
                "`{shown}`: no such file ({})",
                path.display()
            ))),
            Runnable::NotAProgram(why) => Err(UsageError(format!("`{shown}` cannot run: {why}"))),
        };
    }
    let dirs: Vec<PathBuf> = std::env::split_paths(path)
        .map(|dir| match dir.as_os_str().is_empty() {
            // An empty entry is the working directory, as for `exec`.
            true => base.to_path_buf(),
            false => base.join(dir),
        })
        .collect();
    if dirs
        .iter()
        .any(|dir| runnable(&dir.join(program)) == Runnable::Yes)
    {
        return Ok(program.to_owned());
    }
    let hint = nearest(&shown, &programs_in(&dirs))
        .map(|near| format!(" (did you mean `{near}`?)"))
        .unwrap_or_default();
    Err(UsageError(format!(
        "`{shown}` is not a program on PATH{hint}"
    )))
}

/// Every word naming an existing file or folder relative to `base`, made absolute.
pub(crate) fn absolute_arguments(base: &Path, words: &[OsString]) -> Vec<OsString> {
    words
        .iter()
        .map(|word| {
            let path = Path::new(word);
            let resolved = base.join(path);
            match path.is_relative() && !word.is_empty() && resolved.exists() {
                true => resolved.into_os_string(),
                false => word.clone(),
            }
        })
        .collect()
}

/// Whether `exec` could start the file at `path`.
#[derive(Debug, PartialEq, Eq)]
enum Runnable {
    Yes,
    Missing,
    NotAProgram(&'static str),
}

fn runnable(path: &Path) -> Runnable {
    match std::fs::metadata(path) {
        Err(_) => Runnable::Missing,
        Ok(meta) if meta.is_dir() => Runnable::NotAProgram("it is a folder"),
        Ok(meta) if meta.permissions().mode() & 0o111 == 0 => {
            Runnable::NotAProgram("it is not executable (chmod +x, or name its interpreter)")
        }
        Ok(_) => Runnable::Yes,
    }
}

/// The names of the programs in `dirs`.
fn programs_in(dirs: &[PathBuf]) -> Vec<String> {
    let mut names: Vec<String> = dirs
        .iter()
        .filter_map(|dir| std::fs::read_dir(dir).ok())
        .flatten()
        .flatten()
        .filter(|entry| runnable(&entry.path()) == Runnable::Yes)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The name in `names` nearest to `typed` (a swap, a missing or an extra letter
/// or two), if one is near enough to be what was meant.
fn nearest<'a>(typed: &str, names: &'a [String]) -> Option<&'a str> {
    // Two edits on a name of four letters or fewer is another name altogether.
    let most = if typed.chars().count() <= 4 { 1 } else { 2 };
    // Among names as near, a swap of letters (the same letters) first, then the
    // length nearest to what was typed.
    let letters = |word: &str| {
        let mut letters: Vec<char> = word.chars().collect();
        letters.sort_unstable();
        letters
    };
    let typed_letters = letters(typed);
    names
        .iter()
        .map(|name| (strsim::damerau_levenshtein(typed, name), name))
        .filter(|&(distance, _)| distance <= most)
        .min_by_key(|&(distance, name)| {
            (
                distance,
                letters(name) != typed_letters,
                name.len().abs_diff(typed.len()),
            )
        })
        .map(|(_, name)| name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    /// A folder of its own under the system's temporary folder, removed on drop.
    struct Folder(PathBuf);

    impl Folder {
        fn new(name: &str) -> Self {
            let path =
                std::env::temp_dir().join(format!("grader-program-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            Self(path)
        }
    }

    impl Drop for Folder {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn a_folder_named_like_the_program_is_not_the_program() {
        let here = Folder::new("shadow");
        std::fs::create_dir(here.0.join("sh")).unwrap();
        std::fs::write(here.0.join("ex04.py"), "").unwrap();
        let prepared = prepare(&here.0, &words(&["sh", "ex04.py", "sh", "--n"])).unwrap();
        assert_eq!(prepared[0], "sh");
        assert_eq!(prepared[1], here.0.join("ex04.py").into_os_string());
        // A later word that names the folder is a path like any other.
        assert_eq!(prepared[2], here.0.join("sh").into_os_string());
        assert_eq!(prepared[3], "--n");
    }

    #[test]
    fn a_path_is_found_from_the_working_folder_and_made_absolute() {
        let here = Folder::new("path");
        let program = here.0.join("ex07");
        std::fs::write(&program, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(
            prepare(&here.0, &words(&["./ex07"])).unwrap()[0],
            here.0.join("./ex07").into_os_string()
        );
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = prepare(&here.0, &words(&["./ex07"])).unwrap_err();
        assert!(refused.0.contains("not executable"), "{refused}");
        let missing = prepare(&here.0, &words(&["./ex08"])).unwrap_err();
        assert!(missing.0.contains("no such file"), "{missing}");
        let folder = prepare(&here.0, &words(&["/tmp"])).unwrap_err();
        assert!(folder.0.contains("folder"), "{folder}");
    }

    #[test]
    fn a_misspelt_program_is_refused_with_the_name_meant() {
        let bin = Folder::new("bin");
        for name in ["python3", "java", "as"] {
            let program = bin.0.join(name);
            std::fs::write(&program, "").unwrap();
            std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let path = bin.0.as_os_str();
        let here = Path::new("/");
        let found = find_on(path, here, OsStr::new("python3")).unwrap();
        assert_eq!(found, "python3", "a program on PATH is kept as it is");
        let refused = find_on(path, here, OsStr::new("pyhton3")).unwrap_err();
        assert_eq!(
            refused.0,
            "`pyhton3` is not a program on PATH (did you mean `python3`?)"
        );
        let far = find_on(path, here, OsStr::new("ruby")).unwrap_err();
        assert_eq!(far.0, "`ruby` is not a program on PATH");
        assert!(prepare(here, &[]).is_err());
        assert!(prepare(here, &words(&[""])).is_err());
    }

    #[test]
    fn the_nearest_name_is_one_or_two_edits_away() {
        let names = words(&["java", "javac", "python3", "python3.11"])
            .into_iter()
            .map(|n| n.into_string().unwrap())
            .collect::<Vec<_>>();
        assert_eq!(nearest("pyhton3", &names), Some("python3"));
        assert_eq!(nearest("pytohn", &names), Some("python3"));
        assert_eq!(nearest("jav", &names), Some("java"));
        assert_eq!(nearest("ruby", &names), None);
        assert_eq!(nearest("gcc", &names), None);
        let short = words(&["as", "sh"])
            .into_iter()
            .map(|n| n.into_string().unwrap())
            .collect::<Vec<_>>();
        assert_eq!(nearest("hs", &short), Some("sh"), "a swap first");
    }
}
