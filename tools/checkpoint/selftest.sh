#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tests of the checkpoint tools, run by "make check":
#  - ckptinfo on every image of "mkimage -l": the errno and offset of the
#    first problem, in --validate, text and --json mode;
#  - ckptinfo on every truncation of a valid image, on the image with each
#    byte flipped in turn, and on randomly damaged images (FUZZ=N of them):
#    it must say valid or invalid, the same in every mode, and never crash.
#    Inside page contents, XSAVE state, siginfo padding, the signal
#    actions left all zero and the resource limits of every task but the
#    first (mkimage -P), whose bytes are all alike to a reader, only the
#    first and last bytes of each run and a sample between are tried;
#  - the command lines of checkpoint and restart, and of cr_checkpoint,
#    cr_restart and cr_run;
#  - --relocate OLD=NEW of restart and cr_restart, on images relocimage
#    rewrites as they hand them to restart(2): the paths, lengths, tail
#    and file identities written, what must stay byte for byte, on every
#    image of "mkimage -l" the same verdict of ckptinfo.
# On a kernel with checkpoint/restart, restart --validate must also agree
# with ckptinfo on every image of "mkimage -l".
#
# Usage: selftest.sh [BINDIR]

set -u
bin=${1:-.}
fuzz=${FUZZ:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Sanitizer builds: make a report fail the test, not pass for an exit 1.
export ASAN_OPTIONS=exitcode=99
export UBSAN_OPTIONS=halt_on_error=1:exitcode=98:print_stacktrace=1

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

# run_info IMG MODE...: run ckptinfo; sets rc, and what=ERRNO OFFSET or "-".
run_info() {
	local img=$1
	shift
	local line re='^ckptinfo: .*: offset ([0-9]+): record [0-9]+ \(.*\): .* \(([A-Z0-9]+)\)$'

	"$bin/ckptinfo" "$@" "$img" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	what=-
	if [ -s "$tmp/err" ]; then
		IFS= read -r line <"$tmp/err"
		[[ $line =~ $re ]] && what="${BASH_REMATCH[2]} ${BASH_REMATCH[1]}"
	fi
}

# sane NAME: ckptinfo exited 0 or 1 with nothing but its own words on stderr
sane() {
	if [ "$rc" -gt 1 ]; then
		fail "$1: ckptinfo exited $rc"
		sed 's/^/	/' "$tmp/err" | head -20
		return 1
	fi
	if [ "$rc" = 1 ] && [ "$what" = - ]; then
		fail "$1: no problem reported: $(cat "$tmp/err")"
		return 1
	fi
	if [ "$rc" = 0 ] && [ -s "$tmp/err" ]; then
		fail "$1: valid, yet says: $(cat "$tmp/err")"
		return 1
	fi
	return 0
}

# check_modes NAME IMG: text and JSON agree with --validate.
check_modes() {
	local name=$1 img=$2 want_rc want_what valid

	run_info "$img" -c
	sane "$name -c" || return
	[ -s "$tmp/out" ] && fail "$name -c: printed $(head -c 100 "$tmp/out")"
	want_rc=$rc
	want_what=$what

	run_info "$img"
	if sane "$name text" && [ "$rc/$what" != "$want_rc/$want_what" ]; then
		fail "$name text: $rc $what, -c said $want_rc $want_what"
	fi
	if [ "$rc" = 0 ] && ! tail -n 1 "$tmp/out" | grep -q '^valid image'; then
		fail "$name text: no 'valid image' line"
	fi

	run_info "$img" --json
	if sane "$name json" && [ "$rc/$what" != "$want_rc/$want_what" ]; then
		fail "$name json: $rc $what, -c said $want_rc $want_what"
	fi
	valid=$([ "$want_rc" = 0 ] && echo true || echo false)
	if ! jq -e --argjson v "$valid" '.valid == $v and (.records | type == "array")' \
		"$tmp/out" >/dev/null 2>&1; then
		fail "$name json: not the JSON expected"
		head -c 300 "$tmp/out"
		echo
		return
	fi
	pass
}

# 1. The cases of mkimage: errno and offset, in every mode
"$bin/mkimage" -l >"$tmp/cases" || fail "mkimage -l"
while read -r name err errnum off; do
	img=$tmp/$name.img
	"$bin/mkimage" "$name" >"$img" || { fail "mkimage $name"; continue; }
	run_info "$img" -c
	sane "$name" || continue
	if [ "$err" = - ]; then
		[ "$rc" = 0 ] && pass || fail "$name: valid image refused: $(cat "$tmp/err")"
	elif [ "$rc" != 1 ] || [ "$what" != "$err $off" ]; then
		fail "$name: want $err at offset $off, got: $(cat "$tmp/err")"
	else
		pass
	fi
	check_modes "$name" "$img"
	if [ "$err" != - ]; then
		jq -e --arg e "$err" --argjson o "$off" \
			'.error.errno == $e and .error.offset == $o' "$tmp/out" \
			>/dev/null 2>&1 && pass || fail "$name json: wrong error object"
	fi
done <"$tmp/cases"

# From standard input
"$bin/ckptinfo" -c <"$tmp/good.img" && pass || fail "stdin: good refused"
"$bin/ckptinfo" -c - <"$tmp/magic.img" 2>"$tmp/err"
[ $? = 1 ] && grep -q '^ckptinfo: <stdin>: offset 11: ' "$tmp/err" && pass ||
	fail "stdin: $(cat "$tmp/err")"
cat "$tmp/good.img" | "$bin/ckptinfo" --json | jq -e '.valid and (.records | length) == 76' \
	>/dev/null && pass || fail "pipe: good"

# What is printed of memory: never page contents; checksums with --pages
"$bin/ckptinfo" "$tmp/good.img" >"$tmp/out"
grep -q '^    addr 0x404000 nr_pages 2$' "$tmp/out" && pass || fail "text: pages record"
grep -qxF '    timeout_ns         3000000000  (left at the checkpoint)' "$tmp/out" &&
	pass || fail "text: restart_block record"
grep -q '^    000000400000-000000402000 r-xp 0x0075 file "/usr/bin/dash" (ino 131075 ' \
	"$tmp/out" && pass || fail "text: vma record"
"$bin/ckptinfo" --pages "$tmp/good.img" | grep -c '^      [0-9a-f]\{12\} [0-9a-f]\{8\}$' |
	grep -qx 6 && pass || fail "text --pages: 6 checksums"
"$bin/ckptinfo" --json --pages "$tmp/good.img" |
	jq -e '[.records[] | select(.type == "pages") | .checksums | length] == [1, 2, 1, 1, 1]
	       and ([.records[] | select(.type == "x86_regs")][0].cs == "0x33")
	       and ([.records[] | select(.type == "x86_xstate")][0].size == 832)
	       and ([.records[] | select(.type == "mm")][0].exe == "/usr/bin/dash")
	       and ([.records[] | select(.type == "vma")][1].path == "/usr/bin/dash")' \
	>/dev/null && pass || fail "json --pages: memory and registers"
# Signals: handlers, pending signals, and the state of each task after its
# architecture records
line='handler 0x401b00 flags 0x14000004 restorer 0x401f00 mask 0x4800'
grep -qxF "    SIGUSR1            $line  (SA_SIGINFO|SA_RESTORER|SA_RESTART)" "$tmp/out" &&
	pass || fail "text: sighand record"
line='SIGRTMIN+2 (34) errno 0 code -1 (SI_QUEUE) pid 103 uid 1001 value 0x2a'
grep -qxF "    pending 0          $line" "$tmp/out" && pass || fail "text: task_signals record"
"$bin/ckptinfo" --json "$tmp/good.img" |
	jq -e '[.records[] | select(.type == "sighand") | .actions | length] == [5, 4, 0]
	       and ([.records[] | select(.type == "sighand")][0].actions[2] ==
		    {signal: 10, name: "SIGUSR1", handler: "0x401b00", flags: "0x14000004",
		     restorer: "0x401f00", mask: "0x4800"})
	       and ([.records[] | select(.type == "signal") | .nr_pending] == [1, 1, 0])
	       and ([.records[] | select(.type == "signal") | [.it_real_value, .it_real_interval]]
		    == [[2500000000, 0], [300000000, 1000000000], [0, 0]])
	       and ([.records[] | select(.type == "signal")][0].pending ==
		    [{signo: 12, name: "SIGUSR2", errno: 0, code: 0, code_name: "SI_USER",
		      pid: 102, uid: 1000}])
	       and ([.records[] | select(.type == "task") | [.sighand_ref, .signal_ref]] ==
		    [[3, 4], [3, 4], [13, 14], [22, 23], [22, 23]])
	       and ([.records[] | select(.type == "task_signals")][0] |
		    .altstack_sp == "0x7f0012300000" and .altstack_size == "0x8000"
		    and .altstack_flags == "0x80000000" and .blocked == "0x800")
	       and ([.records[].type] as $t | [range($t | length) | select($t[.] == "x86_xstate")]
		    | map($t[. + 1]) == ["task_signals", "restart_block", "restart_block",
					 "task_signals", "task_signals"])' \
	>/dev/null && pass || fail "json: signal records"
# POSIX timers: sudo's, after its restart block and before its signal
# state, one with its signal pending in the signal record of its process
line='1700000060000000000  (expires at 2023-11-14 22:14:20.000000000 UTC)'
grep -qxF "      value            $line" "$tmp/out" && pass || fail "text: posix_timers record"
line='SIGRTMIN+3 (35) errno 0 code -2 (SI_TIMER) timer 3 overrun 0 value 0x3 sys_private 0'
grep -qxF "    pending 0          $line" "$tmp/out" && pass || fail "text: SI_TIMER siginfo"
"$bin/ckptinfo" --json "$tmp/good.img" |
	jq -e '([.records[].type] as $t | [range($t | length) | select($t[.] == "posix_timers")]
		| map([$t[. - 1], $t[. + 1]]) == [["restart_block", "task_signals"]])
	       and ([.records[] | select(.type == "posix_timers")][0] |
		    .nr_timers == 2 and .next_id == 4
		    and (.timers | map(.id)) == [0, 3]
		    and .timers[0].clock == "CLOCK_REALTIME" and .timers[0].flags == "0x1"
		    and .timers[0].signal == "SIGALRM" and .timers[0].overrun == -1
		    and .timers[1] == {id: 3, clockid: 1, clock: "CLOCK_MONOTONIC", notify: 0,
				       notify_name: "SIGEV_SIGNAL", signo: 35,
				       signal: "SIGRTMIN+3", notify_tid: 0, flags: "0x2",
				       sigval: "0x3", value: 150000000, interval: 250000000,
				       overrun: 2, overrun_last: 0, requeue: 3})
	       and ([.records[] | select(.type == "signal")][1].pending ==
		    [{signo: 35, name: "SIGRTMIN+3", errno: 0, code: -2, code_name: "SI_TIMER",
		      value: "0x3", timer: 3, overrun: 0, sys_private: 0}])' \
	>/dev/null && pass || fail "json: posix_timers record"
