"""The twin of ex03_shared_position.py: taking a position and filling it hold the
Value's own lock."""
from multiprocessing import Array, Process, Value


def is_prime(n):
    return n >= 2 and all(n % d for d in range(2, int(n**0.5) + 1))


def collect(primes, pos, start, end, half):
    for n in range(start + half, end, 2):
        if is_prime(n):
            with pos.get_lock():
                primes[pos.value] = n
                pos.value += 1


if __name__ == "__main__":
    for start, end in [(1, 1000), (1000, 2000), (2000, 3000), (3000, 4000)]:
        primes = Array("i", 1000)
        pos = Value("i", 0)
        halves = [
            Process(target=collect, args=(primes, pos, start, end, half)) for half in (0, 1)
        ]
        for p in halves:
            p.start()
        for p in halves:
            p.join()
        print(f"Primes between {start} and {end}: {sorted(primes[: pos.value])}")
