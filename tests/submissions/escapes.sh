#!/bin/sh
# Starts a daemon that leaves the process group and session (setsid), loses its
# parent (the subshell exits), and keeps stdout open; names it on stderr (by its
# mark file, which its command line holds) once it has escaped; then prints the
# transcript and exits, leaving the daemon running.
mark="${TMPDIR:-/tmp}/escapes-daemon.$$"
(setsid sh -c "echo \$\$ > '$mark'; exec tail -n 0 -f '$mark'" &)
while [ ! -s "$mark" ]; do sleep 0.01; done
echo "daemon $mark" >&2
cat "$1"
