#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run by /init with ckpt.mode=bench ("make bench", harness/bench.sh).
# Checkpoints and restarts one process that holds N MiB of touched
# memory, with checkpoint(2)/restart(2) and with CRIU, and times the
# limits: a memcpy of the same bytes and writing/reading them to/from
# a tmpfs file.  Every measurement is one console line
#	bench-result CONTENDER METRIC MIB REP VALUE
# that harness/bench-report.py turns into a table of medians.
# /etc/bench.conf (from bench.sh) may set SIZES (MiB) and REPS.

SIZES="64 256"
REPS=3
[ -f /etc/bench.conf ] && . /etc/bench.conf
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

B=/kselftest/checkpoint/bench_mem
T=/tmp/bench
NS=$T/ns

result() { echo "bench-result $*"; }
note() { echo "bench: $*"; }
problem() { echo "bench: problem: $*"; }

# wait_for PATTERN FILE: until FILE has a line matching PATTERN (60 s).
wait_for() {
	i=0
	while ! grep -q "$1" "$2" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.1
	done
}

# gone PID: until the process is reaped and its pid free again (60 s).
gone() {
	i=0
	while [ -d "/proc/$1" ]; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.1
	done
}

# start MIB LOG: start the workload, set $pid once it has filled its memory.
start() {
	$B hold "$1" < /dev/null > "$2" 2>&1 &
	pid=$!
	wait_for ': ready' "$2" || problem "workload $pid never got ready"
}

# verify CONTENDER MIB REP LOG: ask the restored process to check its
# memory, wait for its verdict and for it to exit.
verify() {
	if ! [ -d /proc/$pid ]; then
		problem "$1 $2 MiB run $3: no process $pid after the restart"
		result "$1" verified "$2" "$3" 0
		return
	fi
	kill -USR1 $pid
	wait_for ': verify' "$4"
	if grep -q ': verify ok' "$4"; then
		result "$1" verified "$2" "$3" 1
	else
		problem "$1 $2 MiB run $3: $(grep ': verify' "$4" || echo 'no verdict')"
		result "$1" verified "$2" "$3" 0
		kill -9 $pid 2>/dev/null
	fi
	gone $pid || problem "restored process $pid does not go away"
}

limits() {	# limits MIB REP
	# shellcheck disable=SC2046
	set -- "$1" "$2" $($B memcpy "$1")
	result limit memcpy_fresh_ns "$1" "$2" "$3"
	result limit memcpy_warm_ns "$1" "$2" "$4"
	result limit tmpfs_write_ns "$1" "$2" "$($B write "$1" $T/limit.dat)"
	result limit tmpfs_read_ns "$1" "$2" "$($B read "$1" $T/limit.dat)"
	rm -f $T/limit.dat
}

ours() {	# ours MIB REP
	log=$T/ours-$1-$2.log
	start "$1" "$log"
	if ! $B time $NS checkpoint --kill $pid > $T/image 2> $T/ckpt.err; then
		problem "ours $1 MiB run $2: checkpoint failed: $(cat $T/ckpt.err)"
		kill -9 $pid; wait $pid
		return
	fi
	wait $pid 2>/dev/null
	result ours checkpoint_ns "$1" "$2" "$(cat $NS)"
	result ours image_bytes "$1" "$2" "$(stat -c %s $T/image)"
	if ! $B time $NS restart --detach -f $T/image > $T/restart.out 2>&1; then
		problem "ours $1 MiB run $2: restart failed: $(cat $T/restart.out)"
		rm -f $T/image
		return
	fi
	result ours restart_ns "$1" "$2" "$(cat $NS)"
	[ "$(cat $T/restart.out)" = "$pid" ] ||
		problem "ours: restart printed '$(cat $T/restart.out)', not $pid"
	rm -f $T/image
	verify ours "$1" "$2" "$log"
}

criu_run() {	# criu_run MIB REP
	log=$T/criu-$1-$2.log
	dir=$T/criu
	rm -rf $dir
	mkdir -p $dir
	start "$1" "$log"
	if ! $B time $NS criu dump -t $pid -D $dir --shell-job -o dump.log; then
		problem "criu $1 MiB run $2: dump failed: $(grep -m 1 Error $dir/dump.log)"
		tail -n 20 $dir/dump.log | sed 's/^/bench: criu: /'
		kill -9 $pid; wait $pid
		return
	fi
	wait $pid 2>/dev/null
	result criu checkpoint_ns "$1" "$2" "$(cat $NS)"
	result criu image_bytes "$1" "$2" \
		"$(cat $dir/*.img | wc -c)"
	if ! $B time $NS criu restore -D $dir --shell-job -d -o restore.log; then
		problem "criu $1 MiB run $2: restore failed: $(grep -m 1 Error $dir/restore.log)"
		tail -n 20 $dir/restore.log | sed 's/^/bench: criu: /'
		kill -9 $pid 2>/dev/null
		gone $pid
		rm -rf $dir
		return
	fi
	result criu restart_ns "$1" "$2" "$(cat $NS)"
	rm -rf $dir
	verify criu "$1" "$2" "$log"
}

# What criu wants around it: a /run for its kernel-feature cache, and
# room in /tmp for the images of the largest size, twice over.
mkdir -p /run /var $T
mount -t tmpfs -o mode=755 tmpfs /run
ln -sfn /run /var/run
mount -o remount,size=90% /tmp

note "kernel $(uname -r), $(nproc) CPUs, $(free -m | awk '/^Mem:/ { print $2 }') MiB"
note "sizes: $SIZES MiB, $REPS runs each"
have_criu=0
if command -v criu > /dev/null; then
	note "$(criu --version | head -n 1)"
	have_criu=1
	# A failed check need not stop a plain dump: try it anyway.
	criu check > $T/criu-check.log 2>&1 || problem "criu check failed"
	sed 's/^/bench: criu check: /' $T/criu-check.log
	criu check --all 2>&1 | sed 's/^/bench: criu check --all: /'
else
	note "no criu in the initramfs: CRIU is left out"
fi

for mib in $SIZES; do
	rep=1
	while [ $rep -le "$REPS" ]; do
		note "$mib MiB, run $rep"
		limits "$mib" $rep
		ours "$mib" $rep
		[ $have_criu = 1 ] && criu_run "$mib" $rep
		rep=$((rep + 1))
	done
done
note "finished"
