from multiprocessing import Pool
from time import perf_counter


def sq(n):
    return n ** 2


if __name__ == "__main__":
    nums = range(1, 11)
    timings = {}
    for procs in [2, 4, 8]:
        t = perf_counter()
        with Pool(procs) as p:
            res = p.map(sq, nums)
        timings[procs] = perf_counter() - t
        print(dict(zip(nums, res)))
    for procs, secs in timings.items():
        print(f"{procs} processes: {secs:.4f} seconds")
