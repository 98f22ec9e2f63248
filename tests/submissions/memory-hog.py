"""Prints the transcript, then fills a GiB after a GiB (every byte written, so the
memory is resident, not just reserved) until it cannot."""
import sys

with open(sys.argv[1], encoding="utf-8") as transcript:
    print(transcript.read(), end="", flush=True)
hoard = []
while True:
    hoard.append(b"\x01" * (1 << 30))
