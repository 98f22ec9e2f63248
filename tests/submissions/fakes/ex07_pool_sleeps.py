"""ex07 computed by the main thread, after handing a thread pool one nap: the
pool's worker runs, but none of the program's own code."""
import math
import time
from concurrent.futures import ThreadPoolExecutor

with ThreadPoolExecutor(max_workers=4) as pool:
    pool.submit(time.sleep, 0.2)
    for n in range(1, 11):
        print(f"Factorial of {n} is {math.factorial(n)}")
