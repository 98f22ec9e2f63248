"""ex07 with every task of the pool multiplying into one global product: `+=`
(here `*=`) on a global is a read, a multiply and a write, and a thread switched
out in between leaves the other tasks' factorials wrong."""
from concurrent.futures import ThreadPoolExecutor

product = 1


def factorial(n):
    global product
    product = 1
    for i in range(2, n + 1):
        product *= i
    return product


with ThreadPoolExecutor(max_workers=4) as pool:
    for n, value in zip(range(1, 11), pool.map(factorial, range(1, 11))):
        print(f"Factorial of {n} is {value}")
