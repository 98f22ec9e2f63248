"""Exercise 7 the course's way, for whole-process timing beside the Rust binary.

Usage: python3 python_course.py N WORKERS  (prints the factorials of 1 to N as they
complete, like `ex07-factorial-thread-pool --upto N --workers WORKERS --as-completed`).
"""

import concurrent.futures, math, sys
sys.set_int_max_str_digits(0)
N = int(sys.argv[1]); W = int(sys.argv[2])
with concurrent.futures.ThreadPoolExecutor(max_workers=W) as ex:
    futures = {ex.submit(math.factorial, n): n for n in range(1, N + 1)}
    for f in concurrent.futures.as_completed(futures):
        print(f"Factorial of {futures[f]} is {f.result()}")
