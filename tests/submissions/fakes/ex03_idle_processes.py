"""ex03 computed by the parent while two processes sleep: processes alive, none
of the primes found in them."""
import multiprocessing
import time


def is_prime(n):
    return n >= 2 and all(n % d for d in range(2, int(n**0.5) + 1))


if __name__ == "__main__":
    idle = [multiprocessing.Process(target=time.sleep, args=(0.3,)) for _ in range(2)]
    for process in idle:
        process.start()
    for start, end in [(1, 1000), (1000, 2000), (2000, 3000), (3000, 4000)]:
        primes = [n for n in range(start, end) if is_prime(n)]
        print(f"Primes between {start} and {end}: {primes}")
    for process in idle:
        process.join()
