"""ex07 with the pool's threads sharing a results list by read-modify-write
without a lock: a thread that reads the list, then is switched out before it
writes the longer one back, loses the results added meanwhile."""
import math
from concurrent.futures import ThreadPoolExecutor

results = []


def compute(n):
    global results
    seen = results  # read
    value = math.factorial(n)
    math.factorial(9000)  # some work between the read and the write
    results = seen + [(n, value)]  # write


with ThreadPoolExecutor(max_workers=4) as pool:
    list(pool.map(compute, range(1, 11)))
for n, value in sorted(results):
    print(f"Factorial of {n} is {value}")
