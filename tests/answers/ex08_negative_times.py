import multiprocessing
import time


def square(x):
    return x * x


if __name__ == "__main__":
    for size in (2, 4, 8):
        start = time.time()
        with multiprocessing.Pool(size) as pool:
            out = pool.map(square, range(1, 11))
        end = time.time()
        print(f"Pool size {size}: {out}, time {start - end:.4f} s")
