"""ex07 with each worker printing its own result, `print(a, b, c, d)` with no
lock: print writes each piece apart, so two workers' pieces can mix on a line."""
import math
from concurrent.futures import ThreadPoolExecutor


def report(n):
    print("Factorial of", n, "is", math.factorial(n))


with ThreadPoolExecutor(max_workers=4) as pool:
    list(pool.map(report, range(1, 11)))
