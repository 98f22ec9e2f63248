"""ex07 with the pool's tasks sharing one list element as their accumulator:
`acc[0] *= i` reads the element, multiplies and writes it back, and another
task can reset or multiply it in between."""
from concurrent.futures import ThreadPoolExecutor

acc = [1]


def factorial(n):
    acc[0] = 1
    for i in range(2, n + 1):
        acc[0] *= i
    return acc[0]


with ThreadPoolExecutor(max_workers=4) as pool:
    results = list(pool.map(factorial, range(1, 11)))
for n, value in enumerate(results, start=1):
    print(f"Factorial of {n} is {value}")
