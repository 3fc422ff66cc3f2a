#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Compile our kernel code with W=1 and sparse (C=2: check every file,
# rebuilt or not) and fail on any warning in it.
. "$(dirname "$0")/lib.sh"

flavour=${1:-debug}
obj=$BUILD/obj-$flavour
ours=$(new_files | grep -E '\.c$' | grep -vE '^(tools|Documentation)/' || true)
dirs=$(for f in $ours; do dirname "$f"; done | sort -u)
objs=
for f in $ours; do
	objs="$objs ${f%.c}.o"
done
# Touched files of the pristine tree that compile on their own.
objs="$objs kernel/sys_ni.o kernel/time/hrtimer.o kernel/time/posix-timers.o kernel/futex/waitwake.o fs/select.o"
objs="$objs kernel/sys.o fs/eventfd.o fs/signalfd.o fs/timerfd.o fs/eventpoll.o ipc/mqueue.o"

export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
# shellcheck disable=SC2086
make -C "$TREE" O="$obj" CC="ccache gcc" W=1 C=2 -j"$JOBS" $objs 2>&1 |
	tee "$BUILD/warnings.log"
# A warning in our files, or a sparse/W=1 complaint about our symbols.
pat=$(echo $ours | sed 's/ /|/g')
# The functions our patches make visible to the checkpoint code.
syms='sys_checkpoint|sys_restart|hrtimer_nanosleep_restart|futex_wait_restart|do_restart_poll|do_timer_create|do_timer_settime|posix_timer_by_id'
syms+='|eventfd_checkpoint|eventfd_restore|eventfd_file_create|signalfd_checkpoint|signalfd_restore|signalfd_file_create|checkpoint_prctl'
syms+='|timerfd_checkpoint|timerfd_restore|timerfd_file_create|timerfd_catch_up|eventpoll_checkpoint|eventpoll_restore|epoll_ctl_file|epoll_file_create'
syms+='|mq_open_file|mq_restore_msg'
if grep -E "($pat|$syms).*(warning|error)" "$BUILD/warnings.log"; then
	die "warnings in our code"
fi
echo "W=1 C=2: no warnings in: $dirs"
