"""ex01's Python rows: the same CPU-bound and I/O-bound work as the Rust rows, on
Python threads and on Python processes, so the GIL's effect shows beside Rust's.

Usage: threads_vs_processes.py cpu LIMIT WORKERS | io WAITERS WAIT_MS
Prints one JSON object: {"threads_ms": …, "processes_ms": …, "gil": true|false}.
"""
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def count_primes(bounds):
    start, end = bounds
    count = 0
    for n in range(max(start, 2), end):
        if n == 2 or (n % 2 and all(n % d for d in range(3, int(n**0.5) + 1, 2))):
            count += 1
    return count


def wait(ms):
    time.sleep(ms / 1000)


def timed(executor, function, items, workers):
    started = time.perf_counter()
    with executor(max_workers=workers) as pool:
        list(pool.map(function, items))
    return (time.perf_counter() - started) * 1000


def main():
    mode = sys.argv[1]
    if mode == "cpu":
        limit, workers = int(sys.argv[2]), int(sys.argv[3])
        items = [(limit * i // workers, limit * (i + 1) // workers) for i in range(workers)]
        function = count_primes
    else:
        waiters, wait_ms = int(sys.argv[2]), int(sys.argv[3])
        items, workers, function = [wait_ms] * waiters, waiters, wait
    result = {
        "threads_ms": timed(ThreadPoolExecutor, function, items, workers),
        "processes_ms": timed(ProcessPoolExecutor, function, items, workers),
        "gil": getattr(sys, "_is_gil_enabled", lambda: True)(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
