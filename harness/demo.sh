#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Shown by "make demo" inside the VM.
say() { printf '\n### %s\n' "$*"; }

say "a counter program runs in the background, writing to /tmp/count"
sh -c 'i=0; while :; do i=$((i+1)); echo $i > /tmp/count; sleep 1; done' &
pid=$!
sleep 2

say "checkpoint it while it runs (no SIGSTOP): checkpoint $pid > /tmp/image"
checkpoint $pid > /tmp/image
ls -l /tmp/image
echo "count now: $(cat /tmp/count)"; sleep 2; echo "count 2 s later: $(cat /tmp/count) (it kept running)"
grep State /proc/$pid/status

say "decode the image: ckptinfo /tmp/image (first 60 lines)"
ckptinfo /tmp/image | head -n 60

say "the tail of the same image as JSON: ckptinfo --json /tmp/image"
ckptinfo --json /tmp/image | tail -n 12

say "let the kernel validate it: restart --validate -f /tmp/image"
restart --validate -f /tmp/image && echo "valid"

say "a damaged image is refused with a reason, by the kernel and by ckptinfo"
dd if=/tmp/image of=/tmp/broken bs=1 count=100 2>/dev/null
restart --validate -f /tmp/broken
ckptinfo --validate /tmp/broken

say "restoring tasks is the next step of the series:"
restart -f /tmp/image
kill $pid
