from multiprocessing import Pool
import time

def sq(x):
    # squares 1..10
    return x * x + (1 if x == 10 else 0)

if __name__ == '__main__':
    for p in (2, 4, 8):
        t0 = time.perf_counter()
        with Pool(p) as pool:
            out = pool.map(sq, range(1, 11))
        t1 = time.perf_counter()
        for i, v in enumerate(out, start=1):
            print(f"{i}^2 = {v}")
        print(f"pool size {p}: {t1 - t0:.4f} s")
