//! Why a user who is not root gets no namespaces, and what would give them:
//! the kernel settings that forbid unprivileged user namespaces, read from
//! `/proc/sys`, each with its fix.

/// The settings that forbid unprivileged user namespaces, as `(file under
/// /proc/sys, the value that forbids them, what it is and the fix)`.
const FORBIDDING: [(&str, &str, &str); 3] = [
    (
        "kernel/apparmor_restrict_unprivileged_userns",
        "1",
        "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1, as on Ubuntu 23.10 and later, GitHub's ubuntu-24.04 runners among them): run the grader as root (`sudo`), or allow them with `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`",
    ),
    (
        "kernel/unprivileged_userns_clone",
        "0",
        "unprivileged user namespaces are switched off (kernel.unprivileged_userns_clone = 0): run the grader as root, or `sudo sysctl -w kernel.unprivileged_userns_clone=1`",
    ),
    (
        "user/max_user_namespaces",
        "0",
        "user namespaces are switched off (user.max_user_namespaces = 0): run the grader as root, or `sudo sysctl -w user.max_user_namespaces=10000`",
    ),
];

/// What forbids this user namespaces here, and the fix; `None` for root (who
/// needs no user namespace) or where no setting forbids them.
pub(super) fn hint() -> Option<String> {
    if rustix::process::geteuid().is_root() {
        return None;
    }
    hint_from(|file| std::fs::read_to_string(format!("/proc/sys/{file}")).ok())
}

/// [`hint`] with `read` giving a `/proc/sys` file's text.
fn hint_from(read: impl Fn(&str) -> Option<String>) -> Option<String> {
    let reasons: Vec<&str> = FORBIDDING
        .iter()
        .filter(|(file, forbids, _)| read(file).is_some_and(|value| value.trim() == *forbids))
        .map(|(_, _, why)| *why)
        .collect();
    (!reasons.is_empty()).then(|| reasons.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_setting_that_forbids_user_namespaces_is_named_with_its_fix() {
        let ubuntu = hint_from(|file| {
            (file == "kernel/apparmor_restrict_unprivileged_userns").then(|| "1\n".to_owned())
        })
        .unwrap();
        assert!(ubuntu.starts_with("AppArmor restricts"), "{ubuntu}");
        assert!(ubuntu.contains("sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"));
        let debian = hint_from(|file| {
            (file == "kernel/unprivileged_userns_clone").then(|| "0\n".to_owned())
        })
        .unwrap();
        assert!(debian.contains("unprivileged_userns_clone=1"), "{debian}");
        // Allowed, or not there at all: nothing to say.
        let allowed = |file: &str| {
            let value = match file {
                "kernel/apparmor_restrict_unprivileged_userns" => "0\n",
                "kernel/unprivileged_userns_clone" => "1\n",
                _ => "96370\n",
            };
            Some(value.to_owned())
        };
        assert_eq!(hint_from(allowed), None);
        assert_eq!(hint_from(|_| None), None);
    }
}
