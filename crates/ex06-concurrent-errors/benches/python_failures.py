"""Python hearing of failures, for `cargo xtask bench ex06`: the rows of
failure_latency.rs, done with concurrent.futures and multiprocessing, one after
the other on one machine. Each prints the median of its samples.
"""

import concurrent.futures as cf
import multiprocessing as mp
import os
import signal
import statistics
import time


def boom():
    raise ValueError("boom")


def crash():
    os._exit(3)


def thread_pool_panic_reaches_caller(samples=200):
    """A task that raises, from its submission until the future has its exception."""
    took = []
    with cf.ThreadPoolExecutor(1) as pool:
        for _ in range(samples):
            start = time.perf_counter()
            future = pool.submit(boom)
            assert future.exception() is not None
            took.append(time.perf_counter() - start)
    return statistics.median(took)


def process_pool_worker_death_reaches_caller(samples=10):
    """ProcessPoolExecutor: a worker killed mid-task, until the future fails
    (BrokenProcessPool). The pool is broken afterwards, so each sample has its own."""
    took = []
    for _ in range(samples):
        with cf.ProcessPoolExecutor(1) as pool:
            future = pool.submit(time.sleep, 60)
            time.sleep(0.2)
            (pid,) = list(pool._processes)  # the worker; no public way to name it
            start = time.perf_counter()
            os.kill(pid, signal.SIGKILL)
            assert isinstance(future.exception(), cf.process.BrokenProcessPool)
            took.append(time.perf_counter() - start)
    return statistics.median(took)


def multiprocessing_pool_worker_death_reaches_caller(patience=5.0):
    """multiprocessing.Pool: a worker killed mid-task. Its result never comes;
    this gives up after `patience` seconds and returns None."""
    pool = mp.Pool(1)
    result = pool.apply_async(time.sleep, (60,))
    time.sleep(0.2)
    os.kill(pool._pool[0].pid, signal.SIGKILL)  # the worker; no public way to name it
    start = time.perf_counter()
    try:
        result.get(timeout=patience)
        heard = time.perf_counter() - start
    except mp.TimeoutError:
        heard = None
    pool.terminate()
    return heard


def supervisor_restarts_a_crashed_worker(samples=100):
    """A Process that crashed (exit code 3): from the join that finds it until its
    replacement is started."""
    took = []
    worker = mp.Process(target=crash)
    worker.start()
    for _ in range(samples):
        time.sleep(0.02)
        start = time.perf_counter()
        worker.join()
        assert worker.exitcode == 3
        worker = mp.Process(target=crash)
        worker.start()
        took.append(time.perf_counter() - start)
    worker.join()
    return statistics.median(took)


def main():
    print(f"Python {mp.get_start_method()} start, median of samples:")
    rows = [
        ("thread_pool_panic_reaches_caller", thread_pool_panic_reaches_caller()),
        ("process_pool_worker_death_reaches_caller (ProcessPoolExecutor)", process_pool_worker_death_reaches_caller()),
        ("process_pool_worker_death_reaches_caller (multiprocessing.Pool)", multiprocessing_pool_worker_death_reaches_caller()),
        ("supervisor_restarts_a_crashed_worker", supervisor_restarts_a_crashed_worker()),
    ]
    for name, seconds in rows:
        shown = "never (no answer in 5 s)" if seconds is None else f"{seconds * 1e6:>10.1f} µs"
        print(f"  {name:<66} {shown}", flush=True)


if __name__ == "__main__":
    main()
