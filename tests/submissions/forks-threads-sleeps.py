"""A program that is everywhere at once: a forked child with a thread of its own,
a grandchild in a session of its own, a thread in the parent, and all of them
asleep for longer than any test waits."""
import os
import threading
import time


def nap():
    time.sleep(60)


if os.fork() == 0:
    threading.Thread(target=nap).start()
    if os.fork() == 0:
        os.setsid()
    nap()
threading.Thread(target=nap).start()
print("started", flush=True)
nap()
