"""Exercise 8 the course's way, for whole-program timing beside the Rust binary:
a multiprocessing.Pool of 2, 4 and 8 processes, each squaring 1 to 10 with map,
printing the results and the time the map took.

    hyperfine -N 'python3 crates/ex08-pool-square-timing/benches/python_course.py' \
        target/release/ex08-pool-square-timing
"""

import multiprocessing
import time


def square(n):
    return n * n


def time_pool(size):
    with multiprocessing.Pool(processes=size) as pool:
        start = time.perf_counter()
        squares = pool.map(square, range(1, 11))
        return squares, time.perf_counter() - start


if __name__ == "__main__":
    for size in (2, 4, 8):
        squares, seconds = time_pool(size)
        print(f"Using pool size of {size} processes:")
        print(f"Squares: {squares}")
        print(f"Time taken: {seconds:.6f} seconds")