"$bin/mkimage" timers_thread_id | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "posix_timers")][1].timers |
	       map([.notify_name, .notify_tid, .clock]) ==
	       [["SIGEV_THREAD_ID", 103, "CLOCK_MONOTONIC"],
		["SIGEV_THREAD_ID", 104, "CLOCK_THREAD_CPUTIME_ID"]]' \
	>/dev/null && pass || fail "json: SIGEV_THREAD_ID timers"
"$bin/mkimage" timers_sigev_none | "$bin/ckptinfo" |
	grep -qxF '      signo            0  (not a signal, not sent: SIGEV_NONE)' &&
	pass || fail "text: SIGEV_NONE timer"
# the sequence number older kernels saved in a pending SI_TIMER siginfo
"$bin/mkimage" timers_periodic_pending | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "signal")][2].pending[0] |
	       .code_name == "SI_TIMER" and .timer == 1 and .sys_private == 5' \
	>/dev/null && pass || fail "json: SI_TIMER siginfo of an older kernel"
# a periodic timer set again while its signal is pending runs: no wait
"$bin/mkimage" timers_pending_set_again | "$bin/ckptinfo" >"$tmp/out2"
grep -qxF '      value            30000000  (0.030000000 s left)' "$tmp/out2" &&
	grep -qxF '      requeue          4' "$tmp/out2" &&
	pass || fail "text: timer set again while its signal is pending"
# Files: the open files before the descriptor table that holds them, the
# terminal shared by the three processes, a dup()ed descriptor, the
# working directory; threads share their leader's
grep -qxF '    f_flags            0x8401  (O_WRONLY|O_APPEND|O_LARGEFILE)' "$tmp/out" &&
	pass || fail "text: file record"
grep -qxF '    fd 10              file_ref 6 flags 0x1  (close-on-exec)' "$tmp/out" &&
	pass || fail "text: files record"
"$bin/ckptinfo" --json "$tmp/good.img" |
	jq -e '([.records[] | select(.type == "task") | [.files_ref, .fs_ref]] ==
		[[9, 10], [9, 10], [18, 19], [29, 30], [29, 30]])
	       and ([.records[] | select(.type == "file") | .kind] ==
		    ["inherit", "reg", "dir", "chr", "reg", "dir", "chr", "pipe", "reg",
		     "dir", "chr"])
	       and ([.records[] | select(.type == "files") | [.fds[] | .file_ref]] ==
		    [[5, 5, 5, 6, 7, 8, 6], [5, 5, 5, 15, 16, 17, 15],
		     [25, 5, 5, 26, 27, 28, 26]])
	       and ([.records[] | select(.type == "file")][1] |
		    .objref == 6 and .pos == 18734 and .mode == "0100600"
		    and .path == "/home/user/.sh_history")
	       and ([.records[] | select(.type == "file")][3] |
		    .kind_num == 3 and .rdev == "0x103" and .path == "/dev/null")
	       and ([.records[] | select(.type == "file")][8].path ==
		    "/srv/data/r\u00e9sum\u00e9.txt")
	       and ([.records[] | select(.type == "fs") | [.umask, .cwd, .root]] ==
		    [["022", "/home/user", "/"], ["022", "/home/user", "/"],
		     ["077", "/srv/data", "/"]])
	       and ([.records[].type] as $t | [range($t | length) | select($t[.] == "task")]
		    | map($t[. - 1]) == ["fs", "task_attrs", "fs", "fs", "task_attrs"])' \
	>/dev/null && pass || fail "json: file records"
# Pipes: cat's standard input, the read end of a pipe whose writer exited,
# the pipe just before it, with its data
pipe_line='    data               6c696e6520310a6c696e6520320a00ff'
pipe_line="$pipe_line  |line 1.line 2...|  (the first 16 of 20 bytes)"
grep -qxF "$pipe_line" "$tmp/out" && pass || fail "text: pipe record"
"$bin/ckptinfo" --json "$tmp/good.img" |
	jq -e '([.records[] | select(.type == "pipe")] ==
		[{index: 58, offset: 39336, type: "pipe", type_num: 403, len: 52, objref: 24,
		  size: 65536, ends: "0x1", nr_bytes: 20, data: "6c696e6520310a6c696e6520320a00ff",
		  data_text: "line 1.line 2...", data_shown: 16}])
	       and ([.records[] | select(.type == "file") | .pipe_ref] ==
		    [0, 0, 0, 0, 0, 0, 0, 24, 0, 0, 0])
	       and ([.records[].type] as $t | [range($t | length) | select($t[.] == "pipe")]
		    | map($t[. + 1]) == ["file"])' \
	>/dev/null && pass || fail "json: pipe record"
"$bin/mkimage" pipe_both_ends | "$bin/ckptinfo" --json |
	jq -e '([.records[] | select(.type == "pipe") | [.objref, .ends]] == [[18, "0x3"]])
	       and ([.records[] | select(.type == "file" and .kind == "pipe") |
		     [.objref, .pipe_ref, .f_flags]] == [[19, 18, "0x1"], [26, 18, "0x0"]])' \
	>/dev/null && pass || fail "json: a pipe between two processes"
"$bin/mkimage" pipe_empty | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "pipe")][0] |
	       .nr_bytes == 0 and .data == "" and .data_shown == 0 and .size == 4096' \
	>/dev/null && pass || fail "json: an empty pipe"

# A regular file with its size and modification time, a file of procfs
grep -qxF '    mtime_sec          1700000000  (2023-11-14 22:13:20.123456789 UTC)' "$tmp/out" &&
	pass || fail "text: the mtime of a file"
"$bin/ckptinfo" --json "$tmp/good.img" |
	jq -e '[.records[] | select(.type == "file") | [.kind, .size, .mtime_sec, .mtime_nsec]
		| select(.[1] + .[2] + .[3] != 0)] ==
	       [["reg", 18734, 1700000000, 123456789], ["reg", 73728, 1699990000, 0],
		["reg", 3145728, -86400, 999999999]]' \
	>/dev/null && pass || fail "json: the size and mtime of files"
"$bin/mkimage" file_proc | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "file" and .kind == "proc") |
		[.kind_num, .mode, .path, .size, .pos]] ==
	       [[12, "0100444", "/proc/self/status", 0, 1024],
		[12, "040555", "/proc/self/task", 0, 0]]' \
	>/dev/null && pass || fail "json: files of procfs"

# File locks: flock(2) and OFD locks right after the file that holds
# them, POSIX locks right after the table whose owner holds them
"$bin/mkimage" locks | "$bin/ckptinfo" >"$tmp/out2"
line='flock F_WRLCK fd 0 start 0 end 9223372036854775807  (to the end of the file)'
grep -qxF "    lock 0             $line" "$tmp/out2" &&
	grep -qxF '    lock 0             posix F_WRLCK fd 3 start 100 end 18733' "$tmp/out2" &&
	pass || fail "text: file_locks records"
"$bin/mkimage" locks | "$bin/ckptinfo" --json |
	jq -e '([.records[].type] as $t | [range($t | length) | select($t[.] == "file_locks")]
		| map($t[. - 1])) == ["file", "files", "file", "files"]
	       and ([.records[] | select(.type == "file_locks") | [.index, .offset, .nr_locks]] ==
		    [[18, 24112, 3], [22, 24568, 1], [63, 39752, 2], [67, 40176, 2]])
	       and ([.records[] | select(.type == "file_locks")][1].locks ==
		    [{kind: "posix", kind_num: 3, fd: 3, type: "F_WRLCK", type_num: 1,
		      start: 100, end: 18733}])
	       and ([.records[] | select(.type == "file_locks")][2].locks |
		    map([.kind, .fd, .type, .start, .end])) ==
		   [["flock", 0, "F_RDLCK", 0, 9223372036854775807],
		    ["ofd", 0, "F_RDLCK", 4096, 8191]]' \
	>/dev/null && pass || fail "json: file_locks records"

