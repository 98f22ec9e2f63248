#!/bin/sh
# Starts a daemon that leaves the process group and session (setsid), loses its
# parent (the subshell exits), and keeps stdout open; says its pid on stderr once it
# has escaped; then prints the transcript and exits, leaving the daemon running.
mark="${TMPDIR:-/tmp}/escapes-daemon.$$"
(setsid sh -c "echo \$\$ > '$mark'; exec sleep 600" &)
while [ ! -s "$mark" ]; do sleep 0.01; done
echo "daemon $(cat "$mark")" >&2
cat "$1"
