//! The primes a range holds: a segmented sieve of Eratosthenes, a different
//! algorithm from the programs' trial division, and the lists and counts students
//! print compared with it.

use crate::{Line, Rejection};

use super::rules;

/// Whether `start..end` holds a prime.
pub(super) fn has_prime(start: u64, end: u64) -> bool {
    let mut found = false;
    primes_in(start, end, |_| {
        found = true;
        false
    });
    found
}

/// Checks a count of primes against the sieve, for `start..end` or (when `end`
/// is prime) `start..=end`; gives the count, and whether it included `end`.
pub(super) fn check_count(
    line: &Line,
    start: u64,
    end: u64,
    count: u64,
) -> Result<(usize, bool), Rejection> {
    let mut truth = 0;
    primes_in(start, end, |_| {
        truth += 1;
        true
    });
    if truth == count {
        return Ok((truth as usize, false));
    }
    if has_prime(end, end + 1) && truth + 1 == count {
        return Ok((count as usize, true));
    }
    Err(Rejection::at(
        line,
        rules::WRONG_PRIMES,
        format!("{start} to {end} holds {truth} primes, not {count}"),
    ))
}

/// Compares the list with the primes of `start..end` (and `end` itself, which a
/// list may include when it is prime); gives how many there are, and whether the
/// list included `end`.
pub(super) fn check_primes(
    line: &Line,
    start: u64,
    end: u64,
    list: &[&str],
) -> Result<(usize, bool), Rejection> {
    let wrong = |why: String| Rejection::at(line, rules::WRONG_PRIMES, why);
    let mut given = list
        .iter()
        .map(|item| {
            item.parse::<u64>()
                .map_err(|_| wrong(format!("{item} is not a whole number ≥ 0")))
        })
        .collect::<Result<Vec<u64>, _>>()?
        .into_iter();
    let mut count = 0;
    let mut includes_end = false;
    let mut mismatch = None;
    primes_in(start, end + 1, |prime| match given.next() {
        Some(p) if p == prime => {
            count += 1;
            includes_end = prime == end;
            true
        }
        Some(p) if p < prime && p >= start => {
            mismatch = Some(format!("{p} is not prime (or is out of order)"));
            false
        }
        Some(p) => {
            mismatch = Some(if p < start {
                format!("{p} is below the range's start {start}")
            } else {
                format!("the prime {prime} is missing (the list goes on with {p})")
            });
            false
        }
        None if prime == end => false,
        None => {
            mismatch = Some(format!(
                "the prime {prime} is missing (the list ends before it)"
            ));
            false
        }
    });
    if let Some(why) = mismatch {
        return Err(wrong(why));
    }
    if let Some(extra) = given.next() {
        return Err(wrong(if extra > end {
            format!("{extra} is past the range's end {end}")
        } else {
            format!("{extra} is not prime (or is out of order)")
        }));
    }
    Ok((count, includes_end))
}

/// Calls `each` with the primes of `start..end` in order until it returns false:
/// a segmented sieve, one megabyte of flags at a time.
fn primes_in(start: u64, end: u64, mut each: impl FnMut(u64) -> bool) {
    const SEGMENT: u64 = 1 << 20;
    let root = (end as f64).sqrt() as u64 + 1;
    let small = small_primes(root);
    let mut low = start.max(2);
    while low < end {
        let high = (low + SEGMENT).min(end);
        debug_assert!(high > low, "a segment of the sieve is empty at {low}");
        let mut composite = vec![false; (high - low) as usize];
        for &p in &small {
            if p * p >= high {
                break;
            }
            let first = (p * p).max(low.div_ceil(p) * p);
            for multiple in (first..high).step_by(p as usize) {
                composite[(multiple - low) as usize] = true;
            }
        }
        for (offset, &is_composite) in composite.iter().enumerate() {
            if !is_composite && !each(low + offset as u64) {
                return;
            }
        }
        low = high;
    }
}

/// The primes below `n`, by a plain sieve (n is at most about 31,623 here).
fn small_primes(n: u64) -> Vec<u64> {
    let n = n as usize;
    let mut composite = vec![false; n.max(2)];
    let mut primes = Vec::new();
    for p in 2..n {
        if !composite[p] {
            primes.push(p as u64);
            (p * p..n).step_by(p).for_each(|m| composite[m] = true);
        }
    }
    primes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sieve(start: u64, end: u64) -> Vec<u64> {
        let mut found = Vec::new();
        primes_in(start, end, |p| {
            found.push(p);
            true
        });
        found
    }

    fn checked(list: &[&str]) -> Result<(usize, bool), String> {
        let line = Line {
            number: 1,
            text: String::new(),
        };
        check_primes(&line, 10, 30, list).map_err(|r| r.reason)
    }

    #[test]
    fn a_wrong_list_is_told_what_is_wrong_with_it() {
        let primes = ["11", "13", "17", "19", "23", "29"];
        assert_eq!(checked(&primes), Ok((6, false)));
        let mut below = vec!["7"];
        below.extend(primes);
        assert_eq!(
            checked(&below),
            Err("7 is below the range's start 10".to_owned())
        );
        let mut past = primes.to_vec();
        past.push("31");
        assert_eq!(
            checked(&past),
            Err("31 is past the range's end 30".to_owned())
        );
        let mut composite = primes.to_vec();
        composite.push("28");
        assert_eq!(
            checked(&composite),
            Err("28 is not prime (or is out of order)".to_owned())
        );
        assert_eq!(
            checked(&["11", "13", "19"]),
            Err("the prime 17 is missing (the list goes on with 19)".to_owned())
        );
    }

    #[test]
    fn the_segmented_sieve_finds_exactly_the_primes() {
        assert_eq!(sieve(1, 30), [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
        assert_eq!(sieve(0, 2), Vec::<u64>::new());
        assert_eq!(sieve(2, 3), [2]);
        assert_eq!(sieve(1000, 1020), [1009, 1013, 1019]);
        // Across a segment boundary: the primes around 2²⁰ = 1,048,576.
        assert_eq!(
            sieve(1_048_560, 1_048_600),
            [1_048_571, 1_048_573, 1_048_583, 1_048_589]
        );
        assert_eq!(sieve(1, 2_000_000).len(), 148_933);
        assert_eq!(sieve(999_999_900, 1_000_000_000).len(), 2);
    }
}
