#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make fuzz": the long mode of the restart(2) fuzzer
# (tools/testing/selftests/checkpoint/image_fuzz.c) in the debug VM.
#
# Builds the tools and kselftests (build/user-debug), packs an initramfs
# whose /etc/fuzz.conf sets the fuzzer's CKPT_FUZZ_* variables, boots
# it with ckpt.mode=fuzz, then writes the reproducers the fuzzer dumped
# on the console to build/fuzz-findings/, checks the console for kernel
# reports and prints the images per second.
#
#   FUZZ_ITERS=100000	images to fuzz
#   FUZZ_SEED=N		PRNG seed (default: chosen and printed by the fuzzer)
#   FUZZ_REPORT=100	print the rate every N images
#   FUZZ_REPLAY=FILE	run that image (a reproducer) once instead
#   FUZZ_BUILD=0		use the kernel and user space already built
#   FUZZ_KERNEL, FUZZ_USER	their paths (build/obj-debug/..., build/user-debug)
#   VM_TIMEOUT		seconds before the VM is stopped (default: 24 h)
. "$(dirname "$0")/lib.sh"

iters=${FUZZ_ITERS:-100000}
report=${FUZZ_REPORT:-100}
kernel=${FUZZ_KERNEL:-$BUILD/obj-debug/arch/x86/boot/bzImage}
user=${FUZZ_USER:-$BUILD/user-debug}
findings=$BUILD/fuzz-findings
console=$BUILD/console-fuzz.log
step() { printf '\n==> %s\n' "$*" >&2; }

if [ "${FUZZ_BUILD:-1}" != 0 ]; then
	step "tools and kselftests"
	"$TOP/harness/build-user.sh" debug
fi
[ -f "$kernel" ] || die "no kernel at $kernel (make kernel)"
[ -x "$user/kselftest/checkpoint/image_fuzz" ] ||
	die "no image_fuzz in $user/kselftest"

step "initramfs"
extra=$BUILD/fuzz-root
rm -rf "$extra"
mkdir -p "$extra/etc"
{
	echo "CKPT_FUZZ_ITERS=$iters"
	echo "CKPT_FUZZ_REPORT=$report"
	echo "CKPT_FUZZ_DUMP=1"
	[ -z "${FUZZ_SEED:-}" ] || echo "CKPT_FUZZ_SEED=$FUZZ_SEED"
	[ -z "${FUZZ_REPLAY:-}" ] || echo "CKPT_FUZZ_REPLAY=/etc/replay.img"
} > "$extra/etc/fuzz.conf"
[ -z "${FUZZ_REPLAY:-}" ] || cp "$FUZZ_REPLAY" "$extra/etc/replay.img"
initrd=$BUILD/initramfs-fuzz.cpio.gz
"$TOP/harness/mkinitramfs.sh" "$initrd" "$user/kselftest" "$user/tools" "$extra"

step "fuzzing $iters images in QEMU"
export VM_TIMEOUT=${VM_TIMEOUT:-86400}
"$TOP/harness/run-vm.sh" "$kernel" "$initrd" fuzz "$console" |
	grep --line-buffered -aE '^(# |ok |not ok |ckpt-harness)' || true

step "reproducers"
mkdir -p "$findings"
tr -d '\r' < "$console" | awk -v dir="$findings" '
	$1 == "ckpt-fuzz-dump-begin" { name = $2; b64 = dir "/" name ".b64"; printf "" > b64; next }
	$1 == "ckpt-fuzz-b64" && name != "" { print $2 >> b64; next }
	$1 == "ckpt-fuzz-dump-end" && name != "" {
		close(b64)
		system("base64 -d < \"" b64 "\" > \"" dir "/" name ".img\" && rm -f \"" b64 "\"")
		print dir "/" name ".img"
		name = ""
	}'

step "result"
# Kernel reports on the console.  The fuzzer runs outside the kselftest
# runner, so the verdict's count of kselftests does not apply.
"$TOP/harness/console-verdict.sh" "$console" |
	grep '^console: ' | grep -v 'no kselftest ran' || true
tr -d '\r' < "$console" | grep -aE '^(not )?ok [0-9]+ fuzz\.' || true
[ -z "${FUZZ_REPLAY:-}" ] || exit 0
rate=$(tr -d '\r' < "$console" | grep -aE 'images/s;' | tail -n 1)
[ -n "$rate" ] || die "the fuzzer did not finish (see $console)"
echo "${rate#\# }"
