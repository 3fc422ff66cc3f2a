#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Read a console log of a check run and print one line per problem:
# failed kselftests, and any kernel report (KASAN, lockdep, WARN, BUG,
# Oops, RCU stall, hung task, leak).  Then print "PASSED N" and
# "FAILED N" lines for the caller to add up.
set -u
logf=$1

# kselftest_harness subtests appear as "# ok N name" / "# not ok N name"
# once the runner has prefixed them; whole programs as "ok N selftests: ...".
sub_ok=$(grep -cE '^# ok [0-9]+ ' "$logf" | tr -d '\r')
sub_skip=$(grep -cE '^# ok [0-9]+ .*# SKIP' "$logf" | tr -d '\r')
sub_fail=$(grep -cE '^# not ok [0-9]+ ' "$logf" | tr -d '\r')
top_fail=$(grep -cE '^not ok [0-9]+ selftests: ' "$logf" | tr -d '\r')
top_all=$(grep -cE '^(not )?ok [0-9]+ selftests: ' "$logf" | tr -d '\r')

grep -E '^# not ok [0-9]+ |^not ok [0-9]+ selftests: ' "$logf" |
	sed 's/^/test failed: /'

problems=0
report() {
	echo "console: $1"
	problems=$((problems + 1))
}
patterns='BUG: |WARNING: |KASAN|Oops|general protection fault|kernel BUG|'
patterns+='possible circular locking|possible recursive locking|'
patterns+='inconsistent lock state|suspicious RCU usage|lockdep|'
patterns+='rcu: INFO: .* detected stalls|self-detected stall|'
patterns+='blocked for more than|unreferenced object|suspected memory leak|'
patterns+='UBSAN|Kernel panic|list_add corruption|list_del corruption|'
patterns+='refcount_t: |DEBUG_LOCKS_WARN_ON'
# A fault of a user process is logged by the kernel too, and says
# "general protection fault" (a restored process whose code the fuzzer
# moved): it is not a kernel report, whatever the process is called.
user_faults='traps: .*\[[0-9]+\] .* ip:[0-9a-f]+ sp:[0-9a-f]+ error:[0-9a-f]+'
user_faults+='|\[[0-9]+\]: segfault at [0-9a-f]+ ip [0-9a-f]+ sp [0-9a-f]+ error [0-9a-f]+'
# A frame of a stack trace names a function, which may match a pattern
# (lockdep_hardirqs_on_prepare in the trace of an allocation failure that
# fault injection provoked): the line heading a report is what counts.
user_faults+='|^\[ *[0-9.]+\] +(\? )?[A-Za-z0-9_.]+\+0x[0-9a-f]+/0x[0-9a-f]+'
while IFS= read -r line; do
	report "$line"
done < <(grep -aE "$patterns" "$logf" | grep -v 'kmemleak: Kernel memory leak detector' |
	 grep -avE "$user_faults" | tr -d '\r' | sort -u | head -n 50)

if ! grep -q 'ckpt-harness: done' "$logf"; then
	report "the VM did not finish its run (crash, panic or timeout)"
fi
if [ "$top_all" = 0 ]; then
	report "no kselftest ran"
fi

# A program that failed without any failing subtest still counts once.
fail=$sub_fail
[ "$fail" -lt "$top_fail" ] && fail=$top_fail
echo "PASSED $((sub_ok - sub_skip))"
echo "SKIPPED $sub_skip"
echo "FAILED $((fail + problems))"
