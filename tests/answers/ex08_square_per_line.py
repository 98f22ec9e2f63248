import multiprocessing
import time


def square(n):
    return n * n


if __name__ == "__main__":
    numbers = list(range(1, 11))
    for size in [2, 4, 8]:
        start = time.time()
        with multiprocessing.Pool(processes=size) as pool:
            results = pool.map(square, numbers)
        end = time.time()
        print("Pool with", size, "processes")
        for n, r in zip(numbers, results):
            print(f"Square of {n} is {r}")
        print(f"Time taken: {end - start:.4f} seconds")
        print()
