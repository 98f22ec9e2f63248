from multiprocessing.pool import ThreadPool
import time


def square(x):
    return x * x


for size in [2, 4, 8]:
    start = time.perf_counter()
    with ThreadPool(size) as pool:
        result = pool.map(square, range(1, 11))
    print(f"Pool size {size}: {result} in {time.perf_counter() - start:.4f} seconds")
