#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make profile": where the kernel spends the time of checkpoint(2) and
# restart(2), by perf in the bench VM (harness/profile-vm.sh runs there).
# Installs linux-perf if missing, builds what "make bench" builds (the
# bench kernel, without debugging), packs perf and its libraries into
# the initramfs and boots it with ckpt.mode=profile.
#
#   PROFILE_WORKLOADS="tree512 threads64 256"	as bench-vm.sh names them
#   PROFILE_FOCUS="ckpt_mm_restore copy_process"	also the self time of
#					what runs under these functions
. "$(dirname "$0")/lib.sh"

workloads=${PROFILE_WORKLOADS:-tree512 threads64 256}
step() { printf '\n==> %s\n' "$*" >&2; }

step "dependencies"
WITH_PERF=1 "$TOP/harness/deps.sh"
step "kernel tree"
"$TOP/harness/prepare-tree.sh"
step "bench kernel"
"$TOP/harness/build-kernel.sh" bench
step "tools and kselftests"
"$TOP/harness/build-user.sh" bench

step "initramfs with perf"
extra=$BUILD/profile-root
rm -rf "$extra"
mkdir -p "$extra/usr/bin" "$extra/usr/share/ckpt" "$extra/etc"
perf=$(command -v perf) || die "no perf after deps.sh"
install_with_libs "$perf" "$extra" /usr/bin/perf
install -m 755 "$TOP/harness/profile-vm.sh" "$extra/usr/share/ckpt/profile-vm.sh"
printf 'WORKLOADS="%s"\nFOCUS="%s"\n' "$workloads" "${PROFILE_FOCUS:-}" \
	> "$extra/etc/profile.conf"
initrd=$BUILD/initramfs-profile.cpio.gz
"$TOP/harness/mkinitramfs.sh" "$initrd" "$BUILD/user-bench/kselftest" \
	"$BUILD/user-bench/tools" "$extra"

step "profile in QEMU ($workloads)"
console=$BUILD/console-profile.log
VM_MEM=${VM_MEM:-3072} "$TOP/harness/run-vm.sh" \
	"$BUILD/obj-bench/arch/x86/boot/bzImage" "$initrd" profile "$console" |
	grep --line-buffered -a '^prof:' || true
grep -q 'ckpt-harness: done' "$console" ||
	die "the VM did not finish (see $console)"
