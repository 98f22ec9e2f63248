"""ex03 where two processes share each range, each testing half its numbers, and
put the primes they find in a shared `multiprocessing.Array`, at the position a
shared `Value` gives, bumped with `pos.value += 1` without `get_lock()`: a read
and a write, so the other process can take the same position in between, and a
prime is overwritten."""
from multiprocessing import Array, Process, Value


def is_prime(n):
    return n >= 2 and all(n % d for d in range(2, int(n**0.5) + 1))


def collect(primes, pos, start, end, half):
    for n in range(start + half, end, 2):
        if is_prime(n):
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
