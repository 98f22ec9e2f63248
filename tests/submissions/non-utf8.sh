#!/bin/sh
# Prints the transcript, then a line in Latin-1, which is not UTF-8.
cat "$1"
printf 'caf\351 cr\350me\n'