# Sockets: a unix pair before the file of its first end, its data for
# each end; the state and addresses of the others, readable
"$bin/mkimage" sock_unix_stream_pair | "$bin/ckptinfo" >"$tmp/out2"
grep -qxF '    addr               0.0.0.0:8080' "$tmp/out2" &&
	grep -qxF '    peer               /dev/log' "$tmp/out2" &&
	grep -qxF '      data             706f6e670a00706f6e670a  |pong..pong.|' "$tmp/out2" &&
	pass || fail "text: socket and unix_pair records"
"$bin/mkimage" sock_unix_stream_pair | "$bin/ckptinfo" --json |
	jq -e '([.records[] | select(.type == "unix_pair")] ==
		[{index: 44, offset: 34968, type: "unix_pair", type_num: 800, len: 88,
		  objref: 18, sock_type: "SOCK_STREAM", sock_type_num: 1, ends: "0x3",
		  end: [{end: 0, open: true, shutdown: "0x0", err: 0, nr_msgs: 0, nr_bytes: 5,
			 nr_fds: 0, data: "70696e670a", data_text: "ping.", data_shown: 5},
			{end: 1, open: true, shutdown: "0x0", err: 0, nr_msgs: 0, nr_bytes: 11,
			 nr_fds: 0, data: "706f6e670a00706f6e670a", data_text: "pong..pong.",
			 data_shown: 11}]}])
	       and ([.records[].type] as $t | [range($t | length) | select($t[.] == "unix_pair")]
		    | map($t[. + 1]) == ["file"])
	       and ([.records[] | select(.type == "file" and .kind == "socket") |
		     [.objref, .family, .sock_type, .protocol, .state,
		      (.pair_ref // .accept_ref), .end, .addr,
		      .peer]] ==
		    [[19, "AF_UNIX", "SOCK_STREAM", "default", "pair", 18, 0, null, null],
		     [20, "AF_INET", "SOCK_STREAM", "IPPROTO_TCP", "listen", 0, 0,
		      "0.0.0.0:8080", null],
		     [21, "AF_INET", "SOCK_DGRAM", "IPPROTO_UDP", "bound", 0, 0,
		      "192.168.1.23:40000", "10.0.0.53:53"],
		     [33, "AF_UNIX", "SOCK_STREAM", "default", "pair", 18, 1, null, null],
		     [34, "AF_UNIX", "SOCK_DGRAM", "default", "bound", 0, 0, null, "/dev/log"],
		     [35, "AF_INET6", "SOCK_STREAM", "IPPROTO_TCP", "reset", 0, 0, null, null]])
	       and ([.records[] | select(.type == "file" and .kind == "socket")][5] |
		    .opts == "0x204" and .mode == "0140777" and .path_len == 320)' \
	>/dev/null && pass || fail "json: socket and unix_pair records"
"$bin/mkimage" sock_unix_dgram_pair | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "unix_pair")][0].end |
	       map([.nr_msgs, .nr_bytes, .msgs, .data_text]) ==
	       [[3, 8, [5, 0, 3], "hellobye"], [1, 0, [0], ""]]' \
	>/dev/null && pass || fail "json: a datagram pair, a message of 0 bytes"
# Descriptors in flight: each message's count, then the objrefs of the
# files, written before the pair
"$bin/mkimage" sock_unix_rights | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "unix_pair")] as $u
	       | ($u | map(.end | map([.nr_msgs, .nr_bytes, .nr_fds, .msgs, .msg_fds,
					.file_refs, .data_text]))) ==
		 [[[1, 2, 0, [2], null, null, "ok"],
		   [3, 8, 3, [5, 0, 3], [2, 0, 1], [10, 8, 6], "hellobye"]],
		  [[0, 5, 0, null, null, null, "ping."],
		   [2, 11, 1, [6, 5], [0, 1], [24], "pong..pong."]]]
	       and ([.records[] | select(.objref == (10, 8, 6, 24)) | [.objref, .type, .kind]] ==
		    [[6, "file", "reg"], [8, "file", "chr"], [10, "file", "pipe"],
		     [24, "file", "reg"]])
	       and ([.records[] | select(.type == "unix_pair" or .objref == 10 or
					 .objref == 24) | .objref] == [10, 11, 24, 25])' \
	>/dev/null && pass || fail "json: descriptors in flight"
"$bin/mkimage" sock_unix_rights | "$bin/ckptinfo" >"$tmp/out2"
grep -qxF '      nr_fds           3' "$tmp/out2" &&
	grep -qxF '      msg_fds          2 0 1' "$tmp/out2" &&
	grep -qxF '      file_refs        10 8 6' "$tmp/out2" &&
	pass || fail "text: descriptors in flight"
"$bin/mkimage" sock_unix_pair_closed | "$bin/ckptinfo" >"$tmp/out2"
grep -qxF '    ends               0x1  (end 0, end 1 closed)' "$tmp/out2" &&
	grep -qxF '      err              104  (ECONNRESET)' "$tmp/out2" &&
	grep -qxF '    end 1              closed' "$tmp/out2" &&
	pass || fail "text: a pair with an end closed"
"$bin/mkimage" sock_listen | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "file" and .kind == "socket") |
		[.addr, .backlog]] ==
	       [["0.0.0.0:8080", 4096], ["[::]:443", 0], ["@/tmp/.X11-unix/X0", 128],
		["@\\x01\\xff", 16]]' \
	>/dev/null && pass || fail "json: listening sockets"
"$bin/mkimage" sock_bound_inet | "$bin/ckptinfo" >"$tmp/out2"
grep -qxF '    peer               [2001:db8::35]:53' "$tmp/out2" &&
	grep -qxF '    opts               0x400  (IPV6_V6ONLY)' "$tmp/out2" &&
	pass || fail "text: bound IPv6 socket"
"$bin/mkimage" sock_linger_forever | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "file" and .kind == "socket") | .linger] ==
	       [0, 0, 0, 0, 0, 4294967295]' >/dev/null &&
	"$bin/mkimage" sock_linger_forever | "$bin/ckptinfo" |
	grep -qxF '    linger             4294967295  (for ever)' &&
	pass || fail "text: a socket that lingers for ever"
"$bin/mkimage" sock_append_noatime | "$bin/ckptinfo" |
	grep -qxF '    f_flags            0x40402  (O_RDWR|O_APPEND|O_NOATIME)' &&
	pass || fail "text: a socket with O_APPEND and O_NOATIME"

# Pseudo-terminals: the pty before its first file, each queue's bytes and
# line ends, the files of its master and slave
"$bin/mkimage" pty | "$bin/ckptinfo" >"$tmp/out2"
grep -qxF '    flags              0x2  (PACKET)' "$tmp/out2" &&
	grep -qxF '    c_lflag            0x8a3b  (ICANON)' "$tmp/out2" &&
	grep -qxF '    c_cc               3 28 127 21 4 0 1 0 17 19 26 0 18 15 23 22 0 0 0' \
		"$tmp/out2" &&
	grep -qxF '      data             68656c6c6f0a776f72  |hello.wor|' "$tmp/out2" &&
	grep -qxF '      pending_data     6c640a  |ld.|' "$tmp/out2" &&
	grep -qxF '      ends             5' "$tmp/out2" &&
	grep -qxF '    end                1  (slave)' "$tmp/out2" &&
	pass || fail "text: pty records"
"$bin/mkimage" pty | "$bin/ckptinfo" --json |
	jq -e '([.records[] | select(.type == "pty")] | length == 1 and
		(.[0] | .objref == 15 and .pts_index == 1 and .master_acc == "O_RDWR"
		 and .path == "/dev/ptmx" and [.ws_row, .ws_col] == [24, 80]
		 and .c_ispeed == 38400 and (.in | map([.reader, .len, .canon, .pending,
							 .data_text, .ends])) ==
		 [["slave", 9, 6, 3, "hello.wor", [5]], ["master", 8, 0, 0, "output..", []]]))
	       and ([.records[] | select(.type == "file" and .kind == "pty") |
		     [.objref, .pty_ref, .end, .f_flags]] ==
		    [[16, 15, "master", "0x8002"], [17, 15, "slave", "0x8802"],
		     [18, 15, "slave", "0x8002"]])
	       and ([.records[].type] as $t | [range($t | length) | select($t[.] == "pty")]
		    | .[0] as $i | $t[$i + 1] == "file")' \
	>/dev/null && pass || fail "json: pty records"
"$bin/mkimage" pty_locked_eof | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "pty")][0] |
	       .flags == "0x11" and .in[0].data == "616200" and .in[0].flags == "0x4"
	       and .in[0].ends == [2] and .in[1].len == 0' \
	>/dev/null && pass || fail "json: a locked pty whose slave closed"

# Timerfds: the clock by name, absolute or relative, disarmed, one-shot
"$bin/mkimage" tfd_clocks | "$bin/ckptinfo" >"$tmp/out2"
expiry='    value_ns           1798761600000000000'
expiry="$expiry  (expires at 2027-01-01 00:00:00.000000000 UTC)"
grep -qxF '    clockid            7  (CLOCK_BOOTTIME)' "$tmp/out2" &&
	grep -qxF '    flags              0x1  (TFD_TIMER_ABSTIME)' "$tmp/out2" &&
	grep -qxF "$expiry" "$tmp/out2" &&
	grep -qxF '    interval_ns        86400000000000  (every 86400.000000000 s)' "$tmp/out2" &&
	grep -qxF '    value_ns           5000000001  (5.000000001 s left)' "$tmp/out2" &&
	grep -qxF '    value_ns           0  (disarmed)' "$tmp/out2" &&
	grep -qxF '    ticks              3  (expirations not read)' "$tmp/out2" &&
	pass || fail "text: timerfd records"
