#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Take work done in the tree back into this repository:
#  - edits of pristine files go into the patches/*.diff that already
#    edits that file; an edit of a file no patch touches yet goes into
#    the patch named with --to (e.g. --to patches/0002-foo.diff);
#  - new plain files under our kernel paths are moved here and linked.
. "$(dirname "$0")/lib.sh"

to=
while [ $# -gt 0 ]; do
	case $1 in
	--to) to=$2; shift 2 ;;
	*) die "usage: refresh.sh [--to patches/NNNN-name.diff]" ;;
	esac
done

cd "$TREE"
declare -A owner nowners
for p in "$TOP"/patches/*.diff; do
	[ -e "$p" ] || continue
	for f in $(patched_files "$p"); do
		owner[$f]=$p
		nowners[$f]=$(( ${nowners[$f]:-0} + 1 ))
	done
done

for f in $(git diff --name-only pristine); do
	if [ -z "${owner[$f]:-}" ]; then
		[ -n "$to" ] || die "$f is edited but in no patch: use --to"
		owner[$f]=$TOP/$to
		nowners[$f]=1
	fi
done

# A file that several patches edit in turn cannot be split back by a
# script: it must be what the series makes of it, else edit the diffs.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A files_of
for f in "${!owner[@]}"; do
	if [ "${nowners[$f]}" -gt 1 ]; then
		mkdir -p "$tmp/$(dirname "$f")"
		git show "pristine:$f" > "$tmp/$f"
		for p in "$TOP"/patches/*.diff; do
			(cd "$tmp" && git apply --include="$f" "$p")
		done
		cmp -s "$tmp/$f" "$f" ||
			die "$f is edited by several patches: change their diffs by hand"
		continue
	fi
	files_of[${owner[$f]}]="${files_of[${owner[$f]}]:-} $f"
done
for p in "${!files_of[@]}"; do
	# shellcheck disable=SC2086
	git diff --no-color --no-ext-diff pristine -- ${files_of[$p]} > "$p.tmp"
	# Keep the parts of the patch that edit multi-owner files.
	for f in $(patched_files "$p"); do
		[ "${nowners[$f]}" -gt 1 ] || continue
		filterdiff_one "$p" "$f" >> "$p.tmp"
	done
	if [ -s "$p.tmp" ]; then
		mv "$p.tmp" "$p"
	else
		rm -f "$p.tmp" "$p"
		log "${p##*/} is empty now: removed"
	fi
done
# The tree now is what the series makes: record that.
FORCE=1 "$TOP/harness/prepare-tree.sh" >/dev/null

# New plain files written in the tree.
git ls-files --others --exclude-standard | grep -E "$KERNEL_DIRS" |
while read -r f; do
	[ -L "$f" ] && continue
	[ -f "$f" ] || continue
	# Build outputs are not ours to take.
	grep -qI . "$f" || continue
	mkdir -p "$TOP/$(dirname "$f")"
	mv "$f" "$TOP/$f"
	ln -s "$TOP/$f" "$f"
	log "moved new file $f into the repository (add it to a patches/*.files list)"
done
