#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The BLCR-compatible commands cr_checkpoint, cr_restart and cr_run
# (tools/checkpoint): every option, the exit statuses BLCR scripts test,
# the context file (mode 0400, --atomic, --backup, --clobber,
# --noclobber), the signals sent after a checkpoint or a restart, a
# counter that carries on from its saved count with its pid after
# cr_restart, cr_restart passing signals on and exiting as the restored
# root, --relocate: a program whose directory was copied, then moved,
# carries on from there, and --no-restore-pid (and restart --pidns) as
# a user without privileges.
#
# Runs as root in the test VM, with busybox sh: the tools are found in
# PATH, counter and relocate_target next to this script.  Without
# checkpoint(2) only the command lines are tested.

n=0
failed=0
pids=

T=$(mktemp -d /tmp/cr_tools.XXXXXX) || exit 1
dir=$(cd "$(dirname "$0")" && pwd)
COUNTER=$dir/counter
[ -x "$COUNTER" ] || COUNTER=/kselftest/checkpoint/counter
RELOCATE=$dir/relocate_target
[ -x "$RELOCATE" ] || RELOCATE=/kselftest/checkpoint/relocate_target
AS_USER=$dir/as_user
[ -x "$AS_USER" ] || AS_USER=/kselftest/checkpoint/as_user
nopid=2147483647

