"""ex07 on a thread pool that runs a built-in: `math.factorial` itself handed
to `ThreadPoolExecutor.map`, no function of the program's own."""
import math
from concurrent.futures import ThreadPoolExecutor

with ThreadPoolExecutor(max_workers=4) as pool:
    for n, value in zip(range(1, 11), pool.map(math.factorial, range(1, 11))):
        print(f"Factorial of {n} is {value}")
