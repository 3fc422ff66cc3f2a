#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Shown by "make demo" inside the VM.
say() { printf '\n### %s\n' "$*"; }
counter=/kselftest/checkpoint/counter

say "a counter runs in the background; each tick it checks and rewrites 8 MiB"
$counter > /tmp/count.log &
pid=$!
sleep 2
tail -n 1 /tmp/count.log

say "checkpoint it while it runs (no SIGSTOP): checkpoint $pid > /tmp/image"
checkpoint $pid > /tmp/image
ls -l /tmp/image
sleep 1
echo "it kept running: $(tail -n 1 /tmp/count.log)"

say "decode the image: ckptinfo /tmp/image (first 40 lines)"
ckptinfo /tmp/image | head -n 40

say "let the kernel validate it: restart --validate -f /tmp/image"
restart --validate -f /tmp/image && echo "valid"

say "kill the counter: kill -9 $pid"
kill -9 $pid
wait $pid 2>/dev/null
echo "last count before the kill: $(tail -n 1 /tmp/count.log)"

say "restart it from the image: same pid, same memory, its output file reopened at its offset"
restart -f /tmp/image &
sleep 3
tail -n 4 /tmp/count.log
kill $pid
wait $!
echo "restart ended with status $? (the counter was killed by SIGTERM)"

say "a second restart from the same image carries on from the same count"
restart -f /tmp/image &
sleep 2
tail -n 3 /tmp/count.log
kill $pid
wait $!

say "a damaged image is refused with a reason, by the kernel and by ckptinfo"
dd if=/tmp/image of=/tmp/broken bs=1 count=100 2>/dev/null
restart --validate -f /tmp/broken
ckptinfo --validate /tmp/broken
