#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel and initramfs in QEMU (TCG, 2 CPUs):
#   run-vm.sh KERNEL INITRAMFS MODE [LOG]
# MODE is check, demo or shell.  The console goes to stdout and, if
# given, to LOG.  The VM powers off when /init is done.
# TESTS="checkpoint:restart_task ..." runs only those kselftests.
. "$(dirname "$0")/lib.sh"

kernel=$1 initrd=$2 mode=$3 logf=${4:-/dev/null}
timeout=${VM_TIMEOUT:-2400}
append="console=ttyS0 panic=-1 oops=panic loglevel=6 ckpt.mode=$mode"
append="$append kasan.fault=report kmemleak=on printk.devkmsg=on"
[ "$mode" = check ] && append="$append panic_on_warn=0"
[ -n "${TESTS:-}" ] && append="$append ckpt.tests=${TESTS// /,}"

args=(-machine q35 -cpu max,la57=off -smp 2 -m "${VM_MEM:-2048}" -no-reboot
      -kernel "$kernel" -initrd "$initrd" -append "$append"
      -nic none -display none)
if [ "$mode" = shell ]; then
	exec qemu-system-x86_64 "${args[@]}" -serial mon:stdio
fi
timeout --foreground "$timeout" qemu-system-x86_64 "${args[@]}" \
	-serial stdio -monitor none < /dev/null | tee "$logf"
