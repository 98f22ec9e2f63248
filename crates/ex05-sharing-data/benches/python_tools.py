"""Python's multiprocessing tools on exercise 5's benchmark work, for `cargo xtask bench`.

Each row matches a Rust benchmark in process_tools.rs and prints the median of
several runs, so both languages are measured one after the other on one machine.
"""

import multiprocessing as mp
import statistics
import time

INCREMENTS = 100_000
ITEMS = 100_000


def median(samples):
    return statistics.median(samples)


def lock_acquire_release(runs=7, inner=200_000):
    lock = mp.Lock()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(inner):
            lock.acquire()
            lock.release()
        samples.append((time.perf_counter() - start) / inner)
    return median(samples)


def add_locked(value, n):
    for _ in range(n):
        with value.get_lock():
            value.value += 1


def value_locked_increment_two_processes(runs=5):
    samples = []
    for _ in range(runs):
        value = mp.Value("q", 0)
        other = mp.Process(target=add_locked, args=(value, INCREMENTS))
        other.start()
        start = time.perf_counter()
        add_locked(value, INCREMENTS)
        other.join()
        samples.append((time.perf_counter() - start) / (2 * INCREMENTS))
        assert value.value == 2 * INCREMENTS
    return median(samples)


def drain(queue, n):
    for _ in range(n):
        queue.get()


def queue_item_to_another_process(runs=5):
    samples = []
    for _ in range(runs):
        queue = mp.Queue(1024)
        other = mp.Process(target=drain, args=(queue, ITEMS))
        other.start()
        start = time.perf_counter()
        for n in range(ITEMS):
            queue.put((1, n))
        other.join()
        samples.append((time.perf_counter() - start) / ITEMS)
    return median(samples)


def echo(conn):
    while True:
        message = conn.recv()
        if message is None:
            return
        conn.send((0, message))


def pipe_round_trip(runs=7, inner=2_000):
    ours, theirs = mp.Pipe()
    other = mp.Process(target=echo, args=(theirs,))
    other.start()
    theirs.close()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(inner):
            ours.send("data")
            ours.recv()
        samples.append((time.perf_counter() - start) / inner)
    ours.send(None)
    other.join()
    return median(samples)


def manager_list_append(runs=7, inner=2_000):
    with mp.Manager() as manager:
        shared = manager.list()
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            for _ in range(inner):
                shared.append("data")
            samples.append((time.perf_counter() - start) / inner)
    return median(samples)


def main():
    rows = [
        ("lock_acquire_release", lock_acquire_release()),
        ("value_locked_increment_two_processes (per increment)", value_locked_increment_two_processes()),
        ("queue_item_to_another_process (per item)", queue_item_to_another_process()),
        ("pipe_round_trip", pipe_round_trip()),
        ("manager_list_append", manager_list_append()),
    ]
    print(f"Python {mp.get_start_method()} start, median of runs:")
    for name, seconds in rows:
        print(f"  {name:<56} {seconds * 1e9:>10.0f} ns", flush=True)


if __name__ == "__main__":
    main()
