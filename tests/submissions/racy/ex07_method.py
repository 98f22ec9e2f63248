"""ex07 with one accumulator object shared by the pool's tasks: its method
`times` does `self.value *= i`, a read-modify-write of an attribute."""
from concurrent.futures import ThreadPoolExecutor


class Accumulator:
    def __init__(self):
        self.value = 1

    def reset(self):
        self.value = 1

    def times(self, i):
        self.value *= i


shared = Accumulator()


def factorial(n):
    shared.reset()
    for i in range(2, n + 1):
        shared.times(i)
    return shared.value


with ThreadPoolExecutor(max_workers=4) as pool:
    for n, value in zip(range(1, 11), pool.map(factorial, range(1, 11))):
        print(f"Factorial of {n} is {value}")
