from multiprocessing import Pool
import time


def square(n):
    if n % 3 != 0:
        return n * n


if __name__ == "__main__":
    for size in [2, 4, 8]:
        start = time.time()
        with Pool(size) as pool:
            pairs = list(zip(range(1, 11), pool.map(square, range(1, 11))))
        print(f"Pool size: {size}, Results: {pairs}, Time: {time.time() - start:.4f}")
