"""The twin of ex03_unbuffered.py: each process writes its whole line, newline
included, in one write."""
import os
from multiprocessing import Process


def is_prime(n):
    return n >= 2 and all(n % d for d in range(2, int(n**0.5) + 1))


def find_primes(start, end):
    primes = [n for n in range(start, end) if is_prime(n)]
    os.write(1, f"Primes between {start} and {end}: {primes}\n".encode())


if __name__ == "__main__":
    ranges = [(1, 1000), (1000, 2000), (2000, 3000), (3000, 4000)]
    processes = [Process(target=find_primes, args=r) for r in ranges]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
