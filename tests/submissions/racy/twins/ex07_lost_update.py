"""The twin of ex07_lost_update.py: the read and the write back of the shared
results list happen under one lock."""
import math
import threading
from concurrent.futures import ThreadPoolExecutor

results = []
lock = threading.Lock()


def compute(n):
    global results
    value = math.factorial(n)
    math.factorial(9000)  # the same work, outside the lock
    with lock:
        seen = results
        results = seen + [(n, value)]


with ThreadPoolExecutor(max_workers=4) as pool:
    list(pool.map(compute, range(1, 11)))
for n, value in sorted(results):
    print(f"Factorial of {n} is {value}")
