import math
from concurrent.futures import ThreadPoolExecutor, as_completed

with ThreadPoolExecutor(max_workers=4) as executor:
    futures = [executor.submit(math.factorial, n) for n in range(1, 11)]
    for future in as_completed(futures):
        print("Factorial:", future.result())
