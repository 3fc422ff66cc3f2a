#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Write the work as a git format-patch series against the pristine
# tree, into build/series/, and run checkpatch --strict on each patch.
#
# The series is described in patches/: for each patch NNNN-slug,
#   NNNN-slug.msg	the commit message (subject line, blank, body)
#   NNNN-slug.files	new files it adds: paths or directory prefixes
#   NNNN-slug.diff	edits of pristine files (optional)
# Every new file must belong to exactly one patch.
. "$(dirname "$0")/lib.sh"

out=$BUILD/series
repo=$BUILD/series-repo
rm -rf "$repo" "$out"
mkdir -p "$repo" "$out"

name=$(git -C "$TOP" config user.name || echo "Checkpoint Developers")
email=$(git -C "$TOP" config user.email || echo "ckpt@localhost")
export GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email
export GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email
export GIT_AUTHOR_DATE='2026-11-23T00:00:00Z'
export GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE

# Base commit: the pristine version of every file the series edits.
git -C "$repo" init -q
for f in $(patched_files "$TOP"/patches/*.diff); do
	mkdir -p "$repo/$(dirname "$f")"
	git -C "$TREE" show "pristine:$f" > "$repo/$f"
done
git -C "$repo" add -A
git -C "$repo" commit -q --allow-empty -m "linux-source-$KVER (pristine)"
git -C "$repo" tag base

# Which patch adds each new file.
declare -A seen
new=$(new_files)
for msg in "$TOP"/patches/[0-9]*.msg; do
	p=${msg%.msg}
	if [ -f "$p.diff" ]; then
		git -C "$repo" apply "$p.diff" || die "${p##*/}.diff does not apply"
	fi
	if [ -f "$p.files" ]; then
		while read -r pat; do
			case $pat in ''|'#'*) continue ;; esac
			hit=
			for f in $new; do
				case $f in "$pat"|"$pat"*/*|"${pat%/}"/*) ;; *) continue ;; esac
				[ -n "${seen[$f]:-}" ] && die "$f is in ${seen[$f]} and ${p##*/}"
				seen[$f]=${p##*/}
				mkdir -p "$repo/$(dirname "$f")"
				cp "$TOP/$f" "$repo/$f"
				hit=1
			done
			[ -n "$hit" ] || die "${p##*/}.files: $pat matches no file"
		done < "$p.files"
	fi
	git -C "$repo" add -A
	git -C "$repo" commit -q -s -F "$msg"
done
for f in $new; do
	[ -n "${seen[$f]:-}" ] || die "$f is in no patch: add it to a patches/*.files"
done

git -C "$repo" format-patch -q --cover-letter --thread=shallow \
	--subject-prefix="RFC PATCH" -o "$out" base..HEAD
# Cover letter text.
cover=$(ls "$out"/0000-*)
python3 - "$cover" "$TOP/patches/cover-letter.txt" <<'PY'
import sys
path, text = sys.argv[1], open(sys.argv[2]).read()
subject, _, body = text.partition("\n\n")
s = open(path).read()
s = s.replace("*** SUBJECT HERE ***", subject.strip())
s = s.replace("*** BLURB HERE ***", body.strip())
open(path, "w").write(s)
PY

# API-mandated exceptions, each narrowed to the files that need it:
# "TYPE path-regex".  checkpatch runs with --ignore TYPE, then again with
# --types TYPE alone, and a hit outside the listed files still fails.
#   NEW_TYPEDEFS in libcr's public headers: BLCR's typedefs
#   (cr_client_id_t, cr_checkpoint_args_t, ...) are the API that
#   programs written for BLCR compile against; they cannot be removed.
#   ENOSYS in libcr.c: BLCR's cr_init() fails with errno ENOSYS on a
#   kernel without checkpoint support, and programs test for it.
exceptions='NEW_TYPEDEFS ^tools/checkpoint/libcr/[^/]*[.]h$
ENOSYS ^tools/checkpoint/libcr/libcr[.]c$'

status=0
for p in "$out"/[0-9]*.patch; do
	case $p in */0000-*) continue ;; esac
	types=
	while read -r type files; do
		types=${types:+$types,}$type
	done <<< "$exceptions"
	if ! (cd "$TREE" && perl scripts/checkpatch.pl --strict --quiet \
			--ignore "$types" "$p"); then
		echo "checkpatch: ${p##*/} has problems" >&2
		status=1
	fi
	while read -r type files; do
		bad=$(cd "$TREE" && perl scripts/checkpatch.pl --strict --quiet \
			--emacs --showfile --terse --types "$type" "$p" |
			grep -E '^[^:]+:[0-9]+: ' |
			awk -F: -v re="$files" '$1 !~ re' || true)
		if [ -n "$bad" ]; then
			printf '%s\n' "$bad" >&2
			echo "checkpatch: ${p##*/} has $type outside $files" >&2
			status=1
		fi
	done <<< "$exceptions"
done
ls "$out"
exit $status
