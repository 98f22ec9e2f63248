"""Prints the transcript, then allocates a GiB after a GiB until it cannot."""
import sys

with open(sys.argv[1], encoding="utf-8") as transcript:
    print(transcript.read(), end="", flush=True)
hoard = []
while True:
    hoard.append(bytearray(1 << 30))
