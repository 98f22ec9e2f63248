"""ex08's output from one process: pool-shaped lines, with timings of a loop that
starts no process. Right lines, wrong answer: the question is about a pool."""
import time

for size in (2, 4, 8):
    start = time.perf_counter()
    squares = [n * n for n in range(1, 11)]
    elapsed = time.perf_counter() - start
    print(f"Using pool size of {size} processes:")
    print(f"Squares: {squares}")
    print(f"Time taken: {elapsed:.6f} seconds")
    print()
