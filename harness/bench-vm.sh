#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run by /init with ckpt.mode=bench ("make bench", harness/bench.sh).
# Checkpoints and restarts, with checkpoint(2)/restart(2) and with CRIU,
# these workloads of tools/testing/selftests/checkpoint/bench_mem.c:
#	N		one process that holds N MiB of touched memory, next
#			to the limits: a memcpy of the same bytes and
#			writing/reading them to/from a tmpfs file; and a
#			checkpoint that lets it go on, for how long it was
#			frozen (its heartbeat thread's longest gap)
#	treeN		a tree of N processes with a few pages each
#	threadsN	one process of N threads with a few pages each
#	filesN		one process with N open files and N/10 pipes
# Every measurement is one console line
#	bench-result CONTENDER METRIC WORKLOAD REP VALUE
# that harness/bench-report.py turns into a table of medians.  Then the
# overhead microbenchmarks (bench_mem overhead), REPS runs, one line
#	bench-overhead KERNEL OP REP NS
# each, KERNEL y or n as the kernel has checkpoint(2) or not.  With
# ckpt.mode=overhead /init runs only those ("bench-vm.sh overhead"), on
# the kernel built without CONFIG_CHECKPOINT too.
# /etc/bench.conf (from bench.sh) may set SIZES (MiB), TREES, THREADS
# and FILES (numbers of processes, threads and files; empty: none) and
# REPS.

SIZES="64 256"
TREES="64 512"
THREADS="64"
FILES="1000"
REPS=3
# shellcheck source=/dev/null
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

# what WORKLOAD: the workload as messages name it.
what() {
	case $1 in
	tree*) echo "tree of ${1#tree} processes" ;;
	threads*) echo "${1#threads} threads" ;;
	files*) echo "${1#files} files and $((${1#files} / 10)) pipes" ;;
	*) echo "$1 MiB" ;;
	esac
}

# group_pids PGID: the processes of process group PGID, zombies too.
group_pids() {
	cat /proc/[0-9]*/stat 2>/dev/null |
		awk -v g="$1" '{ p = $1; sub(/.*\) /, ""); if ($3 == g) print p }'
}

# members WORKLOAD: the pids of a tree's processes (its root leads their
# process group), the tids of the threads of one process, or the pid of
# the one process.
members() {
	case $1 in
	tree*) group_pids $pid ;;
	threads*) ls /proc/$pid/task ;;
	*) echo $pid ;;
	esac
}

# alive WORKLOAD: is a process of the workload left, if only a zombie?
alive() {
	[ -d /proc/$pid ] && return 0
	case $1 in
	tree*)
		[ -n "$(group_pids $pid)" ] && return 0
		while read -r p; do
			[ -d "/proc/$p" ] && return 0
		done < $T/members
		;;
	esac
	return 1
}

# gone WORKLOAD: until all of the workload is reaped (by this shell or
# by /init) and its pids are free again (60 s).
gone() {
	i=0
	while alive "$1"; do
		i=$((i + 1))
		[ $i -gt 600 ] && return 1
		sleep 0.1
	done
}

# finish WORKLOAD: kill what is left of the workload and wait until it
# is all reaped.
finish() {
	case $1 in
	tree*)
		# shellcheck disable=SC2046
		kill -9 $pid $(cat $T/members) $(group_pids $pid) 2>/dev/null
		;;
	*) kill -9 $pid 2>/dev/null ;;
	esac
	wait $pid 2>/dev/null
	gone "$1" || problem "the processes of $(what "$1") do not go away"
}

# start WORKLOAD LOG: start the workload, set $pid once all of it is
# there and has filled its memory, and list its pids (tids for threads)
# in $T/members.  Fails, with the workload killed, if it never got ready.
start() {
	case $1 in
	tree*) $B tree "${1#tree}" < /dev/null > "$2" 2>&1 & ;;
	threads*) $B threads "${1#threads}" < /dev/null > "$2" 2>&1 & ;;
	files*)
		# The files of the last run may be those of its restored
		# process, which is gone now.
		rm -rf $T/files
		mkdir -p $T/files
		$B files "${1#files}" $((${1#files} / 10)) $T/files \
			< /dev/null > "$2" 2>&1 &
		;;
	*) $B hold "$1" < /dev/null > "$2" 2>&1 & ;;
	esac
	pid=$!
	echo $pid > $T/members
	if ! wait_for ': ready' "$2"; then
		problem "workload $pid ($(what "$1")) never got ready: $(head -n 3 "$2" | tr '\n' ' ')"
		finish "$1"
		return 1
	fi
	members "$1" > $T/members
}

# missing WORKLOAD: how many of the pids or tids in $T/members are not
# there (after a restart).
missing() {
	n=0
	while read -r p; do
		case $1 in
		threads*) [ -d "/proc/$pid/task/$p" ] || n=$((n + 1)) ;;
		*) [ -d "/proc/$p" ] || n=$((n + 1)) ;;
		esac
	done < $T/members
	echo $n
}

