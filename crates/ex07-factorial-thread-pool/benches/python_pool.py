"""Python's ThreadPoolExecutor on exercise 7's benchmark work, for `cargo xtask bench`.

Each row matches a Rust benchmark in thread_pool.rs and prints the median of
several runs, so both languages are measured one after the other on one machine.
"""

import concurrent.futures
import math
import statistics
import sys
import time

# Python 3.11 refuses to print integers of more than 4300 digits unless told to.
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)


def factorial_line(n):
    return n, str(math.factorial(n))


def median_seconds(work, runs, inner=1):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(inner):
            work()
        samples.append((time.perf_counter() - start) / inner)
    return statistics.median(samples)


def show(name, seconds):
    if seconds < 1e-3:
        print(f"{name:<40} {seconds * 1e6:10.1f} µs")
    else:
        print(f"{name:<40} {seconds * 1e3:10.2f} ms")


def main():
    print(f"Python {sys.version.split()[0]} (medians)")
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        pool.submit(int).result()  # warm: start the workers
        show("submit_then_result", median_seconds(lambda: pool.submit(int, 1).result(), 50, 200))
        show(
            "warm_map_factorial_1_to_10",
            median_seconds(lambda: list(pool.map(math.factorial, range(1, 11))), 50, 20),
        )
    for workers in (1, 2):
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(int, range(workers)))
            seconds = median_seconds(lambda: list(pool.map(factorial_line, range(1, 2001))), 5)
            show(f"factorials_1_to_2000 ({workers} workers)", seconds)
    show(
        "factorials_1_to_2000_serial",
        median_seconds(lambda: [factorial_line(n) for n in range(1, 2001)], 5),
    )


if __name__ == "__main__":
    main()