"$bin/mkimage" tfd_clocks | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "file" and .kind == "timerfd") |
		[.objref, .clock, .flags, .ticks, .value_ns, .interval_ns, .f_flags]] ==
	       [[9, "CLOCK_MONOTONIC", "0x0", 3, 250000000, 1000000000, "0x2"],
		[10, "CLOCK_BOOTTIME", "0x0", 0, 30000000000, 0, "0x2"],
		[11, "CLOCK_REALTIME", "0x0", 0, 5000000001, 0, "0x2"],
		[12, "CLOCK_REALTIME", "0x1", 0, 1798761600000000000, 86400000000000, "0x2"],
		[13, "CLOCK_MONOTONIC", "0x0", 0, 0, 500000000, "0x802"],
		[14, "CLOCK_BOOTTIME", "0x0", 1, 0, 0, "0x2"]]' >/dev/null &&
	pass || fail "json: timerfd records"

# Pidfds: the pid of the task, a process or, with PIDFD_THREAD, a thread;
# sudo's pidfd of itself, the shell's, which it inherited
"$bin/mkimage" pidfd | "$bin/ckptinfo" >"$tmp/out2"
grep -qxF '    kind               14  (pidfd)' "$tmp/out2" &&
	grep -qxF '    pid                102  (a process)' "$tmp/out2" &&
	grep -qxF '    pid                104  (a thread)' "$tmp/out2" &&
	grep -qxF '    flags              0x1  (PIDFD_THREAD)' "$tmp/out2" &&
	grep -qxF '    flags              0x0  (none)' "$tmp/out2" &&
	pass || fail "text: pidfd records"
"$bin/mkimage" pidfd | "$bin/ckptinfo" --json |
	jq -e '([.records[] | select(.type == "file" and .kind == "pidfd") |
		 [.objref, .pid, .flags, .f_flags, .mode, .path_len]] ==
		[[9, 102, "0x0", "0x2", "0100700", 8], [10, 100, "0x0", "0x2", "0100700", 8],
		 [11, 104, "0x1", "0x2", "0100700", 8], [12, 103, "0x1", "0x802", "0100700", 8],
		 [33, 100, "0x0", "0x2", "0100700", 8]])
	       and ([.records[] | select(.type == "files") | .fds[-1] | [.fd, .file_ref]] ==
		    [[14, 12], [8, 9], [7, 33]])' >/dev/null &&
	pass || fail "json: pidfd records"
"$bin/mkimage" pidfd_zombie_epoll | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "file" and (.kind == "pidfd" or .kind == "epoll")) |
		[.objref, .kind, .pid, .f_flags, (.items // [] | map(.file_ref))]] ==
	       [[9, "pidfd", 102, "0x2", []], [10, "pidfd", 105, "0x802", []],
		[11, "epoll", null, "0x2", [9, 10]]]' >/dev/null &&
	pass || fail "json: pidfds of a child and of a zombie, in an epoll"
"$bin/mkimage" pidfd_flags_high | "$bin/ckptinfo" 2>/dev/null |
	grep -qxF '    flags              0x80000001  (PIDFD_THREAD|unknown 0x80000000)' &&
	pass || fail "text: a pidfd with unknown flags"

# Epolls: written after the files they watch, an epoll watching an epoll
"$bin/mkimage" epoll_watch | "$bin/ckptinfo" >"$tmp/out2"
item1='    item 1             file_ref 5 fd 2 events 0x8000001c data 0x200000002'
item1="$item1  (EPOLLOUT|EPOLLERR|EPOLLHUP|EPOLLET)"
item0='    item 0             file_ref 30 fd 7 events 0x19 data 0x7'
item0="$item0  (EPOLLIN|EPOLLERR|EPOLLHUP)"
grep -qxF "$item1" "$tmp/out2" &&
	grep -qxF "$item0" "$tmp/out2" &&
	pass || fail "text: epoll records"
"$bin/mkimage" epoll_watch | "$bin/ckptinfo" --json |
	jq -e '([.records[] | select(.type == "file") | [.objref, .kind]][-3:] ==
		[[29, "timerfd"], [30, "epoll"], [31, "epoll"]])
	       and ([.records[] | select(.type == "file" and .kind == "epoll") |
		     [.items[] | [.file_ref, .fd, .events, .data]]] ==
		    [[[25, 0, "0x19", "0x0"], [5, 2, "0x8000001c", "0x200000002"],
		      [29, 9, "0x19", "0xdeadbeefcafef00d"]], [[30, 7, "0x19", "0x7"]]])
	       and ([.records[] | select(.type == "file" and .kind == "epoll")][0].items[1]
		    .events_names == "EPOLLOUT|EPOLLERR|EPOLLHUP|EPOLLET")' >/dev/null &&
	pass || fail "json: epoll records"
"$bin/mkimage" epoll_empty | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "file" and .kind == "epoll") |
		[.path_len, .items, .f_flags]] == [[0, [], "0x802"]]' >/dev/null &&
	pass || fail "json: an empty epoll"

# Shared memory: an object with its pages, offsets in it, before the first
# mm that maps it; its mappings name it, in sh and, at other offsets, in sudo
"$bin/mkimage" shmem_shared | "$bin/ckptinfo" >"$tmp/out2"
grep -qxF '    size               16484  (5 pages)' "$tmp/out2" &&
	grep -qxF '    7f0000011000-7f0000013000 rw-s 0x003b shmem shmem_ref 1 pgoff 3' \
		"$tmp/out2" &&
	pass || fail "text: shmem and vma records"
"$bin/mkimage" shmem_shared | "$bin/ckptinfo" --json |
	jq -e '([.records[] | select(.type == "shmem") | [.index, .objref, .size]] ==
		[[2, 1, 16484], [59, 21, 4096]])
	       and ([.records[].type] as $t | [range($t | length) | select($t[.] == "shmem")]
		    | map($t[. + 1])) == ["pages", "mm"]
	       and ([.records[3, 4] | [.addr, .nr_pages]] == [["0x0", 1], ["0x2000", 3]])
	       and ([.records[] | select(.type == "vma" and .kind == "shmem") |
		     [.start, .pgoff, .prot, .path_len, .shmem_ref]] ==
		    [["0x7f0012400000", 0, "rw-s", 8, 1], ["0x7f0000010000", 2, "r--s", 8, 1],
		     ["0x7f0000011000", 3, "rw-s", 8, 1], ["0x30000", 0, "rw-s", 8, 21]])
	       and ([.records[] | select(.type == "task") | .mm_ref] == [2, 2, 12, 22, 22])' \
	>/dev/null && pass || fail "json: shmem and vma records"
"$bin/mkimage" shmem_anon_old_minor | "$bin/ckptinfo" --json |
	jq -e '.valid and .records[0].minor == 8
	       and ([.records[] | select(.type == "vma")][2] |
		    .kind == "anon" and .prot == "rw-s")' \
	>/dev/null && pass || fail "json: shared memory in an image of minor 8"

# SysV IPC: the objects of the IPC namespace right after the namespaces
# record, segments with their pages, queues with their messages, then
# semaphore sets; sh maps the segment read-write, sudo read-only
"$bin/mkimage" sysv_ipc | "$bin/ckptinfo" >"$tmp/out2"
grep -qxF '    key                0x0  (IPC_PRIVATE)' "$tmp/out2" &&
	grep -qxF '    text               68656c6c6f2c20776f726c640a  |hello, world.|' \
		"$tmp/out2" &&
	grep -qxF '    values             0 1 32767' "$tmp/out2" &&
	grep -qxF '    7f0000040000-7f0000043000 r--s 0x0059 sysvshm shmem_ref 1 pgoff 0' \
		"$tmp/out2" &&
	pass || fail "text: SysV IPC records"
"$bin/mkimage" sysv_ipc | "$bin/ckptinfo" --json |
	jq -e '([.records[].type][1:10] == ["tree", "namespaces", "ipc_shm", "pages", "ipc_msg",
					  "ipc_msg_text", "ipc_msg_text", "ipc_sem", "mm"])
	       and ([.records[] | select(.type == "ipc_shm") |
		     [.objref, .id, .key, .uid, .mode, .size, .dtime, .flags]] ==
		    [[1, 0, "0x5eed0001", 1000, "0640", 12188, 0, "0x0"]])
	       and (.records[4] | .addr == "0x1000" and .nr_pages == 1)
	       and ([.records[] | select(.type == "ipc_msg") |
		     [.objref, .id, .key, .uid, .cuid, .qbytes, .nr_msgs]] ==
		    [[2, 32768, "0x0", 1001, 1000, 16384, 2]])
	       and ([.records[] | select(.type == "ipc_msg_text") |
		     [.mtype, .size, .text, .text_shown]] ==
		    [[1, 13, "68656c6c6f2c20776f726c640a", 13], [42, 8, "00010203fcfdfeff", 8]])
	       and ([.records[] | select(.type == "ipc_sem") |
		     [.objref, .id, .gid, .mode, .nsems, .values]] ==
		    [[3, 1, 100, "0666", 3, [0, 1, 32767]]])
	       and ([.records[] | select(.type == "vma" and .kind == "sysvshm") |
		     [.start, .end, .pgoff, .prot, .kind_num, .path_len, .shmem_ref]] ==
		    [["0x7f0012700000", "0x7f0012703000", 0, "rw-s", 7, 8, 1],
		     ["0x7f0000040000", "0x7f0000043000", 0, "r--s", 7, 8, 1]])' \
	>/dev/null && pass || fail "json: SysV IPC records"
"$bin/mkimage" sysv_ipc_shm_dest | "$bin/ckptinfo" |
	grep -qxF '    flags              0x1  (removed, still attached)' &&
	pass || fail "text: a removed SysV shared memory segment"
