#!/bin/sh
# Prints the transcript's first line forever.
yes "$(head -n 1 "$1")"
