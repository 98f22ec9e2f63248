"""The twin of ex07_global_product.py: each task multiplies into a product of its
own."""
from concurrent.futures import ThreadPoolExecutor


def factorial(n):
    product = 1
    for i in range(2, n + 1):
        product *= i
    return product


with ThreadPoolExecutor(max_workers=4) as pool:
    for n, value in zip(range(1, 11), pool.map(factorial, range(1, 11))):
        print(f"Factorial of {n} is {value}")