cleanup() {
	for p in $pids; do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

echo "TAP version 13"
for tool in cr_checkpoint cr_restart cr_run; do
	if ! command -v $tool >/dev/null; then
		echo "1..0 # SKIP $tool is not installed"
		exit 4
	fi
done

ok() {
	n=$((n + 1))
	echo "ok $n - $*"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $*"
}

skip() {
	n=$((n + 1))
	echo "ok $n - $* # SKIP"
}

# check DESC: pass if the last command succeeded
check() {
	if [ $? = 0 ]; then
		ok "$1"
	else
		not_ok "$1"
	fi
}

# run WANT DESC CMD...: CMD must exit with WANT; its output is in $T/out
# and $T/err
run() {
	want=$1
	desc=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err" </dev/null
	got=$?
	if [ "$got" = "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc: exit $got, want $want"
		sed 's/^/# /' "$T/err"
	fi
}

# field PID N: field N of /proc/PID/stat (3 state, 4 ppid, 6 session)
field() {
	f_line=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	# shellcheck disable=SC2086
	set -- "$2" ${f_line##*) }
	shift $(($1 - 2))
	echo "$1"
}

# settle CMD...: retry CMD for up to 10 s
settle() {
	s_i=0
	while [ $s_i -lt 100 ]; do
		"$@" && return 0
		sleep 0.1
		s_i=$((s_i + 1))
	done
	return 1
}

stopped() { [ "$(field "$1" 3)" = T ]; }
running() {
	r_st=$(field "$1" 3) && { [ "$r_st" = S ] || [ "$r_st" = R ]; }
}
gone() { [ ! -d "/proc/$1" ] || [ "$(field "$1" 3)" = Z ]; }

# children PID: the processes whose parent is PID
children() {
	for c_dir in /proc/[0-9]*; do
		[ "$(field "${c_dir#/proc/}" 4)" = "$1" ] && echo "${c_dir#/proc/}"
	done
}

# no_tmp NAME: no temporary file NAME.tmp-* is left in $T
no_tmp() {
	for t_f in "$T/$1".tmp-*; do
		[ -e "$t_f" ] && return 1
	done
	return 0
}

# mode FILE: its permissions as ls shows them
mode() {
	# shellcheck disable=SC2012
	ls -ln "$1" | cut -c1-10
}

inode() {
	# shellcheck disable=SC2012
	ls -i "$1" | awk '{ print $1 }'
}

# start_counter NAME [MAX]: run counter, output in $T/NAME.out; pid in
# $cpid once it has counted twice
start_counter() {
	# shellcheck disable=SC2086
	"$COUNTER" $2 >"$T/$1.out" 2>&1 </dev/null &
	cpid=$!
	pids="$pids $cpid"
	settle grep -q ": 2$" "$T/$1.out"
}

# last NAME: the last count of counter NAME
last() {
	tail -n 1 "$T/$1.out" | sed 's/.*: //'
}

# ended PID WANT DESC: wait for our child PID, which must end with WANT
ended() {
	wait "$1"
	e_st=$?
	if [ "$e_st" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3: status $e_st, want $2"
	fi
}

# --- Command lines: need no checkpoint(2) ---------------------------------

for tool in cr_checkpoint cr_restart cr_run; do
	for opt in --help -h '-?'; do
		run 0 "$tool $opt exits 0" $tool "$opt"
		grep -q "^Usage: $tool" "$T/out"
		check "$tool $opt prints the usage on stdout"
	done
	run 0 "$tool --version" $tool --version
done
run 0 "cr_restart -v is --version" cr_restart -v
grep -q 0.8.5 "$T/out"
check "cr_restart -v prints the version"

run 255 "cr_checkpoint without ID: usage" cr_checkpoint
run 255 "cr_checkpoint --bogus: usage" cr_checkpoint --bogus 1
run 255 "cr_checkpoint ID ID: usage" cr_checkpoint 1 2
run 255 "cr_checkpoint abc: usage" cr_checkpoint abc
run 255 "cr_checkpoint -f without FILE: usage" cr_checkpoint 1 -f
run 255 "cr_restart --bogus: usage" cr_restart --bogus
run 255 "cr_restart FILE FILE: usage" cr_restart a b
run 255 "cr_run without PROGRAM: usage" cr_run

run 22 "cr_checkpoint --dir: not implemented" cr_checkpoint --dir "$T" 1
grep -q "not yet implemented" "$T/err"
check "cr_checkpoint --dir says it is not implemented"
run 22 "cr_checkpoint -d: not implemented" cr_checkpoint -d "$T" 1
run 22 "cr_restart --dir: not implemented" cr_restart --dir "$T"
run 22 "cr_checkpoint -f -F: conflicting" cr_checkpoint -f "$T/x" -F 1 1
run 22 "cr_checkpoint -c -f: conflicting" cr_checkpoint -c -f "$T/x" 1
run 22 "cr_checkpoint --cwd --fd: conflicting" cr_checkpoint --cwd --fd 1 1
run 22 "cr_restart -f FILE FILE: conflicting" cr_restart -f "$T/x" "$T/y"
run 22 "cr_restart -F -f: conflicting" cr_restart -F 0 -f "$T/x"
run 22 "cr_checkpoint -S 99: bad signal" cr_checkpoint -S 99 1
run 22 "cr_checkpoint --signal=abc: bad signal" cr_checkpoint --signal=abc 1
run 22 "cr_restart -S 99: bad signal" cr_restart -S 99 "$T/x"
run 22 "cr_checkpoint -t -1: negative time" cr_checkpoint -t -1 1
run 22 "cr_checkpoint --time=-5: negative time" cr_checkpoint --time=-5 1
run 22 "cr_checkpoint -F abc: bad fd" cr_checkpoint -F abc 1
run 9 "cr_checkpoint -F of a closed fd: EBADF" cr_checkpoint -F 99 1

printf 'CR\0\0a BLCR context file, say' >"$T/blcr"
printf '\1\0\0\0\200\0\0\0\177CKPTIMG' >"$T/ours"
run 22 "cr_restart of a foreign file" cr_restart "$T/blcr"
grep -q "is not a checkpoint image of this kernel" "$T/err"
check "cr_restart says a foreign file is not an image"
run 22 "cr_restart -f of an empty file" cr_restart -f /dev/null
run 22 "cr_restart of a foreign file on stdin" sh -c "cr_restart <'$T/blcr'"
run 2 "cr_restart of a missing file: ENOENT" cr_restart "$T/missing"
run 21 "cr_restart of a directory: EISDIR" cr_restart "$T"

# A relocation that matches no path: restart(2) fails as without it (the
# image ends early, or there is no restart(2))
cr_restart "$T/ours" >/dev/null 2>&1 </dev/null
as_without=$?
run $as_without "cr_restart --relocate: no path to relocate" \
	cr_restart --relocate /a=/b "$T/ours"
! grep -q "cannot relocate" "$T/err"
check "cr_restart --relocate is not refused"
run $as_without "cr_restart --relocate with escapes and slashes" \
	cr_restart --relocate '/a\=b\\c/=/d//' "$T/ours"
run 22 "cr_restart --relocate of a relative path" \
	cr_restart --relocate a=/b "$T/ours"
run 22 "cr_restart --relocate to a relative path" \
	cr_restart --relocate /a=b "$T/ours"
run 22 "cr_restart --relocate without =" cr_restart --relocate '/a\=/b' "$T/ours"
set --
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
	set -- "$@" --relocate "/old$i=/new$i"
done
run $as_without "cr_restart with 16 --relocate" cr_restart "$@" "$T/ours"
run 22 "cr_restart with 17 --relocate" cr_restart "$@" --relocate /a=/b "$T/ours"
set --
run $as_without "cr_restart --no-restore-pid: restart(2) fails as without it" \
	cr_restart --no-restore-pid "$T/ours"

run 7 "--run-on-fail-args: its status replaces cr_restart's" \
	cr_restart --run-on-fail-args='exit 7' "$T/missing"
[ ! -s "$T/err" ]
check "--run-on-fail-args: no error message"
run 8 "--run-on-failure: for a bad argument" \
	cr_restart --run-on-failure='exit 8' --relocate a=/b "$T/ours"
run 22 "--run-on-fail-args exiting 0: cr_restart's status" \
	cr_restart --run-on-fail-args=true "$T/blcr"
[ -s "$T/err" ]
check "--run-on-fail-args exiting 0: the error message"
run 9 "--run-on-fail-args runs for --dir" \
	cr_restart --run-on-fail-args='exit 9' -d "$T"
run 22 "--run-on-fail-temp: not for a bad argument" \
	cr_restart --run-on-fail-temp='exit 9' "$T/blcr"

# shellcheck disable=SC2016
run 0 "cr_run: LD_PRELOAD" env LIBCR_RUN=/lib/x.so LD_PRELOAD=/lib/y.so \
	cr_run sh -c 'echo "$LD_PRELOAD"'
[ "$(cat "$T/out")" = "/lib/x.so /lib/y.so" ]
check "cr_run puts \$LIBCR_RUN before LD_PRELOAD"
# shellcheck disable=SC2016
run 0 "cr_run: its own library" \
	sh -c 'unset LIBCR_RUN LD_PRELOAD; cr_run sh -c "echo \$LD_PRELOAD"'
grep -q "libcr_run.so.0$" "$T/out"
check "cr_run preloads libcr_run.so.0"
run 5 "cr_run: the program's exit status" cr_run sh -c 'exit 5'
run 127 "cr_run of a missing program" cr_run "$T/missing"

# --- With checkpoint(2) ---------------------------------------------------

cr_checkpoint -q -f "$T/probe" $nopid
if [ $? != 3 ]; then
	skip "checkpoint and restart: the kernel has no checkpoint(2)"
	echo "1..$n"
	[ $failed = 0 ] || exit 1
	exit 4
fi

run 3 "cr_checkpoint of no process: ESRCH" cr_checkpoint -f "$T/x" $nopid
grep -q "^- .*no such process" "$T/err"
check "cr_checkpoint shows the kernel's message on failure, with '- '"
run 3 "--kmsg-error" cr_checkpoint --kmsg-error -f "$T/x" $nopid
grep -q "^- " "$T/err"
check "--kmsg-error shows the kernel's message"
run 3 "--kmsg-none" cr_checkpoint --kmsg-none -f "$T/x" $nopid
! grep -q "^- " "$T/err"
check "--kmsg-none hides the kernel's message"
run 3 "cr_checkpoint -q" cr_checkpoint -q -f "$T/x" $nopid
[ ! -s "$T/err" ]
check "cr_checkpoint -q prints nothing"
[ ! -e "$T/x" ] && no_tmp x
check "a failed checkpoint leaves no file"
for opt in -p --pid --process -g --pgid --group -s --sid --session -T --tree \
	   --save-none; do
	run 3 "cr_checkpoint $opt of no process: ESRCH" \
		cr_checkpoint $opt -f "$T/x" $nopid
done

# The default destination, its mode, --run
start_counter c1
c1=$cpid
run 0 "cr_checkpoint ID" sh -c "cd '$T' && cr_checkpoint $c1"
[ -f "$T/context.$c1" ]
check "the default destination is context.ID in the cwd"
[ "$(mode "$T/context.$c1")" = "-r--------" ]
check "the context file has mode 0400"
no_tmp "context.$c1"
check "no temporary file is left"
running $c1
check "--run (default): the process runs on"
run 0 "cr_checkpoint --run -v" cr_checkpoint --run -v -f "$T/v.img" $c1
[ -s "$T/err" ]
check "cr_checkpoint -v says what it does"
run 0 "cr_checkpoint with the accepted options" sh -c "cd '$T' &&
	cr_checkpoint -c --sync --ptraced-error --ptraced-skip --ptraced-allow \
	--ptracer-error --ptracer-skip --save-none --kmsg-warning -t 60 \
	--time=60 $c1"

# Replacement policies
cp "$T/context.$c1" "$T/a.img"
cp "$T/a.img" "$T/a.copy"
run 3 "--atomic: a failed checkpoint" cr_checkpoint --atomic -f "$T/a.img" $nopid
cmp -s "$T/a.img" "$T/a.copy" && no_tmp a.img
check "--atomic: a failed checkpoint keeps the previous image"
ino=$(inode "$T/a.img")
run 0 "--atomic" cr_checkpoint --atomic --nosync -f "$T/a.img" $c1
[ "$(inode "$T/a.img")" != "$ino" ] && ! cmp -s "$T/a.img" "$T/a.copy"
check "--atomic: a new file replaces the old one"
[ "$(mode "$T/a.img")" = "-r--------" ]
check "--atomic: mode 0400"

run 17 "--noclobber of an existing file: EEXIST" \
	cr_checkpoint --noclobber -f "$T/a.img" $c1
cp "$T/a.img" "$T/a.copy"
run 0 "--noclobber of a new file" cr_checkpoint --noclobber -f "$T/n.img" $c1
[ "$(mode "$T/n.img")" = "-r--------" ]
check "--noclobber: mode 0400"
ino=$(inode "$T/a.img")
run 0 "--clobber" cr_checkpoint --clobber -f "$T/a.img" $c1
[ "$(inode "$T/a.img")" = "$ino" ] && ! cmp -s "$T/a.img" "$T/a.copy"
check "--clobber writes the file in place"
[ "$(mode "$T/a.img")" = "-r--------" ]
check "--clobber: mode 0400"

run 0 "--backup of no file" cr_checkpoint --backup -f "$T/b.img" $c1
[ -f "$T/b.img" ] && [ ! -e "$T/b.img.~1~" ]
check "--backup of no file: no backup"
cp "$T/b.img" "$T/b.copy"
run 0 "--backup" cr_checkpoint --backup -f "$T/b.img" $c1
cmp -s "$T/b.img.~1~" "$T/b.copy" && ! cmp -s "$T/b.img" "$T/b.copy"
check "--backup keeps the old file as FILE.~1~"
run 0 "--backup again" cr_checkpoint --backup -f "$T/b.img" $c1
[ -f "$T/b.img.~2~" ]
check "--backup keeps the next one as FILE.~2~"
cp "$T/b.img" "$T/b.copy"
run 0 "--backup=NAME" cr_checkpoint --backup="$T/named" -f "$T/b.img" $c1
cmp -s "$T/named" "$T/b.copy"
check "--backup=NAME keeps the old file as NAME"

run 0 "-F FD" sh -c "cr_checkpoint -F 5 $c1 5>'$T/fd.img'"
[ "$(dd if="$T/fd.img" bs=1 skip=9 count=7 2>/dev/null)" = CKPTIMG ]
check "-F FD: an image on the descriptor"
run 0 "--fd to a pipe" sh -c "cr_checkpoint --fd=1 --nosync $c1 | cat >'$T/pipe.img'"
[ -s "$T/pipe.img" ]
check "--fd to a pipe: an image"
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/fifo.img" &
catpid=$!
run 0 "-f FIFO" cr_checkpoint -f "$T/fifo" $c1
wait $catpid
[ -p "$T/fifo" ] && [ -s "$T/fifo.img" ]
check "-f FIFO writes into the FIFO"
run 21 "-f DIR: EISDIR" cr_checkpoint -f "$T" $c1

# What becomes of the processes
run 0 "--stop" cr_checkpoint --stop -f "$T/x" $c1
settle stopped $c1
check "--stop: stopped"
run 0 "--cont" cr_checkpoint --cont -f "$T/x" $c1
settle running $c1
check "--cont: running again"
run 0 "-S 19" cr_checkpoint -S 19 -f "$T/x" $c1
settle stopped $c1
check "-S 19 (SIGSTOP): stopped"
run 0 "--signal 18" cr_checkpoint --signal 18 -f "$T/x" $c1
settle running $c1
check "--signal 18 (SIGCONT): running again"
run 0 "--term" cr_checkpoint --term -f "$T/x" $c1
ended $c1 143 "--term: killed by SIGTERM"
start_counter c1
run 0 "--kill" cr_checkpoint --kill -f "$T/x" $cpid
ended $cpid 137 "--kill: killed by SIGKILL"
start_counter c1
run 0 "--abort" cr_checkpoint --abort -f "$T/x" $cpid
ended $cpid 134 "--abort: killed by SIGABRT"
start_counter c1
run 0 "-S 10" cr_checkpoint -S 10 -f "$T/x" $cpid
ended $cpid 138 "-S 10: killed by SIGUSR1"

# A tree: the signal reaches the descendants
sh -c "'$COUNTER' >'$T/tree.out' </dev/null & wait" </dev/null &
tpid=$!
pids="$pids $tpid"
settle grep -q ": 2$" "$T/tree.out"
child=$(children $tpid)
pids="$pids $child"
run 0 "-T --term of a tree" cr_checkpoint -T --term -f "$T/tree.img" $tpid
ended $tpid 143 "--term of a tree: the root killed"
settle gone "$child"
check "--term of a tree: the descendant killed"

# Process group and session scopes, of a session leader
setsid "$COUNTER" >"$T/s.out" 2>&1 </dev/null &
spid=$!
pids="$pids $spid"
settle grep -q ": 2$" "$T/s.out"
if [ "$(field $spid 6)" = $spid ]; then
	run 0 "-g" cr_checkpoint -g -f "$T/g.img" $spid
	run 0 "--group" cr_checkpoint --group -f "$T/g.img" $spid
	run 0 "-s" cr_checkpoint -s -f "$T/s.img" $spid
	run 0 "--session" cr_checkpoint --session -f "$T/s.img" $spid
	run 0 "-p" cr_checkpoint -p -f "$T/p.img" $spid
	run 0 "--pgid --term" cr_checkpoint --pgid --term -f "$T/g.img" $spid
	ended $spid 143 "--pgid --term: the group killed"
else
	skip "-g, -s: setsid did not make a session leader"
	kill $spid
fi

# Checkpoint, kill, restart: the counter carries on, same pid
start_counter c2
c2=$cpid
run 0 "checkpoint --kill for a restart" cr_checkpoint --kill -f "$T/r.img" $c2
ended $c2 137 "the counter is killed"
count=$(last c2)
cr_restart "$T/r.img" </dev/null &
rpid=$!
pids="$pids $rpid $c2"
settle grep -q "^counter $c2: $((count + 1))$" "$T/c2.out"
check "cr_restart: the counter carries on from $count with pid $c2"
[ "$(field $c2 4)" = $rpid ]
check "cr_restart is the parent of the restored process"
kill -TERM $rpid
ended $rpid 143 "cr_restart passes SIGTERM on and dies of it"
gone $c2
check "SIGTERM reached the restored process"

# --no-restore-pid: the counter's pid is still in use (it is stopped);
# its copy has the same pid in a new pid namespace, and a new one outside
start_counter c5
c5=$cpid
run 0 "checkpoint --stop of a counter" cr_checkpoint --stop -f "$T/np.img" $c5
settle stopped $c5
check "the counter is stopped"
count=$(last c5)
run 16 "cr_restart while the saved pid is in use: EBUSY" cr_restart "$T/np.img"
cr_restart --no-restore-pid "$T/np.img" </dev/null &
rpid=$!
pids="$pids $rpid"
settle grep -q "^counter $c5: $((count + 1))$" "$T/c5.out"
check "cr_restart --no-restore-pid: the counter carries on from $count as pid $c5"
# outside PID: the pid outside of the process that has PID in a pid
# namespace of its own
outside() {
	for o_st in /proc/[0-9]*/status; do
		awk -v p="$1" '$1 == "NSpid:" && NF == 3 && $3 == p { print $2 }' \
			"$o_st" 2>/dev/null
	done | head -n 1
}
np=$(outside $c5)
[ -n "$np" ] && [ "$np" != $c5 ] && [ "$(field "$(field "$np" 4)" 4)" = $rpid ]
check "its pid outside is new ($np), its parent is cr_restart's child"
run 0 "cr_checkpoint of it by its pid outside" cr_checkpoint -f "$T/np2.img" "$np"
kill -TERM $rpid
ended $rpid 143 "cr_restart --no-restore-pid passes SIGTERM on and dies of it"
gone "$np"
check "SIGTERM reached the counter in the new namespace"
kill -KILL $c5
wait $c5 2>/dev/null
run 143 "cr_restart --no-restore-pid --term" \
	cr_restart --no-restore-pid --term "$T/np.img"
run 143 "cr_restart --no-restore-pid --term of the image taken in there" \
	cr_restart --no-restore-pid --term "$T/np2.img"

# --no-restore-pid as a user who may not make a pid namespace: in a user
# namespace of its own too, where its uid and gid alone are mapped; the
# counter keeps the user's uid and supplementary groups, one of which
# that namespace cannot name
user=65534
groups=65534,100
if [ -x "$AS_USER" ] && "$AS_USER" $user $groups true; then
	chmod 755 "$T"
	mkdir "$T/user" && chmod 777 "$T/user"
	: >"$T/user/c6.out" && chmod 666 "$T/user/c6.out"
	"$AS_USER" $user $groups "$COUNTER" >"$T/user/c6.out" 2>&1 </dev/null &
	c6=$!
	pids="$pids $c6"
	settle grep -q ": 2$" "$T/user/c6.out"
	check "a counter runs as user $user"
	run 0 "cr_checkpoint --kill as user $user" \
		"$AS_USER" $user $groups cr_checkpoint --kill -f "$T/user/u.img" $c6
	ended $c6 137 "the user's counter is killed"
	count=$(tail -n 1 "$T/user/c6.out" | sed 's/.*: //')
	run 1 "cr_restart as user $user: EPERM, choosing pids needs CAP_CHECKPOINT_RESTORE" \
		"$AS_USER" $user $groups cr_restart "$T/user/u.img"
	"$AS_USER" $user $groups cr_restart --no-restore-pid "$T/user/u.img" </dev/null &
	rpid=$!
	pids="$pids $rpid"
	settle grep -q "^counter $c6: $((count + 1))$" "$T/user/c6.out"
	check "cr_restart --no-restore-pid as user $user: the counter carries on from $count"
	np=$(outside $c6)
	[ -n "$np" ] &&
		[ "$(awk '$1 == "Uid:" { print $2 $3 $4 $5 }' "/proc/$np/status")" = \
			$user$user$user$user ] &&
		[ "$(awk '$1 == "Groups:" { print $2 "," $3 }' "/proc/$np/status")" = \
			100,65534 ]
	check "it has the user's uid and groups, and a new pid outside ($np)"
	[ "$(readlink "/proc/$np/ns/user")" != "$(readlink /proc/self/ns/user)" ]
	check "it is in a user namespace of its own"
	kill -TERM $rpid
	ended $rpid 143 "cr_restart --no-restore-pid as user $user passes SIGTERM on"
	gone "$np"
	check "SIGTERM reached the user's counter"
else
	skip "--no-restore-pid as user $user: no as_user helper"
fi

# restart --pidns as that user: the image of a counter of the user's
# that was the init of a pid namespace comes back as the init of a new
# one, made in a user namespace of the user's own
if [ -x "$AS_USER" ] && "$AS_USER" $user $groups true &&
	unshare -p -f true 2>/dev/null; then
	: >"$T/user/c7.out" && chmod 666 "$T/user/c7.out"
	unshare -p -f "$AS_USER" $user $groups "$COUNTER" \
		>"$T/user/c7.out" 2>&1 </dev/null &
	upid=$!
	pids="$pids $upid"
	settle grep -q "^counter 1: 2$" "$T/user/c7.out"
	check "a counter of user $user runs as the init of a pid namespace"
	c7=$(children $upid)
	run 0 "checkpoint --kill of it" sh -c \
		"checkpoint --kill $c7 >'$T/user/p.img' && chmod 644 '$T/user/p.img'"
	wait $upid 2>/dev/null
	count=$(tail -n 1 "$T/user/c7.out" | sed 's/.*: //')
	"$AS_USER" $user $groups restart --pidns -f "$T/user/p.img" </dev/null &
	rpid=$!
	pids="$pids $rpid"
	settle grep -q "^counter 1: $((count + 1))$" "$T/user/c7.out"
	check "restart --pidns as user $user: the counter carries on from $count as pid 1"
	np=$(children $rpid)
	[ -n "$np" ] &&
		[ "$(awk '$1 == "Uid:" { print $2 $3 $4 $5 }' "/proc/$np/status")" = \
			$user$user$user$user ] &&
		[ "$(awk '$1 == "NSpid:" { print $3 }' "/proc/$np/status")" = 1 ] &&
		[ "$(readlink "/proc/$np/ns/user")" != "$(readlink /proc/self/ns/user)" ]
	check "it has the user's uid, pid 1 in its namespace, a user namespace of its own"
	# Only SIGKILL reaches the init of a pid namespace from outside.
	kill -KILL "$np"
	ended $rpid 137 "restart exits as the restored init did, of SIGKILL"
else
	skip "restart --pidns as user $user: no as_user helper or unshare(1)"
fi

# --save-exe: a counter run from a copy of it, gone by the restart
cp "$COUNTER" "$T/counter-copy"
"$T/counter-copy" >"$T/sx.out" 2>&1 </dev/null &
sx=$!
pids="$pids $sx"
settle grep -q ": 2$" "$T/sx.out"
run 0 "cr_checkpoint --save-exe --kill" \
	cr_checkpoint --save-exe --kill -f "$T/sx.img" $sx
ended $sx 137 "the counter run from a copy is killed"
rm -f "$T/counter-copy"
count=$(last sx)
cr_restart "$T/sx.img" </dev/null &
rpid=$!
pids="$pids $rpid"
settle grep -q "^counter $sx: $((count + 1))$" "$T/sx.out"
check "cr_restart: the counter carries on with its executable gone"
kill -TERM $rpid
ended $rpid 143 "the counter restored without its file dies of SIGTERM"

# cr_restart's options after the restart
cr_restart --stop "$T/r.img" </dev/null &
rpid=$!
settle stopped $c2
check "cr_restart --stop: stopped"
kill -CONT $c2
settle running $c2
check "cr_restart --stop: SIGCONT lets it run"
kill -TERM $rpid
ended $rpid 143 "cr_restart --stop: ends with the process"
cr_restart --freeze --omit-never "$T/r.img" </dev/null &
rpid=$!
settle stopped $c2
check "cr_restart --freeze: stopped"
kill -KILL $c2
ended $rpid 137 "cr_restart ends as the process ends (SIGKILL)"
cr_restart -S 19 "$T/r.img" </dev/null &
rpid=$!
settle stopped $c2
check "cr_restart -S 19: stopped"
kill -CONT $c2
kill -TERM $rpid
wait $rpid
cr_restart --cont --run "$T/r.img" </dev/null &
rpid=$!
settle running $c2
check "cr_restart --cont --run: running"
kill -TERM $rpid
wait $rpid
run 143 "cr_restart --term" cr_restart --term "$T/r.img"
run 137 "cr_restart --kill" cr_restart --kill "$T/r.img"
run 134 "cr_restart --abort" cr_restart --abort "$T/r.img"
run 138 "cr_restart --signal 10" cr_restart --signal 10 "$T/r.img"
run 143 "cr_restart --run-on-success" \
	cr_restart --run-on-success="touch '$T/success'" --term "$T/r.img"
[ -e "$T/success" ]
check "--run-on-success ran"
run 143 "cr_restart --restore-* options" cr_restart --restore-pid \
	--restore-pgid --no-restore-pgid --restore-sid --no-restore-sid \
	--kmsg-warning --term -f "$T/r.img"
run 143 "cr_restart -F" sh -c "cr_restart --term -F 5 5<'$T/r.img'"
run 143 "cr_restart from stdin" sh -c "cr_restart --term <'$T/r.img'"

# The restored root's exit status
sh -c 'sleep 2; exit 7' </dev/null >/dev/null 2>&1 &
xpid=$!
sleep 0.5
run 0 "checkpoint of a shell" cr_checkpoint --kill -f "$T/exit.img" $xpid
wait $xpid
run 7 "cr_restart exits with the restored root's status" cr_restart "$T/exit.img"

# Failures and their hooks
start_counter c3
c3=$cpid
run 0 "checkpoint of a process that runs on" cr_checkpoint -f "$T/busy.img" $c3
run 16 "cr_restart while the pid is in use: EBUSY" cr_restart "$T/busy.img"
grep -q "^- " "$T/err"
check "cr_restart shows the kernel's message on failure"
run 16 "cr_restart --kmsg-none" cr_restart --kmsg-none "$T/busy.img"
! grep -q "^- " "$T/err"
check "cr_restart --kmsg-none hides the kernel's message"
run 16 "cr_restart -q" cr_restart -q "$T/busy.img"
[ ! -s "$T/err" ]
check "cr_restart -q prints nothing"
run 42 "--run-on-fail-temp for EBUSY" \
	cr_restart --run-on-fail-temp='exit 42' "$T/busy.img"
[ ! -s "$T/err" ]
check "--run-on-fail-temp: no error message"
run 43 "--run-on-failure for EBUSY" \
	cr_restart --run-on-failure='exit 43' "$T/busy.img"
run 16 "--run-on-fail-temp exiting 0" \
	cr_restart --run-on-fail-temp=true "$T/busy.img"
run 16 "--run-on-fail-perm: not for EBUSY" \
	cr_restart --run-on-fail-perm='exit 44' "$T/busy.img"
kill $c3
wait $c3

head -c 300 "$T/r.img" >"$T/cut.img"
run 61 "cr_restart of a cut image: ENODATA" cr_restart "$T/cut.img"
run 44 "--run-on-fail-perm for a cut image" \
	cr_restart --run-on-fail-perm='exit 44' "$T/cut.img"

start_counter c4
c4=$cpid
run 0 "checkpoint of a process writing a file" \
	cr_checkpoint --kill -f "$T/env.img" $c4
wait $c4
rm "$T/c4.out"
run 2 "cr_restart when a file is gone: ENOENT" cr_restart "$T/env.img"
run 45 "--run-on-fail-env for ENOENT" \
	cr_restart --run-on-fail-env='exit 45' "$T/env.img"

# --relocate: a program run from a directory, which is its working
# directory and holds its executable and a file it has open and mapped,
# comes back from a copy of the directory (every file a new inode), then
# from where the copy was moved
mkdir "$T/old"
cp "$RELOCATE" "$T/old/prog"
echo one >"$T/old/data"
(cd "$T/old" && exec ./prog data) >"$T/reloc.out" 2>&1 </dev/null &
lpid=$!
pids="$pids $lpid"
settle grep -q "^relocate $lpid: 2 fd one map one$" "$T/reloc.out"
check "relocate_target runs in its directory"

# has_fd PATH: the program has PATH open
has_fd() {
	for h_fd in "/proc/$lpid/fd/"*; do
		[ "$(readlink "$h_fd")" = "$1" ] && return 0
	done
	return 1
}
# relocated_to DIR: all the files of the program are those under DIR,
# the file still mapped shared; says what /proc shows when they are not
relocated_to() {
	[ "$(readlink "/proc/$lpid/exe")" = "$1/prog" ] &&
		[ "$(readlink "/proc/$lpid/cwd")" = "$1" ] &&
		has_fd "$1/data" &&
		grep -q " r--s .* $1/data$" "/proc/$lpid/maps" &&
		grep -q " $1/prog$" "/proc/$lpid/maps" && return 0
	echo "# pid $lpid, want $1: exe $(readlink "/proc/$lpid/exe")," \
		"cwd $(readlink "/proc/$lpid/cwd")"
	ls -l "/proc/$lpid/fd/" | sed 's/^/#   /'
	sed 's/^/#   /' "/proc/$lpid/maps"
	return 1
}
# carries_on TEXT: it counts on from where it was saved, reading TEXT
carries_on() {
	settle grep -q "^relocate $lpid: $((count + 1)) fd $1 map $1$" "$T/reloc.out"
}
saved_count() {
	sed -n "s/^relocate $lpid: \([0-9]*\) .*/\1/p" "$T/reloc.out" | tail -n 1
}

run 0 "checkpoint of a program and its directory" \
	cr_checkpoint --kill -f "$T/reloc.img" $lpid
wait $lpid
count=$(saved_count)
cp -a "$T/old" "$T/copy"
rm -rf "$T/old"
run 2 "cr_restart when its directory is gone: ENOENT" cr_restart "$T/reloc.img"
grep -q "^- .*$T/old/" "$T/err"
check "the kernel names the path that is gone"
run 2 "cr_restart --relocate to a missing directory: ENOENT" \
	cr_restart --relocate "$T/old=$T/none" "$T/reloc.img"
grep -q "^- .*$T/none/" "$T/err"
check "the kernel names the new path that is missing"

cr_restart --relocate "$T/old=$T/copy" "$T/reloc.img" </dev/null &
rpid=$!
pids="$pids $rpid $lpid"
carries_on one
check "cr_restart --relocate: the program carries on from the copy"
relocated_to "$T/copy" && ! grep -q "$T/old/" "/proc/$lpid/maps"
check "its executable, working directory, file and mapping are the copy's"
printf 'two\n' | dd of="$T/copy/data" conv=notrunc 2>/dev/null
settle grep -q "^relocate $lpid: [0-9]* fd two map two$" "$T/reloc.out"
check "it reads the copy through its descriptor and its mapping"

run 0 "checkpoint of the relocated program" \
	cr_checkpoint --kill -f "$T/reloc2.img" $lpid
ended $rpid 137 "cr_restart ends as the relocated program (SIGKILL)"
count=$(saved_count)
mv "$T/copy" "$T/moved"
cr_restart --relocate "/nowhere=/x" --relocate "$T/copy=$T/moved" \
	"$T/reloc2.img" </dev/null &
rpid=$!
pids="$pids $rpid"
carries_on two
check "cr_restart --relocate: the program carries on where it was moved"
relocated_to "$T/moved"
check "its files are those moved"

if command -v restart >/dev/null; then
	run 0 "checkpoint for restart --relocate" \
		cr_checkpoint --kill -f "$T/reloc3.img" $lpid
	ended $rpid 137 "cr_restart ends as the relocated program (SIGKILL)"
	count=$(saved_count)
	mv "$T/moved" "$T/again"
	restart --relocate "$T/moved=$T/again" -f "$T/reloc3.img" \
		</dev/null >/dev/null 2>&1 &
	rpid=$!
	pids="$pids $rpid"
	carries_on two && relocated_to "$T/again"
	check "restart --relocate: the program carries on where it was moved"
	kill -TERM $lpid
	ended $rpid 143 "restart ends as the relocated program (SIGTERM)"
else
	skip "restart --relocate: restart is not installed"
	kill -TERM $rpid
	ended $rpid 143 "cr_restart --relocate passes SIGTERM on"
fi

# --omit-*: a checkpoint of cr_restart's tree leaves it out
if command -v ckptinfo >/dev/null; then
	for omit in --omit-always --omit-maybe --omit-never; do
		cr_restart $omit "$T/r.img" </dev/null &
		rpid=$!
		settle running $c2
		cr_checkpoint -f "$T/omit.img" $rpid
		eval "tasks_$(echo $omit | tr -d -)=$(ckptinfo "$T/omit.img" |
			sed -n 's/^ *nr_tasks *//p')"
		kill -TERM $rpid
		wait $rpid
	done
	# shellcheck disable=SC2154
	if [ "$tasks_omitnever" != 2 ]; then
		not_ok "--omit-never: $tasks_omitnever tasks saved, want 2"
	elif [ "$tasks_omitalways" = 2 ]; then
		skip "--omit-always: a kernel without PR_SET_CHECKPOINT_SIGNAL"
	else
		[ "$tasks_omitalways" = 1 ] && [ "$tasks_omitmaybe" = 1 ]
		check "--omit-always, --omit-maybe: cr_restart left out"
	fi
else
	skip "--omit-*: no ckptinfo"
fi

# A checkpoint of a tree that holds cr_checkpoint itself: the restored
# copy exits 0 (written in place: the restored copy reopens its file)
sh -c "cr_checkpoint --clobber -f '$T/self.img' \$\$; echo rc=\$?" \
	>>"$T/self.out" 2>&1 </dev/null
[ "$(cat "$T/self.out")" = rc=0 ]
check "cr_checkpoint of a tree that holds it"
run 0 "cr_restart of a tree that holds cr_checkpoint" cr_restart "$T/self.img"
[ "$(grep -c '^rc=0$' "$T/self.out")" = 2 ]
check "the restored cr_checkpoint exits 0"

echo "1..$n"
[ $failed = 0 ]
