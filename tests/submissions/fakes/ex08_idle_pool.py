"""ex08 computed by the parent while a pool of each size idles: the workers are
alive, none of the squares computed in them."""
import multiprocessing
import time

if __name__ == "__main__":
    for size in (2, 4, 8):
        with multiprocessing.Pool(size):
            start = time.perf_counter()
            squares = [n * n for n in range(1, 11)]
            elapsed = time.perf_counter() - start
        print(f"Using pool size of {size} processes:")
        print(f"Squares: {squares}")
        print(f"Time taken: {elapsed:.6f} seconds")
        print()
