"""ex03 as the course answers it: one multiprocessing.Process per range, each
printing its own line.

Correct on every run as long as nothing changes Python's buffering: each child
writes its whole line when it exits.
"""
from multiprocessing import Process


def is_prime(n):
    if n < 2:
        return False
    for d in range(2, int(n**0.5) + 1):
        if n % d == 0:
            return False
    return True


def find_primes(start, end):
    primes = [n for n in range(start, end) if is_prime(n)]
    print(f"Primes between {start} and {end}: {primes}")


if __name__ == "__main__":
    ranges = [(1, 1000), (1000, 2000), (2000, 3000), (3000, 4000)]
    processes = [Process(target=find_primes, args=r) for r in ranges]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
