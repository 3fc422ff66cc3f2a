#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# restart(2) against ckptinfo: every image that mkimage makes, valid or
# corrupted in one place, is given to restart --validate (RESTART_VALIDATE:
# parse and check, restore nothing), which must accept it or refuse it
# with the errno that ckptinfo, the userspace mirror of the kernel's
# checks, gives for it ("mkimage -l" lists both).  This checks the
# checks of the kernel against those that tools/checkpoint's "make
# check" tests on every truncation and byte flip of these images.
#
# Runs as root in the test VM, with busybox sh: mkimage and restart are
# found in PATH.

command -v mkimage >/dev/null && command -v restart >/dev/null || {
	echo "SKIP: mkimage or restart not in PATH"
	exit 4
}
# The XSAVE areas of the images must be the size of this CPU's.
export MKIMAGE_XSTATE=native
T=$(mktemp -d /tmp/image_cases.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT

# restart(2) says why it refuses an image; ENOSYS says nothing
printf 'not an image' >"$T/img"
restart --validate -l "$T/log" -f "$T/img" 2>/dev/null
if ! grep -q 'errno' "$T/log"; then
	echo "SKIP: restart(2) is not in this kernel"
	exit 4
fi

mkimage -l >"$T/cases" || { echo "not ok: mkimage -l"; exit 1; }
n=0
failed=0
while read -r name err errnum off; do
	# Refused when restoring only, as the epoll items are added
	case $name in
	epoll_exclusive_* | epoll_nested_too_deep | epoll_item_twice | epoll_inherit_twice)
		err=- ;;
	# ... and as the sessions and groups are checked, before any task
	pidns_standin_*)
		err=- ;;
	esac
	n=$((n + 1))
	if ! mkimage "$name" >"$T/img"; then
		failed=$((failed + 1))
		echo "# not ok $n $name: mkimage failed"
		continue
	fi
	restart --validate -l "$T/log" -f "$T/img" 2>/dev/null
	rc=$?
	got=$(sed -n 's/.*(errno \([0-9]*\))$/\1/p' "$T/log" | tail -n 1)
	if [ "$err" = - ] && [ $rc = 0 ]; then
		continue
	elif [ "$err" != - ] && [ $rc = 1 ] && [ "$got" = "$errnum" ]; then
		continue
	fi
	failed=$((failed + 1))
	echo "# not ok $n $name: want ${err} ($errnum), restart exited $rc: $(tail -n 1 "$T/log")"
done <"$T/cases"
echo "# $n images, $failed not as ckptinfo says"
[ $failed = 0 ]
