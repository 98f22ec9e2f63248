import concurrent.futures
import math

with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
    futures = {pool.submit(math.factorial, n): n for n in range(1, 11)}
    for future in concurrent.futures.as_completed(futures):
        print(f"Result for {futures[future]}: {future.result()}")
