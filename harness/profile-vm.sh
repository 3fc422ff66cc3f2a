#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run by /init with ckpt.mode=profile ("make profile", harness/profile.sh):
# for each workload of /etc/profile.conf (WORKLOADS, as bench-vm.sh
# names them: N MiB, treeN, threadsN, filesN), start it, checkpoint it
# with --kill and restart it under "perf record -a -g" (cpu-clock: the
# VM has no PMU), and print the kernel's hottest functions, by self time
# and with their callees (and, for each function of FOCUS, the self time
# of what runs under it), one "prof:" line each.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

WORKLOADS="tree512 threads64 256"
FOCUS=""
# shellcheck source=/dev/null
[ -f /etc/profile.conf ] && . /etc/profile.conf

B=/kselftest/checkpoint/bench_mem
T=/tmp/profile
mkdir -p $T
echo 0 > /proc/sys/kernel/kptr_restrict
echo -1 > /proc/sys/kernel/perf_event_paranoid

say() { echo "prof: $*"; }

report() {	# report WORKLOAD OP
	say "===== $1 $2: self"
	perf report -i "$T/$2.data" --stdio --no-children --sort sym -g none \
		--percent-limit 0.7 2>/dev/null | grep -v -e '^#' -e '^$' |
		head -n 40 | sed 's/^/prof: /'
	say "===== $1 $2: with callees"
	perf report -i "$T/$2.data" --stdio --children --sort sym -g none \
		--percent-limit 3 2>/dev/null | grep -v -e '^#' -e '^$' |
		head -n 60 | sed 's/^/prof: /'
	for f in $FOCUS; do
		say "===== $1 $2: self, under $f"
		perf report -i "$T/$2.data" --stdio --no-children --sort sym \
			-g none --parent="^$f\$" -x --percent-limit 0.3 \
			2>/dev/null | grep -v -e '^#' -e '^$' |
			head -n 40 | sed 's/^/prof: /'
	done
}

for w in $WORKLOADS; do
	log=$T/$w.log
	rm -rf $T/files
	case $w in
	tree*) $B tree "${w#tree}" ;;
	threads*) $B threads "${w#threads}" ;;
	files*) mkdir -p $T/files; $B files "${w#files}" $((${w#files} / 10)) $T/files ;;
	*) $B hold "$w" ;;
	esac < /dev/null > "$log" 2>&1 &
	pid=$!
	i=0
	while ! grep -q ': ready' "$log" && [ $i -lt 600 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	perf record -q -e cpu-clock -F 2000 -a -g -o $T/checkpoint.data -- \
		checkpoint --kill $pid > $T/image 2> $T/err ||
		say "$w: checkpoint failed: $(cat $T/err)"
	wait $pid
	sleep 2
	perf record -q -e cpu-clock -F 2000 -a -g -o $T/restart.data -- \
		restart --detach -f $T/image > $T/out 2>&1 ||
		say "$w: restart failed: $(cat $T/out)"
	report "$w" checkpoint
	report "$w" restart
	kill -USR1 $pid 2>/dev/null
	sleep 3
	kill -9 -$pid $pid 2>/dev/null
	pkill -9 bench_mem
	sleep 2
	rm -f $T/image $T/*.data
done
say "done"
