# SPDX-License-Identifier: GPL-2.0
#
# Build, boot and test the checkpoint/restart series.  See README.md.

H := harness

.PHONY: help check demo shell bench profile fuzz load series tree refresh kernel deps clean

help:
	@echo "make check    build the debug kernel and run every test (CI)"
	@echo "make demo     boot the VM and show checkpoint and restart"
	@echo "make shell    boot the VM to a shell (leave with 'reboot -f')"
	@echo "make bench    time checkpoint/restart against CRIU (build/bench.json, .svg)"
	@echo "make profile  perf profile of checkpoint/restart in the bench VM"
	@echo "make fuzz     fuzz restart(2) in the debug VM (build/fuzz-findings/)"
	@echo "make load     the long busy-tree load test in the debug VM"
	@echo "make series   write the patch series to build/series/ and checkpatch it"
	@echo "make tree     unpack and patch the kernel tree in build/"
	@echo "make refresh  take edits made in the tree back into patches/"
	@echo "make kernel   build the debug kernel only"

check:
	$(H)/check.sh

demo: kernel
	$(H)/build-user.sh debug
	$(H)/mkinitramfs.sh build/initramfs-demo.cpio.gz build/user-debug/kselftest build/user-debug/tools
	VM_TIMEOUT=600 $(H)/run-vm.sh build/obj-debug/arch/x86/boot/bzImage build/initramfs-demo.cpio.gz demo build/console-demo.log

shell: kernel
	$(H)/build-user.sh debug
	$(H)/mkinitramfs.sh build/initramfs-shell.cpio.gz build/user-debug/kselftest build/user-debug/tools
	$(H)/run-vm.sh build/obj-debug/arch/x86/boot/bzImage build/initramfs-shell.cpio.gz shell

# BENCH_SIZES="64 256 1024" BENCH_TREES="64 512" BENCH_THREADS=64
# BENCH_FILES=1000 BENCH_REPS=3 BENCH_OVERHEAD_BOOTS=1:
# see harness/bench.sh.
bench:
	$(H)/bench.sh

# Where the kernel spends checkpoint and restart of some workloads, by
# perf in the bench VM (PROFILE_WORKLOADS="tree512 threads64 256"); see
# harness/profile.sh.
profile:
	$(H)/profile.sh

# FUZZ_ITERS=100000 FUZZ_SEED=N FUZZ_JOBS=2: see harness/fuzz.sh.
fuzz: kernel
	$(H)/fuzz.sh

# LOAD_ROUNDS=1000: see harness/load.sh.
load: kernel
	$(H)/load.sh

series: tree
	$(H)/series.sh

deps:
	$(H)/deps.sh

tree: deps
	$(H)/prepare-tree.sh

refresh:
	$(H)/refresh.sh $(if $(TO),--to $(TO))

kernel: tree
	$(H)/build-kernel.sh debug

clean:
	rm -rf build
