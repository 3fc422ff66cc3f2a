#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Shown by "make demo" inside the VM.
set -e
say() { printf '\n### %s\n' "$*"; }

say "a counter program runs in the background"
sh -c 'i=0; while :; do i=$((i+1)); echo $i > /tmp/count; sleep 1; done' &
pid=$!
sleep 2

say "stop it and checkpoint it: checkpoint $pid > /tmp/image"
kill -STOP $pid
checkpoint $pid > /tmp/image
ls -l /tmp/image

say "decode the image: ckptinfo /tmp/image"
ckptinfo /tmp/image

say "the same image as JSON: ckptinfo --json /tmp/image"
ckptinfo --json /tmp/image

say "let the kernel validate it: restart --validate -f /tmp/image"
restart --validate -f /tmp/image && echo "valid"

say "a damaged image is refused with a reason"
dd if=/tmp/image of=/tmp/broken bs=1 count=100 2>/dev/null
restart --validate -f /tmp/broken || true
ckptinfo /tmp/broken || true

kill -CONT $pid
kill $pid
