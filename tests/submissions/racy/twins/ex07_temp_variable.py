"""The twin of ex07_temp_variable.py: the read and the write back happen under
one lock, with the whole product."""
import threading
from concurrent.futures import ThreadPoolExecutor

running = 1
lock = threading.Lock()


def factorial(n):
    global running
    with lock:
        running = 1
        for i in range(2, n + 1):
            current = running
            running = current * i
        return running


with ThreadPoolExecutor(max_workers=4) as pool:
    for n, value in zip(range(1, 11), pool.map(factorial, range(1, 11))):
        print(f"Factorial of {n} is {value}")