# verify CONTENDER WORKLOAD REP LOG: check that every process and thread
# is back with its pid or tid, ask the restored workload to check its
# memory (the root of a tree passes the request down, and each process
# checks its pids and reaps its children), wait for its verdict and for
# all of it to exit.
verify() {
	if ! [ -d /proc/$pid ]; then
		problem "$1 $(what "$2") run $3: no process $pid after the restart"
		result "$1" verified "$2" "$3" 0
		finish "$2"
		return
	fi
	lost=$(missing "$2")
	if [ "$lost" != 0 ]; then
		problem "$1 $(what "$2") run $3: $lost of $(wc -l < $T/members) pids or tids not back after the restart"
		result "$1" verified "$2" "$3" 0
		finish "$2"
		return
	fi
	kill -USR1 $pid
	wait_for ': verify' "$4"
	if grep -q ': verify ok' "$4"; then
		result "$1" verified "$2" "$3" 1
	else
		problem "$1 $(what "$2") run $3: $(grep ': verify' "$4" || echo 'no verdict')"
		grep -e ': tree process' -e ': thread ' "$4" | head -n 5 |
			sed "s/^/bench: problem: $1 $(what "$2") run $3: /"
		result "$1" verified "$2" "$3" 0
		finish "$2"
	fi
	gone "$2" || problem "restored workload $pid does not go away"
}

# timed CONTENDER OP WORKLOAD REP: the results of the last "bench_mem
# time": OP's wall time and the most memory it used for itself.
timed() {
	read -r ns extra < $NS
	result "$1" "$2_ns" "$3" "$4" "$ns"
	result "$1" "$2_extra_bytes" "$3" "$4" "$extra"
}

# gap N LOG: the Nth heartbeat report of the "hold" process $pid, in ns.
gap() {
	kill -USR2 $pid
	wait_for ": gap $1 " "$2" || return 1
	sed -n "s/^.*: gap $1 \([0-9]*\)\$/\1/p" "$2"
}

# frozen CONTENDER MIB REP: checkpoint the process holding MIB MiB and
# let it go on; its heartbeat tells how long it did not run.
frozen() {
	log=$T/$1-frozen-$2-$3.log
	dir=$T/criu
	start "$2" "$log" || return
	if ! gap 1 "$log" > /dev/null; then
		problem "$1 $2 MiB run $3: no heartbeat"
		finish "$2"
		return
	fi
	case $1 in
	ours) $B time $NS checkpoint $pid > $T/image 2> $T/ckpt.err ;;
	criu)
		rm -rf $dir
		mkdir -p $dir
		$B time $NS criu dump -t $pid -D $dir --shell-job \
			--leave-running -o dump.log 2> $T/ckpt.err
		;;
	esac
	ok=$?
	rm -rf $T/image $dir
	if [ $ok != 0 ]; then
		problem "$1 $2 MiB run $3: checkpoint that goes on failed: $(cat $T/ckpt.err)"
	elif ! g=$(gap 2 "$log") || [ -z "$g" ]; then
		problem "$1 $2 MiB run $3: no heartbeat after the checkpoint"
	else
		timed "$1" continue "$2" "$3"
		result "$1" frozen_ns "$2" "$3" "$g"
	fi
	finish "$2"
}

