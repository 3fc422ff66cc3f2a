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
#   FUZZ_JOBS=1		fuzzers side by side, sharing FUZZ_ITERS (one per
#			vCPU uses the VM's CPUs; their seeds follow FUZZ_SEED)
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
	echo "CKPT_FUZZ_JOBS=${FUZZ_JOBS:-1}"
	[ -z "${FUZZ_SEED:-}" ] || echo "CKPT_FUZZ_SEED=$FUZZ_SEED"
	[ -z "${FUZZ_REPLAY:-}" ] || echo "CKPT_FUZZ_REPLAY=/etc/replay.img"
} > "$extra/etc/fuzz.conf"
[ -z "${FUZZ_REPLAY:-}" ] || cp "$FUZZ_REPLAY" "$extra/etc/replay.img"
initrd=$BUILD/initramfs-fuzz.cpio.gz
"$TOP/harness/mkinitramfs.sh" "$initrd" "$user/kselftest" "$user/tools" "$extra"

step "fuzzing $iters images in QEMU"
export VM_TIMEOUT=${VM_TIMEOUT:-86400}
"$TOP/harness/run-vm.sh" "$kernel" "$initrd" fuzz "$console" |
	grep --line-buffered -aE '^(fuzz-job[0-9]+: )?(# |ok |not ok |ckpt-harness)' || true

step "reproducers"
mkdir -p "$findings"
# The lines of each job apart, by their prefix.
tr -d '\r' < "$console" | awk -v dir="$findings" '
	{ job = ""; if ($1 ~ /^fuzz-job[0-9]+:$/) { job = $1; sub(/^[^ ]+ /, "") } }
	$1 == "ckpt-fuzz-dump-begin" {
		name[job] = $2; b64[job] = dir "/" $2 ".b64"; printf "" > b64[job]; next
	}
	$1 == "ckpt-fuzz-b64" && name[job] != "" { print $2 >> b64[job]; next }
	$1 == "ckpt-fuzz-dump-end" && name[job] != "" {
		f = b64[job]; close(f)
		system("base64 -d < \"" f "\" > \"" dir "/" name[job] ".img\" && rm -f \"" f "\"")
		print dir "/" name[job] ".img"
		name[job] = ""
	}'

step "result"
# Kernel reports on the console.  The fuzzer runs outside the kselftest
# runner, so the verdict's count of kselftests does not apply.
"$TOP/harness/console-verdict.sh" "$console" |
	grep '^console: ' | grep -v 'no kselftest ran' || true
tr -d '\r' < "$console" | grep -aE '^(fuzz-job[0-9]+: )?(not )?ok [0-9]+ fuzz\.' || true
[ -z "${FUZZ_REPLAY:-}" ] || exit 0
# "# seed S: N images in T s, R images/s;", from each job.
rates=$(tr -d '\r' < "$console" | grep -aE 'images/s;')
[ "$(echo "$rates" | grep -c .)" -ge "${FUZZ_JOBS:-1}" ] ||
	die "the fuzzer did not finish (see $console)"
echo "$rates" | sed 's/^.*# //'
[ "${FUZZ_JOBS:-1}" -le 1 ] || echo "$rates" | awk '
	{ for (i = 1; i < NF; i++) {
		if ($(i + 1) == "images") n += $i
		if ($(i + 1) == "s,") if ($i > t) t = $i
	} }
	END { printf "all jobs: %d images in %.1f s, %.2f images/s\n", n, t, n / t }'
