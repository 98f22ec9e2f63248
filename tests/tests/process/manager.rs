//! sync-kit's Manager across real processes: a list that several processes append
//! to, a dict, and the faults: a client killed in the middle of its calls, the
//! server killed, the owner dropping the manager, and a program that is no server.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Child;
use std::time::{Duration, Instant};

use sync_kit::process::{ListProxy, Manager, ManagerError};
use tests_integration::children::{self, DEADLINE, Passed, finish, kill, lines, next, pass};

const PROGRAM: &str = env!("CARGO_BIN_EXE_share-child");

fn child(role: &[&str], shares: &[Passed<'_>]) -> Child {
    children::start(Path::new(PROGRAM), role, shares)
}

fn manager() -> Manager {
    Manager::start_with(PROGRAM).expect("the server starts")
}

#[test]
fn appends_from_four_processes_all_land_once() {
    let manager = manager();
    let list: ListProxy<String> = manager.list().expect("a list");
    list.set_timeout(Some(DEADLINE)).expect("timeout");
    let each = 200;
    let appenders: Vec<Child> = (1..=4)
        .map(|id| {
            child(
                &["append", &id.to_string(), &each.to_string()],
                &[("list", &pass(&list))],
            )
        })
        .collect();
    for appender in appenders {
        assert!(finish(appender).success());
    }
    let items = list.to_vec().expect("read");
    assert_eq!(items.len(), 4 * each);
    let distinct: BTreeSet<&String> = items.iter().collect();
    assert_eq!(distinct.len(), items.len(), "no item twice");
    // Each appender's items are in its own order.
    for id in 1..=4 {
        let mine: Vec<u64> = items
            .iter()
            .filter_map(|item| item.strip_prefix(&format!("{id}:"))?.parse().ok())
            .collect();
        assert_eq!(mine, (0..each as u64).collect::<Vec<_>>());
    }
}

#[test]
fn a_list_and_a_dict_behave_like_python_s() {
    let manager = manager();
    let list = manager.list::<u32>().expect("a list");
    assert_eq!(list.append(&1).expect("append"), 1);
    assert_eq!(list.append(&2).expect("append"), 2);
    assert_eq!(list.get(1).expect("get"), Some(2));
    assert_eq!(list.get(2).expect("get"), None);
    assert_eq!(list.set(0, &7).expect("set"), 1);
    assert!(matches!(list.set(5, &7), Err(ManagerError::Refused(_))));
    assert_eq!(list.pop().expect("pop"), Some(2));
    assert_eq!(list.to_vec().expect("read"), [7]);
    assert_eq!(list.len().expect("len"), 1);

    let dict = manager.dict::<String, u64>().expect("a dict");
    assert_eq!(dict.insert(&"b".into(), &2).expect("insert"), None);
    assert_eq!(dict.insert(&"a".into(), &1).expect("insert"), None);
    assert_eq!(dict.insert(&"a".into(), &3).expect("insert"), Some(1));
    assert_eq!(dict.get(&"a".into()).expect("get"), Some(3));
    assert_eq!(dict.len().expect("len"), 2);
    assert_eq!(dict.remove(&"b".into()).expect("remove"), Some(2));
    assert_eq!(dict.items().expect("items"), [("a".to_owned(), 3)]);
}

#[test]
fn a_client_killed_mid_call_changes_nothing_it_did_not_finish() {
    let manager = manager();
    let list: ListProxy<String> = manager.list().expect("a list");
    list.set_timeout(Some(DEADLINE)).expect("timeout");
    for round in 0..5_u64 {
        let mut appender = child(&["append-forever"], &[("list", &pass(&list))]);
        assert_eq!(next(&lines(&mut appender), "appending"), "appending");
        std::thread::sleep(Duration::from_millis(10 + 13 * round));
        kill(appender);
    }
    // The server still answers, and every item there is whole. (A request that a
    // client sent whole before it died is still applied, perhaps after this one,
    // so the list's length is not known here.)
    list.append(&"after".into()).expect("the server answers");
    let items = list.to_vec().expect("the server answers");
    assert!(
        items.len() > 1,
        "the killed clients appended before they died"
    );
    for item in items.iter().filter(|item| *item != "after") {
        let (_, tail) = item.split_once(':').expect("an appended item");
        assert_eq!(tail.len(), 100_000, "a torn item");
    }
    assert_eq!(items.iter().filter(|item| *item == "after").count(), 1);
}

#[test]
fn the_server_killed_is_an_error_for_every_proxy_not_a_hang() {
    let manager = manager();
    let list = manager.list::<u32>().expect("a list");
    list.append(&1).expect("append");
    let pid = rustix::process::Pid::from_raw(manager.pid() as i32).expect("a pid");
    rustix::process::kill_process(pid, rustix::process::Signal::KILL).expect("SIGKILL");
    let started = Instant::now();
    let gone = list.append(&2);
    assert!(matches!(gone, Err(ManagerError::ServerGone(_))), "{gone:?}");
    assert!(started.elapsed() < DEADLINE);
    assert!(matches!(
        manager.list::<u32>(),
        Err(ManagerError::ServerGone(_))
    ));
}

#[test]
fn dropping_the_manager_ends_its_server() {
    let manager = manager();
    let pid = manager.pid();
    drop(manager);
    assert!(
        !Path::new(&format!("/proc/{pid}")).exists(),
        "the server {pid} was reaped"
    );
}

#[test]
fn a_program_that_is_no_server_is_an_error_naming_init() {
    let error = Manager::start_with("/bin/true").expect_err("true serves nothing");
    assert!(
        error.to_string().contains("sync_kit::process::init"),
        "{error}"
    );
}
