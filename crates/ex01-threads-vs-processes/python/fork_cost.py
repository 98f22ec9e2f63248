"""How long fork + exit + wait takes as the parent's memory grows: the cost Rust's
`Command` avoids by starting programs with posix_spawn (a vfork-like clone that
shares the parent's memory until the exec) instead of fork.

Usage: python3 fork_cost.py
"""
import os, time, statistics, sys
def fork_cost(n=30):
    samples=[]
    for _ in range(n):
        t=time.perf_counter(); pid=os.fork()
        if pid==0: os._exit(0)
        os.waitpid(pid,0); samples.append((time.perf_counter()-t)*1e6)
    return statistics.median(samples)
for mib in (0, 256, 1024):
    block = bytearray(mib << 20)
    for i in range(0, len(block), 4096): block[i]=1
    print(f"parent touching {mib} MiB: fork+exit+wait {fork_cost():.0f} µs")
    del block
