# Forks 200 children that exit at once and are never reaped, prints the transcript
# named by its first argument, and exits with the zombies still there.
import os
import sys
import time

for _ in range(200):
    if os.fork() == 0:
        os._exit(0)
time.sleep(0.2)
with open(sys.argv[1]) as transcript:
    print(transcript.read(), end="")
