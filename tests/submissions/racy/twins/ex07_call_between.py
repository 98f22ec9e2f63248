"""The twin of ex07_call_between.py: each task keeps its product in a local."""
from concurrent.futures import ThreadPoolExecutor


def multiply(a, b):
    return a * b


def factorial(n):
    product = 1
    for i in range(2, n + 1):
        product = multiply(product, i)
    return product


with ThreadPoolExecutor(max_workers=4) as pool:
    for n, value in zip(range(1, 11), pool.map(factorial, range(1, 11))):
        print(f"Factorial of {n} is {value}")