# overhead REP: the microbenchmarks of the paths the series touches.
overhead() {
	$B overhead > $T/overhead.out 2>&1 ||
		problem "bench_mem overhead failed: $(tail -n 1 $T/overhead.out)"
	k=$(sed -n 's/^overhead checkpoint \([yn]\)$/\1/p' $T/overhead.out)
	grep '^overhead ' $T/overhead.out | grep -v '^overhead checkpoint ' |
	while read -r _ op ns; do
		echo "bench-overhead $k $op $1 $ns"
	done
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

ours() {	# ours WORKLOAD REP
	log=$T/ours-$1-$2.log
	start "$1" "$log" || return
	if ! $B time $NS checkpoint --kill $pid > $T/image 2> $T/ckpt.err; then
		problem "ours $(what "$1") run $2: checkpoint failed: $(cat $T/ckpt.err)"
		finish "$1"
		return
	fi
	wait $pid 2>/dev/null
	timed ours checkpoint "$1" "$2"
	result ours image_bytes "$1" "$2" "$(stat -c %s $T/image)"
	# The pids are taken again only once the last zombie is reaped.
	gone "$1" || problem "ours $(what "$1") run $2: the checkpointed processes do not go away"
	if ! $B time $NS restart --detach -f $T/image > $T/restart.out 2>&1; then
		problem "ours $(what "$1") run $2: restart failed: $(cat $T/restart.out)"
		rm -f $T/image
		finish "$1"
		return
	fi
	timed ours restart "$1" "$2"
	[ "$(cat $T/restart.out)" = "$pid" ] ||
		problem "ours: restart printed '$(cat $T/restart.out)', not $pid"
	rm -f $T/image
	verify ours "$1" "$2" "$log"
}

criu_run() {	# criu_run WORKLOAD REP
	log=$T/criu-$1-$2.log
	dir=$T/criu
	rm -rf $dir
	mkdir -p $dir
	start "$1" "$log" || return
	if ! $B time $NS criu dump -t $pid -D $dir --shell-job -o dump.log; then
		problem "criu $(what "$1") run $2: dump failed: $(grep -m 1 Error $dir/dump.log)"
		tail -n 20 $dir/dump.log | sed 's/^/bench: criu: /'
		finish "$1"
		return
	fi
	wait $pid 2>/dev/null
	timed criu checkpoint "$1" "$2"
	result criu image_bytes "$1" "$2" \
		"$(cat $dir/*.img | wc -c)"
	gone "$1" || problem "criu $(what "$1") run $2: the dumped processes do not go away"
	if ! $B time $NS criu restore -D $dir --shell-job -d -o restore.log; then
		problem "criu $(what "$1") run $2: restore failed: $(grep -m 1 Error $dir/restore.log)"
		tail -n 20 $dir/restore.log | sed 's/^/bench: criu: /'
		finish "$1"
		rm -rf $dir
		return
	fi
	timed criu restart "$1" "$2"
	rm -rf $dir
	verify criu "$1" "$2" "$log"
}

# overheads: the REPS runs of the overhead microbenchmarks.
overheads() {
	rep=1
	while [ $rep -le "$REPS" ]; do
		overhead $rep
		rep=$((rep + 1))
	done
}

mkdir -p $T
if [ "${1:-}" = overhead ]; then
	note "kernel $(uname -r): overhead only, $REPS runs"
	overheads
	note "finished"
	exit 0
fi

# What criu wants around it: a /run for its kernel-feature cache, and
# room in /tmp for the images of the largest size, twice over.
mkdir -p /run /var
mount -t tmpfs -o mode=755 tmpfs /run
ln -sfn /run /var/run
mount -o remount,size=90% /tmp

note "kernel $(uname -r), $(nproc) CPUs, $(free -m | awk '/^Mem:/ { print $2 }') MiB"
note "sizes: $SIZES MiB, $REPS runs each"
note "workloads: trees of ${TREES:-no} processes, ${THREADS:-no} threads, ${FILES:-no} files"
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
		frozen ours "$mib" $rep
		if [ $have_criu = 1 ]; then
			criu_run "$mib" $rep
			frozen criu "$mib" $rep
		fi
		rep=$((rep + 1))
	done
done

# The trees and threads, which have no copy limits to compare with.
others=
for n in $TREES; do others="$others tree$n"; done
for n in $THREADS; do others="$others threads$n"; done
for n in $FILES; do others="$others files$n"; done
for w in $others; do
	rep=1
	while [ $rep -le "$REPS" ]; do
		note "$(what "$w"), run $rep"
		ours "$w" $rep
		[ $have_criu = 1 ] && criu_run "$w" $rep
		rep=$((rep + 1))
	done
done

overheads
note "finished"
