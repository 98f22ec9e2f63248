# Forks without end: every process, parent and child, keeps forking, and waits a
# moment whenever a fork is refused.
import os
import time

print("Start", flush=True)
while True:
    try:
        os.fork()
    except OSError:
        time.sleep(0.01)
