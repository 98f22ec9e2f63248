"""ex07 with the shared product updated through a call: `product =
multiply(product, i)` reads the global, calls, then writes it, and the call is
where CPython itself may switch threads."""
from concurrent.futures import ThreadPoolExecutor

product = 1


def multiply(a, b):
    return a * b


def factorial(n):
    global product
    product = 1
    for i in range(2, n + 1):
        product = multiply(product, i)
    return product


with ThreadPoolExecutor(max_workers=4) as pool:
    for n, value in zip(range(1, 11), pool.map(factorial, range(1, 11))):
        print(f"Factorial of {n} is {value}")
