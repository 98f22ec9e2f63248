//! What an answer to each question calls: groups of names, of which an answer's
//! code holds one each. The more groups a code cell meets, the likelier it is the
//! answer; a cell that meets too few is no answer at all.

/// Question n's groups (n from 1), and how many of them an answer meets at least.
const SIGNS: &[(&[&[&str]], usize)] = &[
    (
        &[&["Thread(", "threading"], &["Process(", "multiprocessing"]],
        2,
    ),
    (
        &[
            &["Pool(", "ProcessPoolExecutor"],
            &[".map(", ".submit(", "apply_async"],
        ],
        2,
    ),
    (
        &[
            &["multiprocessing", "Process(", "ProcessPoolExecutor"],
            &[".start()", "Pool(", "Executor("],
        ],
        2,
    ),
    (
        &[
            &["threading", "Thread("],
            &["Lock(", "RLock(", "Condition(", "Semaphore("],
            &[".append(", ".add(", ".insert("],
            &[".remove(", ".pop("],
        ],
        3,
    ),
    (
        &[
            &["Queue(", "Value(", "Array(", "Manager(", "Pipe(", "Lock("],
            &["Thread(", "Process("],
        ],
        2,
    ),
    (
        &[&["except"], &["Thread", "Process", "Executor", "Pool"]],
        2,
    ),
    (
        &[
            &["factorial"],
            &["ThreadPoolExecutor", "ThreadPool", "Thread("],
        ],
        2,
    ),
    (
        &[
            &["Pool(", "ProcessPoolExecutor"],
            &[
                "square", "**2", "** 2", "x*x", "x * x", "n*n", "n * n", "pow(",
            ],
            &["time.time", "perf_counter", "time()", "timeit", "monotonic"],
        ],
        2,
    ),
];

/// How many of question `n`'s groups `code` meets, and whether that is enough
/// for an answer.
pub(crate) fn score(n: u8, code: &str) -> (usize, bool) {
    let Some((groups, least)) = SIGNS.get(usize::from(n).wrapping_sub(1)) else {
        return (0, false);
    };
    let met = groups
        .iter()
        .filter(|group| group.iter().any(|name| code.contains(name)))
        .count();
    (met, met >= *least)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_meets_its_questions_signs_and_another_does_not() {
        let q7 = "from concurrent.futures import ThreadPoolExecutor\nimport math\nwith ThreadPoolExecutor() as ex:\n    print(list(ex.map(math.factorial, range(1, 11))))";
        assert_eq!(score(7, q7), (2, true));
        assert!(!score(8, q7).1);
        let q8 = "from multiprocessing import Pool\nimport time\ndef square(x): return x * x\nstart = time.time()\nwith Pool(2) as p: p.map(square, range(1, 11))";
        assert_eq!(score(8, q8), (3, true));
        assert!(!score(7, q8).1);
        assert_eq!(score(9, q8), (0, false));
    }
}
