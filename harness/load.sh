#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make load": the long run of the busy-tree load test
# (tools/testing/selftests/checkpoint/load_consistency.c, long_run) in
# the debug VM: LOAD_ROUNDS checkpoints of the running tree with images
# restarted and checked, half as many concurrent calls per checkpointer
# and half as many trees killed in the middle of a checkpoint.
#
#   LOAD_ROUNDS=1000	rounds
#   LOAD_BUILD=0	use the kernel and user space already built
#   VM_TIMEOUT		seconds before the VM is stopped (default: 12 h)
#
# Fails if the test fails or the console has a kernel report.
. "$(dirname "$0")/lib.sh"

rounds=${LOAD_ROUNDS:-1000}
kernel=$BUILD/obj-debug/arch/x86/boot/bzImage
user=$BUILD/user-debug
console=$BUILD/console-load.log
step() { printf '\n==> %s\n' "$*" >&2; }

if [ "${LOAD_BUILD:-1}" != 0 ]; then
	step "tools and kselftests"
	"$TOP/harness/build-user.sh" debug
fi
[ -f "$kernel" ] || die "no kernel at $kernel (make kernel)"
[ -x "$user/kselftest/checkpoint/load_consistency" ] ||
	die "no load_consistency in $user/kselftest"

step "initramfs"
extra=$BUILD/load-root
rm -rf "$extra"
mkdir -p "$extra/etc"
echo "CKPT_LOAD_ROUNDS=$rounds" > "$extra/etc/load.conf"
initrd=$BUILD/initramfs-load.cpio.gz
"$TOP/harness/mkinitramfs.sh" "$initrd" "$user/kselftest" "$user/tools" "$extra"

step "$rounds rounds in QEMU"
export VM_TIMEOUT=${VM_TIMEOUT:-43200}
"$TOP/harness/run-vm.sh" "$kernel" "$initrd" load "$console" |
	grep --line-buffered -aE '^(# |ok |not ok |ckpt-harness)' || true

step "result"
# load_consistency runs outside the kselftest runner: the verdict's
# count of kselftests does not apply.
reports=$("$TOP/harness/console-verdict.sh" "$console" |
	  grep '^console: ' | grep -v 'no kselftest ran' || true)
[ -z "$reports" ] || die "kernel reports on the console (see $console):
$reports"
tr -d '\r' < "$console" | grep -aqE '^ok [0-9]+ load\.long_run' ||
	die "long_run did not pass (see $console)"
echo "long_run: $rounds rounds passed, console clean"
