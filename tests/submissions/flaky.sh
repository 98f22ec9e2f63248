#!/bin/sh
# Prints GOOD on odd-numbered runs and BAD on even ones, counting runs in COUNTER.
n=$(cat "$3" 2>/dev/null || echo 0)
echo $((n + 1)) > "$3"
if [ $((n % 2)) -eq 0 ]; then cat "$1"; else cat "$2"; fi
