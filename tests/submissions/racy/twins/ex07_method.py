"""The twin of ex07_method.py: each task has an accumulator of its own."""
from concurrent.futures import ThreadPoolExecutor


class Accumulator:
    def __init__(self):
        self.value = 1

    def times(self, i):
        self.value *= i


def factorial(n):
    mine = Accumulator()
    for i in range(2, n + 1):
        mine.times(i)
    return mine.value


with ThreadPoolExecutor(max_workers=4) as pool:
    for n, value in zip(range(1, 11), pool.map(factorial, range(1, 11))):
        print(f"Factorial of {n} is {value}")
