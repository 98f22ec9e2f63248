import multiprocessing
import time


def square(number):
    return number * number


def run(size):
    numbers = list(range(1, 11))
    begin = time.time()
    with multiprocessing.Pool(processes=size) as pool:
        squares = pool.map(square, numbers)
    elapsed = time.time() - begin
    print(f"--- {size} processes ---")
    for number, value in zip(numbers, squares):
        print(f"The square of {number} is {value}")
    print(f"Elapsed: {elapsed:.4f} seconds")


if __name__ == "__main__":
    for size in (2, 4, 8):
        run(size)