"$bin/mkimage" sysv_ipc_msg_limits | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "ipc_msg_text") | [.mtype, .size, .text_shown]] ==
	       [[9223372036854775807, 65000, 16], [1, 0, 0]]' \
	>/dev/null && pass || fail "json: the longest SysV message and an empty one"
"$bin/mkimage" sysv_ipc_sem_limits | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "ipc_sem") | .nsems, (.values | length),
		(.values | unique)] == [32000, 32000, [32767]]' \
	>/dev/null && pass || fail "json: the largest SysV semaphore set"

# SysV semaphore undo lists: an object right before the task record of the
# leader of its process, then a record a set with its adjustments
"$bin/mkimage" sysv_undo | "$bin/ckptinfo" >"$tmp/out2"
grep -qxF '    nr_sets            1' "$tmp/out2" &&
	grep -qxF '    adjustments        0 -1 0' "$tmp/out2" &&
	grep -qxF '    adjustments        0 0 0' "$tmp/out2" &&
	pass || fail "text: SysV semaphore undo lists"
"$bin/mkimage" sysv_undo | "$bin/ckptinfo" --json |
	jq -e '([.records[].type] as $t | [range($t | length) | select($t[.] == "ipc_sem_undo")]
		| map($t[. + 1:. + 3]) == [["ipc_sem_adj", "task"], ["ipc_sem_adj", "task"]])
	       and ([.records[] | select(.type == "ipc_sem_undo") | [.objref, .nr_sets]] ==
		    [[14, 1], [35, 1]])
	       and ([.records[] | select(.type == "ipc_sem_adj") |
		     [.semid, .nsems, .adjustments]] == [[1, 3, [0, -1, 0]], [1, 3, [0, 0, 0]]])
	       and (.records as $r | [range($r | length) | select($r[.].type == "ipc_sem_adj") |
				      $r[. + 1].pid] == [100, 103])' \
	>/dev/null && pass || fail "json: SysV semaphore undo lists"
"$bin/mkimage" sysv_undo_sets | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "ipc_sem_adj") | [.semid, .adjustments]] ==
	       [[1, [1, 2, 3]], [2, [-32768, 32767, -1]], [98306, [1, 2, 3]]]' \
	>/dev/null && pass || fail "json: an undo list for three SysV semaphore sets"
"$bin/mkimage" sysv_undo_limits | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "ipc_sem_adj") | .nsems, (.adjustments | length),
		(.adjustments | min), (.adjustments | max), .adjustments[0:3]] ==
	       [32000, 32000, -32768, 32767, [32767, -32768, -32767]]' \
	>/dev/null && pass || fail "json: the undo list of the largest SysV semaphore set"

# Task attributes: the last record of every task
grep -qxF '    RLIMIT_NOFILE      cur 1024 max 524288' "$tmp/out" &&
	pass || fail "text: task_attrs record"
"$bin/ckptinfo" --json "$tmp/good.img" |
	jq -e '([.records[].type] as $t | [range($t | length) | select($t[.] == "task_signals")]
		| map($t[. + 1]) == ["task_attrs", "task_attrs", "task_attrs", "task_attrs",
				     "task_attrs"])
	       and ([.records[] | select(.type == "task_attrs")] |
		    map([.nice, .policy, .flags, .pdeath_signal, .dumpable]) ==
		    [[0, "SCHED_OTHER", "0x2", 0, 1], [0, "SCHED_OTHER", "0x2", 0, 1],
		     [0, "SCHED_OTHER", "0x0", 0, 0], [5, "SCHED_BATCH", "0x1", 9, 1],
		     [5, "SCHED_IDLE", "0x1", 0, 1]])
	       and ([.records[] | select(.type == "task_attrs")][1] |
		    .rlimits[3] == {resource: 3, name: "RLIMIT_STACK", cur: 8388608,
				    max: "unlimited"}
		    and .clear_child_tid == "0x7f0011b3f990" and .robust_list_len == 24
		    and .rseq == "0x7f0011b40060" and .rseq_len == 32
		    and .rseq_sig == "0x53053053")' \
	>/dev/null && pass || fail "json: task_attrs records"
# Zombies: a task record alone, no object, the status wait(2) will report
"$bin/mkimage" zombie | "$bin/ckptinfo" >"$tmp/out2"
grep -qxF '    flags              0x5  (thread group leader, zombie)' "$tmp/out2" &&
	grep -qxF '    exit_code          0x700  (exited 7)' "$tmp/out2" &&
	pass || fail "text: zombie task record"
"$bin/mkimage" zombie_killed_core | "$bin/ckptinfo" --json |
	jq -e '([.records[] | select(.type == "task") | [.pid, .exit_code, .exit_status]] ==
		[[100, "0x0", null], [101, "0x0", null], [102, "0x0", null],
		 [105, "0x8b", "killed by signal 11 (SIGSEGV), core dumped"],
		 [103, "0x0", null], [104, "0x0", null]])
	       and ([.records[] | select(.type == "task" and .pid == 105) |
		     [.cred_ref, .real_cred_ref, .mm_ref, .sighand_ref, .signal_ref,
		      .files_ref, .fs_ref]] == [[0, 0, 0, 0, 0, 0, 0]])
	       and ([.records[].type] as $t | [range($t | length) | select($t[.] == "task")]
		    | map($t[. + 1]) | .[3] == "mm")' \
	>/dev/null && pass || fail "json: a zombie between two processes"
# Namespaces: a record after the tree, with the names of a UTS namespace
"$bin/mkimage" ns_uts_ipc | "$bin/ckptinfo" >"$tmp/out2"
grep -qxF '    flags              0x3  (UTS, IPC)' "$tmp/out2" &&
	grep -qxF '    nodename           "db.example.org"' "$tmp/out2" &&
	pass || fail "text: namespaces record"
"$bin/mkimage" ns_uts_ipc | "$bin/ckptinfo" --json |
	jq -e '([.records[] | select(.type == "namespaces")] ==
		[{index: 2, offset: 264, type: "namespaces", type_num: 700, len: 152,
		  flags: "0x3", nodename: "db.example.org", domainname: "example.org"}])
	       and ([.records[].type][1:4] == ["tree", "namespaces", "mm"])' \
	>/dev/null && pass || fail "json: namespaces record"
"$bin/mkimage" ns_ipc | "$bin/ckptinfo" --json |
	jq -e '[.records[] | select(.type == "namespaces") | [.flags, .nodename, .domainname]]
	       == [["0x2", "", ""]]' \
	>/dev/null && pass || fail "json: an IPC namespace alone"
# Pid namespaces: after the tree, each task's and its pids in them
"$bin/mkimage" pidns | "$bin/ckptinfo" >"$tmp/out2"
grep -qxF '       2         1         3      2         4' "$tmp/out2" &&
	grep -qxF '       3       103    2        2  2 1' "$tmp/out2" &&
	grep -qxF '       1       101    0        0  -' "$tmp/out2" &&
	pass || fail "text: pidns record"
"$bin/mkimage" pidns | "$bin/ckptinfo" --json |
	jq -e '([.records[] | select(.type == "pidns")][0] |
		.nr_ns == 2 and .nr_pids == 7
		and .namespaces == [{ns: 1, parent: 0, init: 2, depth: 1, next_pid: 6},
				    {ns: 2, parent: 1, init: 3, depth: 2, next_pid: 4}]
		and (.tasks | map([.pid, .ns, .children, .pids])) ==
		    [[100, 0, 1, []], [101, 0, 0, []], [102, 1, 2, [1]], [103, 2, 2, [2, 1]],
		     [104, 2, 2, [3, 2]], [105, 1, 1, [4]], [106, 1, 1, [5]]])
	       and ([.records[].type][1:4] == ["tree", "pidns", "mm"])' \
	>/dev/null && pass || fail "json: pidns record"
"$bin/mkimage" pidns_nr_pids_sum | "$bin/ckptinfo" --json 2>/dev/null |
	jq -e '[.records[] | select(.type == "pidns")][0] |
	       .pids == [1, 2, 1, 3, 2, 4, 5] and (.tasks | map(has("pids")) | any | not)' \
	>/dev/null && pass || fail "json: a pidns record whose pids do not match its namespaces"
line='flags              0x51  (scope task, pidfd, stop)'
"$bin/mkimage" hdr_flags_stop | "$bin/ckptinfo" | grep -qxF "    $line" &&
	pass || fail "text: header flags"
# of a cut pages record, only the 24 bytes of its header: 2 lines
"$bin/mkimage" pages_cut | "$bin/ckptinfo" 2>/dev/null | grep -c '^    [0-9a-f]\{8\}  ' |
	grep -qx 2 && pass || fail "a cut pages record: its contents dumped"

# Usage
"$bin/ckptinfo" -c --json "$tmp/good.img" 2>/dev/null
[ $? = 2 ] && pass || fail "ckptinfo -c --json: not a usage error"
"$bin/ckptinfo" "$tmp/good.img" "$tmp/good.img" 2>/dev/null
[ $? = 2 ] && pass || fail "ckptinfo FILE FILE: not a usage error"
"$bin/ckptinfo" "$tmp/nonexistent" 2>/dev/null
[ $? = 2 ] && pass || fail "ckptinfo: a missing file is not exit 2"
"$bin/ckptinfo" --help | grep -q '^Usage: ckptinfo' && pass || fail "ckptinfo --help"

