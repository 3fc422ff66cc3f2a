#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test command: install what is missing, build the debug kernel,
# the tools and the kselftests, run the kselftests in QEMU and check
# the console; then the host checks (checkpatch on the series, the
# CONFIG_CHECKPOINT=n build, W=1 and sparse on our code).
# Prints "N passed, N failed" last; exits non-zero on any failure.
. "$(dirname "$0")/lib.sh"

step() { printf '\n==> %s\n' "$*" >&2; }
passed=0 failed=0
host_check() {	# host_check NAME COMMAND...: one test of its own
	local name=$1
	shift
	if "$@" > "$BUILD/host-$name.log" 2>&1; then
		passed=$((passed + 1))
		echo "ok host: $name"
	else
		failed=$((failed + 1))
		echo "not ok host: $name (see build/host-$name.log)"
		tail -n 20 "$BUILD/host-$name.log"
	fi
}

step "dependencies"
"$TOP/harness/deps.sh"
step "kernel tree"
"$TOP/harness/prepare-tree.sh"
step "debug kernel"
"$TOP/harness/build-kernel.sh" debug
step "tools and kselftests"
"$TOP/harness/build-user.sh" debug
"$TOP/harness/mkinitramfs.sh" "$BUILD/initramfs-check.cpio.gz" \
	"$BUILD/user-debug/kselftest" "$BUILD/user-debug/tools"

step "kselftests in QEMU"
console=$BUILD/console-check.log
"$TOP/harness/run-vm.sh" "$BUILD/obj-debug/arch/x86/boot/bzImage" \
	"$BUILD/initramfs-check.cpio.gz" check "$console" > /dev/null || true
verdict=$("$TOP/harness/console-verdict.sh" "$console")
echo "$verdict" | grep -vE '^(PASSED|FAILED|SKIPPED) ' || true
passed=$((passed + $(echo "$verdict" | sed -n 's/^PASSED //p')))
failed=$((failed + $(echo "$verdict" | sed -n 's/^FAILED //p')))
skipped=$(echo "$verdict" | sed -n 's/^SKIPPED //p')

step "host checks"
host_check series-checkpatch "$TOP/harness/series.sh"
host_check ckptinfo make -C "$TOP/tools/checkpoint" OUTPUT="$BUILD/ckptinfo-check" \
	KHDR_INCLUDES="-isystem $BUILD/obj-debug/usr/include" check
host_check w1-sparse "$TOP/harness/check-warnings.sh" debug
# With CONFIG_CHECKPOINT=n: every object our edits touch (FULL_NOCKPT=1
# builds the whole kernel instead).
if [ "${FULL_NOCKPT:-0}" = 1 ]; then
	host_check nocheckpoint-build "$TOP/harness/build-kernel.sh" nockpt
else
	host_check nocheckpoint-build "$TOP/harness/build-kernel.sh" nockpt \
		--objects kernel/sys_ni.o arch/x86/entry/syscall_64.o \
		kernel/fork.o kernel/signal.o init/main.o mm/mmap.o \
		kernel/time/hrtimer.o kernel/time/posix-timers.o kernel/futex/waitwake.o fs/select.o
fi

echo "console log: $console"
[ "$skipped" -gt 0 ] && echo "$skipped skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
