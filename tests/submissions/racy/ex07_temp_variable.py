"""ex07 with the running product read into a temporary, then written back:
between the read and the write another task's write is lost."""
from concurrent.futures import ThreadPoolExecutor

running = 1


def factorial(n):
    global running
    running = 1
    for i in range(2, n + 1):
        current = running
        running = current * i
    return running


with ThreadPoolExecutor(max_workers=4) as pool:
    for n, value in zip(range(1, 11), pool.map(factorial, range(1, 11))):
        print(f"Factorial of {n} is {value}")
