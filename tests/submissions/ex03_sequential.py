"""ex03's output from one process: the primes of each range found in a loop.
Right lines, wrong answer: the question is about multiprocessing."""


def is_prime(n):
    return n >= 2 and all(n % d for d in range(2, int(n**0.5) + 1))


for start, end in [(1, 1000), (1000, 2000), (2000, 3000), (3000, 4000)]:
    primes = [n for n in range(start, end) if is_prime(n)]
    print(f"Primes between {start} and {end}: {primes}")