# The offsets to try: all but most of those inside page contents
"$bin/mkimage" -P >"$tmp/pages" || fail "mkimage -P"
size=$(stat -c %s "$tmp/good.img")
offsets() {
	local n=0 first last

	while read -r first last; do
		for (( ; n < first + 8; n++)); do echo $n; done
		for ((n = first + 8; n < last - 7; n += 251)); do echo $n; done
		n=$((last - 7))
	done <"$tmp/pages"
	for (( ; n < size; n++)); do echo $n; done
}
offsets >"$tmp/offsets"

# 2. Every truncation of a valid image is ENODATA at its end
bad=0
while read -r n; do
	head -c "$n" "$tmp/good.img" >"$tmp/cut.img"
	run_info "$tmp/cut.img" -c
	if ! sane "cut $n" || [ "$rc/$what" != "1/ENODATA $n" ]; then
		bad=$((bad + 1))
		[ $bad -le 5 ] && fail "cut at $n: $(cat "$tmp/err")"
	fi
done <"$tmp/offsets"
[ $bad = 0 ] && pass

# 3. Each byte flipped in turn, then random damage: no crash, modes agree
bad=$failed
i=0
while read -r n; do
	"$bin/mkimage" -x "$n" >"$tmp/flip.img"
	run_info "$tmp/flip.img" -c
	sane "flip $n"
	[ $((i++ % 8)) = 0 ] && check_modes "flip $n" "$tmp/flip.img"
done <"$tmp/offsets"
for ((seed = 1; seed <= fuzz; seed++)); do
	"$bin/mkimage" -r "$seed" >"$tmp/fuzz.img"
	check_modes "fuzz $seed" "$tmp/fuzz.img"
done
[ $failed = "$bad" ] && pass

# 4. checkpoint and restart command lines
usage() {
	"$@" >/dev/null 2>&1
	[ $? = 2 ] && pass || fail "not a usage error: $*"
}
usage "$bin/checkpoint"
usage "$bin/checkpoint" 1 2
usage "$bin/checkpoint" --bogus 1
usage "$bin/checkpoint" abc
usage "$bin/checkpoint" 0
usage "$bin/checkpoint" -q -l "$tmp/log" 1
usage "$bin/checkpoint" --cgroup "$tmp" 1
usage "$bin/checkpoint" --cgroup "$tmp" --pid
usage "$bin/checkpoint" --cgroup "$tmp" --tree
usage "$bin/checkpoint" --cgroup "$tmp" --pidfd
usage "$bin/restart" extra
usage "$bin/restart" --bogus
usage "$bin/restart" --validate --pidns
usage "$bin/restart" --validate --cgroup "$tmp"
usage "$bin/restart" --freeze
usage "$bin/restart" --validate --freeze
"$bin/checkpoint" --help | grep -q '^Usage: checkpoint' && pass || fail "checkpoint --help"

# The BLCR-compatible commands exit as BLCR's: 255 for bad usage, else
# an errno (the system calls fail here, whatever the kernel).
status() {
	local want=$1

	shift
	"$@" >/dev/null 2>&1 </dev/null
	local got=$?
	[ $got = "$want" ] && pass || fail "exit $got, not $want: $*"
}
status 255 "$bin/cr_checkpoint"
status 255 "$bin/cr_checkpoint" --bogus 1
status 255 "$bin/cr_checkpoint" 1 2
status 255 "$bin/cr_restart" --bogus
status 255 "$bin/cr_restart" a b
status 255 "$bin/cr_run"
status 0 "$bin/cr_checkpoint" -h
status 0 "$bin/cr_restart" '-?'
status 0 "$bin/cr_restart" -v
status 0 "$bin/cr_run" --help
status 22 "$bin/cr_checkpoint" -d "$tmp" 1
status 22 "$bin/cr_checkpoint" -c -f "$tmp/x" 1
status 22 "$bin/cr_checkpoint" -S 65 1
status 22 "$bin/cr_checkpoint" -t -1 1
status 22 "$bin/cr_restart" -d "$tmp"
status 22 "$bin/cr_restart" "$tmp/good.img" -f "$tmp/good.img"
status 22 "$bin/cr_restart" "$tmp/pages"
status 22 "$bin/cr_restart" --relocate a=/b "$tmp/good.img"
status 22 "$bin/cr_restart" --relocate /a=b "$tmp/good.img"
status 22 "$bin/cr_restart" --relocate '/a\=/b' "$tmp/good.img"
set --
for i in $(seq 16); do
	set -- "$@" --relocate "/old$i=/new$i"
done
status 22 "$bin/cr_restart" "$@" --relocate /a=/b "$tmp/good.img"
usage "$bin/restart" "$@" --relocate /a=/b -f "$tmp/good.img"
usage "$bin/restart" --relocate a=/b -f "$tmp/good.img"
usage "$bin/restart" --relocate /a -f "$tmp/good.img"
# A relocation that matches no path changes nothing: the call fails as
# without it (restart(2) refuses this image, or there is no restart(2)).
"$bin/cr_restart" "$tmp/good.img" >/dev/null 2>&1 </dev/null
want=$?
status $want "$bin/cr_restart" "$@" "$tmp/good.img"
status $want "$bin/cr_restart" --relocate '/a\=b/=/c//' "$tmp/good.img"
"$bin/cr_restart" --relocate /a=/b "$tmp/good.img" 2>&1 | grep -q "cannot relocate" &&
	fail "cr_restart --relocate: still refused" || pass
"$bin/restart" --relocate /a=/b -f "$tmp/good.img" 2>/dev/null
[ $? = 1 ] && pass || fail "restart --relocate: not exit 1 for an image it cannot restart"
set --
# --no-restore-pid restarts in a new pid namespace: as without it, or
# EPERM (1) where one cannot be made
"$bin/cr_restart" --no-restore-pid "$tmp/good.img" >/dev/null 2>&1 </dev/null
got=$?
[ $got = "$want" ] || [ $got = 1 ] && pass ||
	fail "cr_restart --no-restore-pid: exit $got, not $want or 1"
status 7 "$bin/cr_restart" --run-on-fail-args='exit 7' "$tmp/nonexistent"
status 8 "$bin/cr_restart" --run-on-failure='exit 8' "$tmp/good.img"
[ "$(LIBCR_RUN=/x.so LD_PRELOAD=/y.so "$bin/cr_run" sh -c 'echo "$LD_PRELOAD"' \
	2>/dev/null)" = "/x.so /y.so" ] && pass || fail "cr_run: LD_PRELOAD"
echo old >"$tmp/cr.img"
"$bin/cr_checkpoint" -q -f "$tmp/cr.img" 2147483647
[ $? != 0 ] && [ "$(cat "$tmp/cr.img")" = old ] &&
	! ls "$tmp"/cr.img.tmp-* >/dev/null 2>&1 && pass ||
	fail "a failed cr_checkpoint replaced the image or left its temporary"
"$bin/restart" --help | grep -q '^Usage: restart' && pass || fail "restart --help"

# A failed checkpoint (no such pid) keeps the old image.
nopid=2147483647
echo old >"$tmp/saved.img"
"$bin/checkpoint" -f "$tmp/saved.img" $nopid 2>"$tmp/err"
rc=$?
if [ $rc = 1 ] && [ "$(cat "$tmp/saved.img")" = old ] && [ ! -e "$tmp/saved.img.tmp" ] &&
	grep -q "^checkpoint: pid $nopid: " "$tmp/err"; then
	pass
else
	fail "failed checkpoint -f: rc $rc, $(cat "$tmp/err")"
fi
"$bin/checkpoint" -q -f /dev/null $nopid 2>/dev/null
[ -c /dev/null ] && pass || fail "checkpoint -f /dev/null replaced it"

"$bin/restart" --validate -f "$tmp/nonexistent" 2>/dev/null
[ $? = 1 ] && pass || fail "restart: a missing file is not exit 1"

# Cgroups: a directory that cannot be opened or made fails before the call;
# a cgroup restart made is removed when the restart fails (here it is no
# cgroup, and the image is not of this machine)
"$bin/checkpoint" -f "$tmp/cg.img" --cgroup "$tmp/nonexistent" 2>"$tmp/err"
[ $? = 1 ] && [ ! -e "$tmp/cg.img" ] && grep -q "^checkpoint: $tmp/nonexistent: " "$tmp/err" &&
	pass || fail "checkpoint --cgroup of a missing directory: $(cat "$tmp/err")"
"$bin/restart" --cgroup "$tmp/nonexistent/cg" -f "$tmp/good.img" 2>"$tmp/err"
[ $? = 1 ] && grep -q "^restart: $tmp/nonexistent/cg: " "$tmp/err" &&
	pass || fail "restart --cgroup in a missing directory: $(cat "$tmp/err")"
"$bin/restart" -q --cgroup "$tmp/cg" -f "$tmp/good.img" 2>/dev/null
[ $? = 1 ] && [ ! -e "$tmp/cg" ] && pass || fail "restart --cgroup: left $tmp/cg behind"
"$bin/restart" --cgroup "$tmp/cg" --freeze -f "$tmp/good.img" 2>"$tmp/err"
[ $? = 1 ] && [ ! -e "$tmp/cg" ] && grep -q "^restart: $tmp/cg/cgroup.freeze: " "$tmp/err" &&
	pass || fail "restart --freeze of no cgroup: $(cat "$tmp/err")"

# Refusing a terminal, where script(1) gives one
if command -v script >/dev/null; then
	script -qec "$bin/checkpoint 1" /dev/null >/dev/null 2>&1
	[ $? = 2 ] && pass || fail "checkpoint wrote to a terminal"
	script -qec "$bin/restart --validate" /dev/null >/dev/null 2>&1 </dev/null
	[ $? = 2 ] && pass || fail "restart read from a terminal"
