import math
from concurrent.futures import ThreadPoolExecutor

with ThreadPoolExecutor(max_workers=2) as ex:
    results = list(ex.map(math.factorial, range(10)))
for i, r in enumerate(results, start=1):
    print(f"Factorial of {i} is {r}")
