#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# "make bench": checkpoint and restart of one process holding N MiB,
# of trees of small processes and of one process of many threads,
# checkpoint(2)/restart(2) against CRIU, in the bench VM (no debugging),
# next to the limits of copying the same bytes in that VM.
#
# Installs criu if missing, builds the bench kernel (build/obj-bench), the
# same kernel without CONFIG_CHECKPOINT (build/obj-nockpt) and the tools
# and kselftests against the bench kernel's headers (build/user-bench),
# packs an initramfs with criu and its libraries, boots it with
# ckpt.mode=bench (harness/bench-vm.sh runs there), then boots each
# kernel BENCH_OVERHEAD_BOOTS more times, alternately, with
# ckpt.mode=overhead for the overhead microbenchmarks, prints the tables
# of medians and writes them to build/bench.json and build/bench.svg.
#
#   BENCH_SIZES="64 256 1024"	MiB of touched memory
#   BENCH_TREES="64 512"	processes in each tree ("": no trees)
#   BENCH_THREADS=64		threads of the threaded process ("": none)
#   BENCH_FILES=1000		open files (and a tenth as many pipes)
#   BENCH_REPS=3		runs of each measurement (the median is kept)
#   BENCH_OVERHEAD_BOOTS=1	more boots of each kernel for the overhead
#				(0: no overhead comparison)
#   VM_MEM			the VM's MiB (default: enough for the sizes)
. "$(dirname "$0")/lib.sh"

sizes=${BENCH_SIZES:-64 256 1024}
trees=${BENCH_TREES-64 512}
threads=${BENCH_THREADS-64}
files=${BENCH_FILES-1000}
reps=${BENCH_REPS:-3}
boots=${BENCH_OVERHEAD_BOOTS:-1}
step() { printf '\n==> %s\n' "$*" >&2; }

step "dependencies"
WITH_CRIU=1 "$TOP/harness/deps.sh"
step "kernel tree"
"$TOP/harness/prepare-tree.sh"
step "bench kernel"
"$TOP/harness/build-kernel.sh" bench
# BENCH_OVERHEAD_BOOTS=0 leaves the overhead out, and its kernel.
if [ "$boots" -gt 0 ]; then
	step "bench kernel without CONFIG_CHECKPOINT"
	"$TOP/harness/build-kernel.sh" nockpt
fi
step "tools and kselftests"
"$TOP/harness/build-user.sh" bench

step "initramfs with criu"
# criu is not static: it comes with its libraries.
extra=$BUILD/bench-root
rm -rf "$extra"
mkdir -p "$extra/usr/sbin" "$extra/etc" "$extra/run" "$extra/var"
criu=$(command -v criu) || die "no criu after deps.sh"
install_with_libs "$criu" "$extra" /usr/sbin/criu
ln -s ../run "$extra/var/run"
printf 'SIZES="%s"\nTREES="%s"\nTHREADS="%s"\nFILES="%s"\nREPS=%s\n' \
	"$sizes" "$trees" "$threads" "$files" "$reps" > "$extra/etc/bench.conf"
initrd=$BUILD/initramfs-bench.cpio.gz
"$TOP/harness/mkinitramfs.sh" "$initrd" "$BUILD/user-bench/kselftest" \
	"$BUILD/user-bench/tools" "$extra"

# The workload, its image on tmpfs, the restored copy and the copy
# limit's two buffers and file must fit at once, for the largest size.
# The trees and threads need little: some 150 KiB a process.
max=0
for s in $sizes; do [ "$s" -gt "$max" ] && max=$s; done
mem=$((4 * max + 1024))
[ "$mem" -lt 2048 ] && mem=2048
export VM_MEM=${VM_MEM:-$mem}
# criu dumps and restores a tree process by process (ptrace and a
# parasite in each): in TCG, allow a few seconds a process and run.
ntree=0
for n in $trees; do ntree=$((ntree + n)); done
export VM_TIMEOUT=${VM_TIMEOUT:-$((3600 + 4 * ntree * reps))}

step "benchmark in QEMU ($VM_MEM MiB; sizes $sizes MiB, trees of ${trees:-no} processes, ${threads:-no} threads, ${files:-no} files; $reps runs each)"
console=$BUILD/console-bench.log
"$TOP/harness/run-vm.sh" "$BUILD/obj-bench/arch/x86/boot/bzImage" "$initrd" \
	bench "$console" | grep --line-buffered -aE '^(bench|ckpt-harness)' || true
grep -q 'ckpt-harness: done' "$console" ||
	die "the VM did not finish (see $console)"

# The overhead of CONFIG_CHECKPOINT=y: the same microbenchmarks on both
# kernels, alternately, so that drift between boots shows as noise.
logs=()
i=1
while [ "$i" -le "$boots" ]; do
	for flavour in nockpt bench; do
		step "overhead on the $flavour kernel, boot $i of $boots"
		log=$BUILD/console-overhead-$flavour-$i.log
		VM_MEM=1024 VM_TIMEOUT=1800 "$TOP/harness/run-vm.sh" \
			"$BUILD/obj-$flavour/arch/x86/boot/bzImage" "$initrd" \
			overhead "$log" | grep --line-buffered -aE '^(bench|ckpt-harness)' || true
		grep -q 'ckpt-harness: done' "$log" ||
			die "the VM did not finish (see $log)"
		logs+=("$log")
	done
	i=$((i + 1))
done

step "results"
python3 "$TOP/harness/bench-report.py" "$BUILD/bench.json" "$BUILD/bench.svg" \
	"$console" "${logs[@]}"
