#!/bin/sh
# Prints the transcript's first two lines, then never finishes and ignores SIGTERM
# (the sleep inherits the ignored signal).
trap '' TERM
head -n 2 "$1"
sleep 600
echo 'never printed'
