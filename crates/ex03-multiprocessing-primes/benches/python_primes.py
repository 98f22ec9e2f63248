"""Exercise 3's work the course's way, on Python's multiprocessing.Pool: the primes
below 2,000,000 by trial division, in 64 ranges, on 2 processes.

`cargo xtask bench ex03` prints its median beside the Rust figures. Run alone with
`--print`, it prints each range the way the exercise does, for whole-program timing:

    hyperfine -N 'python3 crates/ex03-multiprocessing-primes/benches/python_primes.py --print' \
        'target/release/ex03-multiprocessing-primes --limit 2000000 --ranges 64 --workers 2'
"""

import multiprocessing
import statistics
import sys
import time

LIMIT, RANGES, WORKERS = 2_000_000, 64, 2


def is_prime(n):
    if n <= 1:
        return False
    for i in range(2, int(n**0.5) + 1):
        if n % i == 0:
            return False
    return True


def find_primes(bounds):
    start, end = bounds
    return bounds, [n for n in range(start, end) if is_prime(n)]


def equal_ranges(limit, count):
    bound = [1 + i * (limit - 1) // count for i in range(count + 1)]
    return list(zip(bound, bound[1:]))


def run(emit):
    with multiprocessing.Pool(WORKERS) as pool:
        for (start, end), primes in pool.imap_unordered(find_primes, equal_ranges(LIMIT, RANGES)):
            emit(start, end, primes)


def main():
    if "--print" in sys.argv:
        run(lambda start, end, primes: print(f"Primes between {start} and {end}: {primes}"))
        return
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        run(lambda *_: None)
        samples.append(time.perf_counter() - start)
    print(f"Python {sys.version.split()[0]} multiprocessing.Pool({WORKERS}), trial division (median of 3)")
    print(f"{'primes_below_2_000_000_in_64_ranges':<44} {statistics.median(samples) * 1e3:10.0f} ms")


if __name__ == "__main__":
    main()
