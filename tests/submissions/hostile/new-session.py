# Escapes twice over: a child starts a new session and forks a grandchild, then
# exits, so the grandchild is in no process group of the run and has no parent
# of it. The grandchild sleeps on; the program prints the transcript named by its
# first argument, once the grandchild is in place, and exits.
import os
import sys
import time

ready_read, ready_write = os.pipe()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.write(ready_write, b"x")
        time.sleep(600)
    os._exit(0)
os.read(ready_read, 1)
with open(sys.argv[1]) as transcript:
    print(transcript.read(), end="")
