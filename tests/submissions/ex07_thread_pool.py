"""ex07 as the course answers it: the factorials computed by a thread pool."""
import math
from concurrent.futures import ThreadPoolExecutor
import time


def factorial(n):
    time.sleep(0.05)  # long enough that the pool's threads overlap
    return math.factorial(n)


with ThreadPoolExecutor(max_workers=4) as pool:
    for n, value in zip(range(1, 11), pool.map(factorial, range(1, 11))):
        print(f"Factorial of {n} is {value}")
