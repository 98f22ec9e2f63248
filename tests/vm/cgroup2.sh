#!/usr/bin/env bash
# The grader's containment on a cgroup v2 hierarchy, tried in a virtual machine:
# a machine whose pids and memory controllers are bound to cgroup v1 (as this
# kit's CI machine's are) cannot mount them on v2, so this boots a Debian kernel
# under QEMU with an initramfs holding busybox and the grader, and inside it:
#   1. mounts cgroup2, enables pids and memory at the root, and moves its own
#      shell and a sleeper into a cgroup `job` (a cgroup holding processes, as a
#      CI job's or a container's does);
#   2. grades a fork bomb (`--max-processes 64`): it must end as "process limit
#      reached", with the report naming the pids cgroup (v2);
#   3. grades a memory hog (`--memory-limit 64MiB`): "memory limit reached";
#   4. kills a grader (SIGKILL) a second into a grade of a sleeper: no sleeper and
#      no run cgroup may be left, only the leaf `job/concurrency-grader`.
# Not part of `cargo xtask ci` (it needs QEMU and a kernel image); run it by hand:
#   sudo apt-get install qemu-system-x86 busybox-static linux-image-amd64
#   bash tests/vm/cgroup2.sh
# It prints what the VM printed and exits 1 if a check failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
kernel=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -1)
busybox=$(command -v busybox || true)
if [[ -z "$kernel" || -z "$busybox" ]] || ! command -v qemu-system-x86_64 >/dev/null; then
    echo "needs qemu-system-x86_64, busybox (static) and a kernel in /boot: see the top of $0" >&2
    exit 2
fi
cargo build -q -p grader
grader=target/debug/concurrency-grader
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,proc,sys,dev,tmp}
cp "$busybox" "$root/bin/busybox"
for tool in sh mount mkdir cat echo ls sleep poweroff grep wc head tr kill; do
    ln -s busybox "$root/bin/$tool"
done
cp "$grader" "$root/bin/grader"
# The grader's shared libraries, at the paths its loader looks for them.
for library in $(ldd "$grader" | grep -o '/[^ ]*'); do
    mkdir -p "$root$(dirname "$library")"
    cp "$library" "$root$library"
done
cat > "$root/init" <<'INIT'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
echo "+pids +memory" > /sys/fs/cgroup/cgroup.subtree_control
mkdir /sys/fs/cgroup/job
echo $$ > /sys/fs/cgroup/job/cgroup.procs
sleep 1000 &
check() { if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAILED: $1: got '$2', wanted '$3'"; fi; }
bomb=$(grader ex04 --max-processes 64 --timeout 30 -- sh -c 'while :; do sleep 100 & done' 2>&1)
check "a fork bomb ends at the pids cap" "$(echo "$bomb" | grep -c 'run 1 .*process limit reached')" 1
check "the report names the v2 caps" "$(echo "$bomb" | grep -c 'pids cgroup (v2), memory cap from the memory cgroup (v2)')" 1
hog=$(grader ex04 --memory-limit 64MiB --timeout 30 -- sh -c 'x=aaaaaaaaaaaaaaaa; while :; do x="$x$x"; done' 2>&1)
check "a memory hog ends at the memory cap" "$(echo "$hog" | grep -c 'run 1 .*memory limit reached')" 1
grader ex04 -- sh -c 'sleep 200 & sleep 200' >/dev/null 2>&1 &
sleep 1
kill -9 $!
sleep 3
left=0
for p in /proc/[0-9]*; do
    case "$(cat $p/cmdline 2>/dev/null | tr '\0' ' ')" in "sleep 200 ") left=$((left + 1));; esac
done
check "nothing of a killed grader's run is left running" "$left" 0
check "only the leaf is left in the job's cgroup" "$(ls -d /sys/fs/cgroup/job/*/ | tr '\n' ' ')" "/sys/fs/cgroup/job/concurrency-grader/ "
poweroff -f
INIT
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip) > "$root.initramfs"
trap 'rm -rf "$root" "$root.initramfs"' EXIT
# Software emulation: about 30 s here. (With -enable-kvm this kernel hung before its
# first message on the machine the script was written on.)
output=$(timeout 900 qemu-system-x86_64 -accel tcg -cpu max -m 2048 -smp 2 -nographic -no-reboot \
    -kernel "$kernel" -initrd "$root.initramfs" -append "console=ttyS0 quiet panic=-1 rdinit=/init" 2>&1 \
    | tr -d '\r' | grep -a -o -E '(ok|FAILED): .*')
echo "$output"
[[ -n "$output" ]] && ! grep -q FAILED <<<"$output"
