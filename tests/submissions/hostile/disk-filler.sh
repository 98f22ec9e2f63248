#!/bin/sh
# Writes zeros to one file in its working directory until something stops it.
echo Start
cat /dev/zero > filler
