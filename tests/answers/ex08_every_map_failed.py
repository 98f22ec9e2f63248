import multiprocessing
import time

if __name__ == "__main__":
    nums = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    for size in [2, 4, 8]:
        start = time.time()
        try:
            with multiprocessing.Pool(size) as pool:
                result = pool.map(lambda x: x * x, nums)
                print("Result:", result)
        except Exception as e:
            print(f"Failed with pool size {size}: {e}")
        print(f"Pool size {size} took {time.time() - start:.4f} seconds")
