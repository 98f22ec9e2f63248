"""Python's multiprocessing.Pool on exercise 8's benchmark rows, for `cargo xtask bench ex08`.

Each row matches a Rust benchmark in process_pool.rs and prints the median of
several runs, with the fork and the spawn start methods, so both languages are
measured one after the other on one machine.
"""

import multiprocessing
import os
import signal
import statistics
import sys
import time


def square(n):
    return n * n


def sleep_ms(ms):
    time.sleep(ms / 1000)
    return os.getpid()


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
        print(f"{name:<44} {seconds * 1e6:10.1f} µs")
    else:
        print(f"{name:<44} {seconds * 1e3:10.2f} ms")


def lifecycle(ctx, workers):
    with ctx.Pool(workers) as pool:
        pool.map(square, range(1, 11))
        pool.close()
        pool.join()


def killed_worker_row(ctx):
    """SIGKILL the worker running a task: Python's result never arrives."""
    with ctx.Pool(1) as pool:
        pid = pool.apply(os.getpid)
        result = pool.apply_async(sleep_ms, (10_000,))
        time.sleep(0.05)
        os.kill(pid, signal.SIGKILL)
        try:
            result.get(timeout=2)
            return "answered"
        except multiprocessing.TimeoutError:
            return "no answer after 2 s (map and get hang for ever)"
        finally:
            pool.terminate()


def main():
    print(f"Python {sys.version.split()[0]} multiprocessing.Pool (medians)")
    for method in ("fork", "spawn"):
        ctx = multiprocessing.get_context(method)
        runs = 15 if method == "fork" else 5
        for workers in (2, 4, 8):
            show(
                f"lifecycle_start_map_join/{workers} ({method})",
                median_seconds(lambda: lifecycle(ctx, workers), runs),
            )
        with ctx.Pool(2) as pool:
            pool.map(square, range(2))  # warm: both workers started
            show(
                f"warm_map_square_1_to_10 ({method})",
                median_seconds(lambda: pool.map(square, range(1, 11)), 30, 10),
            )
            per_task = median_seconds(lambda: pool.map(square, range(1000), chunksize=1), 10) / 1000
            show(f"tiny_tasks_chunksize_1, per task ({method})", per_task)
            show(
                f"apply_round_trip ({method})",
                median_seconds(lambda: pool.apply(square, (7,)), 30, 20),
            )
        print(f"{'sigkill_to_failed_task (' + method + ')':<44} {killed_worker_row(ctx)}")


if __name__ == "__main__":
    main()
