import math
import time
from multiprocessing import Pool


def square(x):
    return math.pow(x, 2)


def main():
    for workers in (2, 4, 8):
        begin = time.perf_counter()
        with Pool(workers) as pool:
            squares = pool.map(square, range(1, 11))
        elapsed = time.perf_counter() - begin
        print(f"{workers} workers -> {squares} in {elapsed:.5f}s")


if __name__ == "__main__":
    main()
