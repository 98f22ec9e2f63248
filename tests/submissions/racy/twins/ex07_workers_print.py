"""The twin of ex07_workers_print.py: the workers print under a lock."""
import math
import threading
from concurrent.futures import ThreadPoolExecutor

printing = threading.Lock()


def report(n):
    value = math.factorial(n)
    with printing:
        print("Factorial of", n, "is", value)


with ThreadPoolExecutor(max_workers=4) as pool:
    list(pool.map(report, range(1, 11)))
