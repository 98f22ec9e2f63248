#!/bin/sh
# Prints the transcript, then dies of a segmentation fault.
cat "$1"
kill -SEGV $$
