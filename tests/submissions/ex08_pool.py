"""ex08 as the course answers it: squares by multiprocessing pools of 2, 4 and 8."""
from multiprocessing import Pool
import time


def square(n):
    return n * n


if __name__ == "__main__":
    for size in (2, 4, 8):
        start = time.perf_counter()
        with Pool(size) as pool:
            squares = pool.map(square, range(1, 11))
        elapsed = time.perf_counter() - start
        print(f"Using pool size of {size} processes:")
        print(f"Squares: {squares}")
        print(f"Time taken: {elapsed:.6f} seconds")
        print()
