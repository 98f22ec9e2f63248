"""ex07 on a process pool, where the question asks for a thread pool: the
parent's own helper threads are alive, but the work is in other processes."""
import math
from concurrent.futures import ProcessPoolExecutor


def factorial(n):
    return math.factorial(n)


if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as pool:
        for n, value in zip(range(1, 11), pool.map(factorial, range(1, 11))):
            print(f"Factorial of {n} is {value}")
