from multiprocessing import Pool
import math

if __name__ == "__main__":
    with Pool(4) as pool:
        values = pool.map(math.factorial, range(1, 11))
    for n, v in enumerate(values, start=1):
        print(f"{n}! = {v}")
