"""The twin of ex07_list_element.py: the shared element is updated under a lock,
each task's whole product computed while holding it."""
import threading
from concurrent.futures import ThreadPoolExecutor

acc = [1]
lock = threading.Lock()


def factorial(n):
    with lock:
        acc[0] = 1
        for i in range(2, n + 1):
            acc[0] *= i
        return acc[0]


with ThreadPoolExecutor(max_workers=4) as pool:
    results = list(pool.map(factorial, range(1, 11)))
for n, value in enumerate(results, start=1):
    print(f"Factorial of {n} is {value}")