fi

# 5. --relocate: relocimage hands the image on as restart and cr_restart
# hand it to restart(2), through the same thread and pipe.
reloc() { timeout 60 "$bin/relocimage" "$@"; }
json() { "$bin/ckptinfo" --json "$1"; }
# jqok NAME IMG FILTER [jq args]: ckptinfo takes IMG and FILTER holds
jqok() {
	local name=$1 img=$2 filter=$3

	shift 3
	if ! "$bin/ckptinfo" -c "$img" 2>"$tmp/err"; then
		fail "$name: $(cat "$tmp/err")"
		return
	fi
	json "$img" | jq -e "$@" "$filter" >/dev/null && pass || fail "$name"
}
# dev FILE: its device as the kernel writes it (that of the superblock,
# which /proc/self/mountinfo shows; stat(2) may show another)
dev() {
	local mnt mm

	mnt=$(stat -c %m "$1")
	mm=$(awk -v m="$mnt" '$5 == m { d = $3 } END { print d }' /proc/self/mountinfo)
	if [ -z "$mm" ]; then
		printf '0x%x' "$(stat -c %d "$1")"
		return
	fi
	printf '0x%x' $(((${mm#*:} & 0xff) | (${mm%:*} << 8) | ((${mm#*:} & ~0xff) << 12)))
}
# identity FILE: what a relocated record holds of it, as JSON
identity() {
	local mtime

	mtime=$(stat -c %.9Y "$1")
	printf '{"ino": %s, "dev": "%s", "size": %s, "mtime_sec": %s, "mtime_nsec": %s}' \
		"$(stat -c %i "$1")" "$(dev "$1")" "$(stat -c %s "$1")" "${mtime%.*}" \
		"$((10#${mtime#*.}))"
}
paths='[.records[] | select(.type == "file" or .type == "vma" or .type == "mm" or
	.type == "fs") | .path // .exe // "\(.cwd) \(.root)"]'
json "$tmp/good.img" | jq -c "$paths" >"$tmp/paths"

# Nothing matches, as a whole component: a copy byte for byte, however read
for rel in /home/use=/x /home/users=/x /usr/bin/das=/x /dev/shm/sudo=/x /srv/dat=/x; do
	reloc --relocate "$rel" "$tmp/good.img" | cmp -s - "$tmp/good.img" &&
		pass || fail "--relocate $rel changed the image"
done
reloc <"$tmp/good.img" | cmp -s - "$tmp/good.img" && pass || fail "relocimage: stdin"
reloc -d --relocate /x=/y "$tmp/good.img" | cmp -s - "$tmp/good.img" &&
	pass || fail "relocimage -d"

# A directory copied elsewhere: its files, the working directories in it
mkdir -p "$tmp/home"
printf 'history\n' >"$tmp/home/.sh_history"
touch -d '2001-02-03 04:05:06.123456789' "$tmp/home/.sh_history"
reloc --relocate "/home/user=$tmp/home" "$tmp/good.img" >"$tmp/rel.img"
jqok "--relocate of a directory" "$tmp/rel.img" '
	($p | map(if startswith("/home/user") then $h + ltrimstr("/home/user") else . end))
	as $want
	| ([.records[] | select(.type == "file" or .type == "vma" or .type == "mm" or
	    .type == "fs") | .path // .exe // "\(.cwd) \(.root)"] == $want)
	and ([.records[] | select(.type == "file" and .path == $h + "/.sh_history")][0]
	     | .len == 88 + ($h | length) + 13 and .path_len == ($h | length) + 13
	       and {ino, dev, size, mtime_sec, mtime_nsec} == $id and .pos == 18734)
	and ([.records[] | select(.type == "file" and .path == $h)][0]
	     | .ino == $dir.ino and .dev == $dir.dev and .size == 0 and .mtime_sec == 0)
	and ([.records[] | select(.type == "fs")][0] | .len == 32 + ($h | length) + 3)
	and (.records | length == 76)
	and (.records[-1] | .records == 75 and .bytes == .offset)' \
	--argjson p "$(cat "$tmp/paths")" --arg h "$tmp/home" \
	--argjson id "$(identity "$tmp/home/.sh_history")" --argjson dir "$(identity "$tmp/home")"
# the same with a trailing and a repeated slash, and through a symbolic link
reloc --relocate "/home//user/=$tmp//home/" "$tmp/good.img" | cmp -s - "$tmp/rel.img" &&
	pass || fail "--relocate: slashes of OLD and NEW"
ln -s home "$tmp/link"
reloc --relocate "/home/user=$tmp/link" "$tmp/good.img" >"$tmp/rel2.img"
jqok "--relocate: a link followed" "$tmp/rel2.img" '
	[.records[] | select(.type == "file" and (.path | startswith($l)))
	 | {ino, dev, size, mtime_sec, mtime_nsec}] == [$id, $dir]' \
	--arg l "$tmp/link" --argjson id "$(identity "$tmp/home/.sh_history")" \
	--argjson dir "$(jq -c '.size = 0 | .mtime_sec = 0 | .mtime_nsec = 0' \
		<<<"$(identity "$tmp/home")")"
# Everything else is copied byte for byte: relocated to a path that does
# not exist (the saved identity stays) and back, the image is the same.
reloc --relocate "/home/user=$tmp/nonexistent/h" "$tmp/good.img" >"$tmp/rel3.img"
jqok "--relocate to a missing path: the saved identity" "$tmp/rel3.img" '
	[.records[] | select(.type == "file" and .kind == "reg")][0] |
	.path == $h + "/.sh_history" and .ino == 1835021 and .size == 18734' \
	--arg h "$tmp/nonexistent/h"
if [ ! -e /home/user ]; then
	reloc --relocate "$tmp/nonexistent/h=/home/user" "$tmp/rel3.img" |
		cmp -s - "$tmp/good.img" && pass || fail "--relocate there and back: not the image"
fi

# A file; the first relocation that matches; escapes; "/" as OLD or NEW
printf 'cv\n' >"$tmp/cv.txt"
touch -d @1000000000 "$tmp/cv.txt"
reloc --relocate "/srv/data/r$(printf '\xc3\xa9')sum$(printf '\xc3\xa9').txt=$tmp/cv.txt" \
	"$tmp/good.img" >"$tmp/rel.img"
jqok "--relocate of a file" "$tmp/rel.img" '
	([.records[] | select(.type == "file" and .kind == "reg")][2] |
	 .path == $f and {ino, dev, size, mtime_sec, mtime_nsec} == $id and .f_flags == "0x48000")
	and ([.records[] | select(.type == "fs") | .cwd] ==
	     ["/home/user", "/home/user", "/srv/data"])' \
	--arg f "$tmp/cv.txt" --argjson id "$(identity "$tmp/cv.txt")"
reloc --relocate /srv/data=/p --relocate /srv=/q "$tmp/good.img" >"$tmp/rel.img"
jqok "--relocate: the first that matches" "$tmp/rel.img" '
	[.records[] | select(.type == "file" or .type == "fs") | .path // .cwd |
	 select(test("^/[pq]"))] == ["/p/r\u00e9sum\u00e9.txt", "/p", "/p"]'
reloc --relocate /srv=/q --relocate /srv/data=/p "$tmp/good.img" >"$tmp/rel.img"
jqok "--relocate: the first that matches, in order" "$tmp/rel.img" '
	[.records[] | select(.type == "file" or .type == "fs") | .path // .cwd |
	 select(test("^/[pq]"))] == ["/q/data/r\u00e9sum\u00e9.txt", "/q/data", "/q/data"]'
reloc --relocate '/srv/data=/x\=y\\z' "$tmp/good.img" >"$tmp/rel.img"
jqok "--relocate: escapes" "$tmp/rel.img" '
	[.records[] | select(.type == "file" and .kind == "dir") | .path][2] == "/x=y\\z"'
reloc --relocate /=/r "$tmp/good.img" >"$tmp/rel.img"
jqok '--relocate of "/"' "$tmp/rel.img" '
	[.records[] | select(.type == "file" or .type == "vma" or .type == "mm" or
	 .type == "fs") | .path // .exe // "\(.cwd) \(.root)"] ==
	($p | map(if . == "" then . else "/r" + . end))' \
	--argjson p "$(cat "$tmp/paths")"
reloc --relocate /srv=/ "$tmp/good.img" >"$tmp/rel.img"
jqok '--relocate to "/"' "$tmp/rel.img" '
	[.records[] | select(.type == "file" or .type == "fs") | .path // .cwd |
	 select(startswith("/data"))] == ["/data/r\u00e9sum\u00e9.txt", "/data", "/data"]'
# a chroot root is relocated, "/" (the restarting process's root) is not
"$bin/mkimage" fs_chroot >"$tmp/chroot.img"
reloc --relocate /srv/jail=/j --relocate /=/r "$tmp/chroot.img" >"$tmp/rel.img"
jqok "--relocate of a chroot root" "$tmp/rel.img" '
	[.records[] | select(.type == "fs") | [.cwd, .root]] ==
	[["/r/home/user", "/"], ["/r/home/user", "/"], ["/j/data", "/j"]]'
# procfs: the path only, its inodes are not saved
"$bin/mkimage" file_proc | reloc --relocate /proc/self=/proc/1 >"$tmp/rel.img"
jqok "--relocate of procfs files" "$tmp/rel.img" '
	[.records[] | select(.type == "file" and .kind == "proc") | [.path, .ino, .dev]] ==
	[["/proc/1/status", 4026532021, "0x16"], ["/proc/1/task", 4026532022, "0x16"]]'
# a mapped file and the executable
printf 'ELF' >"$tmp/dash"
touch -d '2010-01-01 00:00:00.5' "$tmp/dash"
reloc --relocate "/usr/bin/dash=$tmp/dash" "$tmp/good.img" >"$tmp/rel.img"
jqok "--relocate of an executable and its mappings" "$tmp/rel.img" '
	([.records[] | select(.type == "mm") | .exe][0] == $f)
	and ([.records[] | select(.type == "vma" and .kind == "file")][0:2] |
	     map(.path == $f and .len == 80 + ($f | length) + 1 and
		 {ino, dev, size, mtime_sec, mtime_nsec} == $id) == [true, true])' \
	--arg f "$tmp/dash" --argjson id "$(identity "$tmp/dash")"
# a pty: the path of the ptmx device its master was opened by, and the
# bytes after it as they were (each side's queued and pending bytes and
# line ends); no identity: restart(2) only checks it opens a ptmx device
"$bin/mkimage" pty >"$tmp/pty.img"
json "$tmp/pty.img" >"$tmp/pty.json"
pty='[.records[] | select(.type == "pty")][0]'
read -r poff plen ppath <<<"$(jq -r "$pty | \"\(.offset) \(.len) \(.path_len)\"" "$tmp/pty.json")"
reloc --relocate /dev/ptmx=/dev/pts/ptmx "$tmp/pty.img" >"$tmp/relpty.img"
jqok "--relocate of a pty" "$tmp/relpty.img" '
	def same: [.records[] | del(.offset) | if .type == "pty" then
		   del(.len, .path_len, .path) elif .type == "tail" then del(.bytes) else . end];
	def align: (. + 7) / 8 | floor * 8;
	(same == ($o[0] | same))
	and ([.records[] | select(.type == "pty")][0] |
	     .path == "/dev/pts/ptmx" and .path_len == 14 and .len == $len + 4)
	and ([.records[].offset] == [$o[0].records[].offset |
	     if . > $off then . + (($len + 4) | align) - ($len | align) else . end])
	and (.records[-1] | .bytes == .offset)' \
	--slurpfile o "$tmp/pty.json" --argjson off "$poff" --argjson len "$plen"
rest=$((plen - 152 - ppath))
cmp -s <(tail -c +$((poff + 152 + ppath + 1)) "$tmp/pty.img" | head -c $rest) \
	<(tail -c +$((poff + 152 + 14 + 1)) "$tmp/relpty.img" | head -c $rest) &&
	pass || fail "--relocate of a pty: the bytes after its path changed"
for rel in /dev/ptm=/x /dev/ptmx0=/x /dev/pts=/x /dev/ptmx/x=/y; do
	reloc --relocate "$rel" "$tmp/pty.img" | cmp -s - "$tmp/pty.img" &&
		pass || fail "--relocate $rel changed the pty image"
done
# as long as any path may be, and one byte too long: the image is cut
# short before the pty record
reloc --relocate "/dev/pts=/$(printf '%04089d' 0)" "$tmp/relpty.img" >"$tmp/rel.img"
jqok "--relocate of a pty: a path of 4095 bytes" "$tmp/rel.img" "$pty"' |
	.path_len == 4096 and (.path | length) == 4095 and .len == $len + 4086' \
	--argjson len "$plen"
reloc --relocate "/dev/pts=/$(printf '%04090d' 0)" "$tmp/relpty.img" >"$tmp/rel.img" \
	2>"$tmp/rerr"
rc=$?
run_info "$tmp/rel.img" -c
[ $rc = 1 ] && grep -q "/dev/pts/ptmx: relocated, a path longer than 4095 bytes" "$tmp/rerr" &&
	[ "$what" = "ENODATA $poff" ] && pass || fail "a relocated ptmx path too long: $rc $what"

# The arguments, as restart and cr_restart take them
set --
for i in $(seq 16); do
	set -- "$@" --relocate "/old$i=/new$i"
done
reloc "$@" "$tmp/good.img" | cmp -s - "$tmp/good.img" && pass || fail "relocimage: 16"
reloc "$@" --relocate /a=/b "$tmp/good.img" 2>"$tmp/err" >/dev/null
[ $? = 2 ] && grep -q "at most 16" "$tmp/err" && pass || fail "17 relocations: $(cat "$tmp/err")"
set --
for rel in a=/b /a=b /a '/a\=/b' =/b /a=; do
	reloc --relocate "$rel" "$tmp/good.img" >/dev/null 2>&1
	[ $? = 2 ] && pass || fail "relocimage --relocate '$rel': not a usage error"
done
reloc --relocate "/a=/$(printf '%04096d' 0)" "$tmp/good.img" >/dev/null 2>&1
[ $? = 2 ] && pass || fail "relocimage: a NEW longer than PATH_MAX"

# A relocated path too long for restart(2): the image is cut short
reloc --relocate "/home/user=/$(printf '%04085d' 0)" "$tmp/good.img" >"$tmp/rel.img" \
	2>"$tmp/rerr"
rc=$?
run_info "$tmp/rel.img" -c
[ $rc = 1 ] && grep -q "/home/user/.sh_history: relocated, a path longer than" "$tmp/rerr" &&
	[ "$what" = "ENODATA 24000" ] && pass || fail "a relocated path too long: $rc $what"
# A cut image stays cut, 3 records 8 bytes shorter each
head -c 30000 "$tmp/good.img" | reloc --relocate /home/user=/h >"$tmp/rel.img"
run_info "$tmp/rel.img" -c
[ "$what" = "ENODATA 29976" ] && pass || fail "a cut image, relocated: $what"
# The reader stops early (restart(2) refused the image): the thread ends,
# whether it writes a long record or waits for input that does not come.
{ printf '\001\0\0\0\0\0\0\004'; head -c $((64 << 20)) /dev/zero; } >"$tmp/big.img"
[ "$(timeout 20 "$bin/relocimage" -n 100 "$tmp/big.img" | wc -c)" = 100 ] &&
	pass || fail "relocimage -n 100: the thread went on"
mkfifo "$tmp/fifo"
(cat "$tmp/good.img"; exec sleep 30) >"$tmp/fifo" &
idle=$!
timeout 10 "$bin/relocimage" -n 100 --relocate /a=/b <"$tmp/fifo" >/dev/null
[ $? = 0 ] && pass || fail "relocimage -n 100: waited for an idle writer"
kill $idle 2>/dev/null
rm "$tmp/big.img"

# Every image of mkimage: relocated to a path as long, or moved all under
# /r, ckptinfo finds the same problem, at the same offset in the first.
bad=0
while read -r name err errnum off; do
	reloc --relocate /home/user=/home/USER "$tmp/$name.img" >"$tmp/rel.img"
	run_info "$tmp/rel.img" -c
	same=$what
	reloc --relocate /=/r "$tmp/$name.img" >"$tmp/rel.img"
	run_info "$tmp/rel.img" -c
	if [ "$err" = - ] && [ "$same/$what" = -/- ]; then
		continue
	fi
	if [ "$same" != "$err $off" ] || [ "${what% *}" != "$err" ]; then
		bad=$((bad + 1))
		[ $bad -le 5 ] && fail "$name relocated: $same, $what, not $err $off"
	fi
done <"$tmp/cases"
[ $bad = 0 ] && pass

# 6. restart --validate against ckptinfo, where the kernel has restart(2)
# (restart(2) logs why it refuses an image; other syscalls 464 log nothing)
"$bin/restart" --validate -l "$tmp/log" -f "$tmp/magic.img" 2>/dev/null
if ! grep -q 'errno 8' "$tmp/log"; then
	echo "restart(2) is not in this kernel: not comparing it with ckptinfo"
else
	# A real image, of a running process and its child
	sh -c 'sleep 60 & wait' &
	victim=$!
	sleep 0.5
	if "$bin/checkpoint" -f "$tmp/real.img" "$victim" && [ ! -e "$tmp/real.img.tmp" ] &&
		"$bin/ckptinfo" -c "$tmp/real.img" &&
		"$bin/restart" --validate -f "$tmp/real.img"; then
		pass
	else
		fail "checkpoint of a running tree, then ckptinfo and restart --validate"
	fi
	"$bin/checkpoint" --pid "$victim" | "$bin/ckptinfo" --json |
		jq -e '.valid and .records[1].nr_tasks == 1' >/dev/null &&
		pass || fail "checkpoint --pid to a pipe"
	kill $(cat "/proc/$victim/task/$victim/children") "$victim" 2>/dev/null
	wait "$victim" 2>/dev/null

	while read -r name err errnum off; do
		# refused when restoring only, as the items are added: RESTART_VALIDATE takes it
		case $name in
		epoll_exclusive_* | epoll_nested_too_deep | epoll_item_twice | epoll_inherit_twice)
			err=- ;;
		# ... and as the sessions and groups are checked, before any task
		pidns_standin_*)
			err=- ;;
		esac
		"$bin/restart" --validate -l "$tmp/log" -f "$tmp/$name.img" 2>/dev/null
		rc=$?
		got=$(sed -n 's/.*(errno \([0-9]*\))$/\1/p' "$tmp/log" | tail -n 1)
		if [ "$err" = - ]; then
			[ $rc = 0 ] && pass || fail "restart $name: refused: $(cat "$tmp/log")"
		elif [ $rc = 1 ] && [ "$got" = "$errnum" ]; then
			pass
		else
			fail "restart $name: want errno $errnum, got $rc: $(cat "$tmp/log")"
		fi
	done <"$tmp/cases"
fi

echo "$passed passed, $failed failed"
[ $failed = 0 ]
