#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Put the work onto a pristine Debian linux-source tree in build/:
# unpack it once (a git repository whose first commit, tagged
# "pristine", is the untouched source), apply the edits of patches/*.diff
# and link our new files into it.  Linking means an edit of a new file
# in the tree is an edit of the file in this repository; edits of
# existing files are taken back into patches/ by refresh.sh.
#
# Safe to run again: it does only what changed since the last run.
. "$(dirname "$0")/lib.sh"

[ -f "$SRC_TARBALL" ] || die "$SRC_TARBALL missing: run harness/deps.sh"
mkdir -p "$BUILD"

if ! git -C "$TREE" rev-parse -q --verify pristine >/dev/null 2>&1; then
	log "unpacking $SRC_TARBALL"
	rm -rf "$TREE"
	tar -C "$BUILD" -xf "$SRC_TARBALL"
	# Debian's tarball ignores every top-level path in .gitignore; the
	# tree is only useful as a git repository without that stanza.
	sed -i '/^# Debian packaging: ignore everything/,$d' "$TREE/.gitignore"
	sed -i '${/^#$/d}' "$TREE/.gitignore"
	(
		cd "$TREE"
		git init -q
		# Fixed, so that refresh.sh writes the same index lines anywhere.
		git config core.abbrev 9
		git add -A
		git -c user.name=pristine -c user.email=pristine@localhost \
			commit -q -m "Debian linux-source-$KVER (pristine)"
		git tag pristine
	)
fi

# Apply the series' edits.  A stamp records which diffs were applied
# and what the edited files looked like afterwards, so that a changed
# series is reapplied, but edits made in the tree and not yet taken back
# by refresh.sh are never thrown away.
stamp=$TREE/.git/ckpt-applied
diffs=("$TOP"/patches/*.diff)
[ -e "${diffs[0]}" ] || diffs=()
want=$(cat /dev/null "${diffs[@]}" | sha1sum | cut -d' ' -f1)
files=$( (patched_files /dev/null "${diffs[@]}"; sed -n '3,$p' "$stamp" 2>/dev/null || true) | sort -u)
state() {	# state FILES...: one hash of what the files hold now
	local f
	for f in "$@"; do
		echo "$f $(sha1sum < "$TREE/$f" 2>/dev/null || echo absent)"
	done | sha1sum | cut -d' ' -f1
}
if [ "$(sed -n 1p "$stamp" 2>/dev/null)" != "$want" ]; then
	if [ -f "$stamp" ]; then
		# shellcheck disable=SC2046
		[ "$(state $(sed -n '3,$p' "$stamp"))" = "$(sed -n 2p "$stamp")" ] ||
			[ "${FORCE:-0}" = 1 ] ||
			die "the tree has edits that are not in patches/: run harness/refresh.sh first (or FORCE=1 to drop them)"
	elif ! git -C "$TREE" diff --quiet pristine; then
		[ "${FORCE:-0}" = 1 ] ||
			die "the tree has edits of unknown origin: FORCE=1 resets them"
	fi
	# shellcheck disable=SC2086
	[ -z "$files" ] || git -C "$TREE" checkout -q pristine -- $files
	for p in "${diffs[@]}"; do
		git -C "$TREE" apply "$p" || die "${p##*/} does not apply"
	done
	# shellcheck disable=SC2086
	{ echo "$want"; state $files; echo "$files"; } > "$stamp"
fi

new_files | while read -r f; do
	dst=$TREE/$f
	# git does not follow a symlinked .gitignore: copy those.
	if [ "${f##*/}" = .gitignore ]; then
		mkdir -p "$(dirname "$dst")"
		rm -f "$dst"
		cp "$TOP/$f" "$dst"
		continue
	fi
	[ "$(readlink "$dst" 2>/dev/null)" = "$TOP/$f" ] && continue
	if [ -e "$dst" ] && [ ! -L "$dst" ]; then
		git -C "$TREE" cat-file -e "pristine:$f" 2>/dev/null &&
			die "$f exists in the pristine tree; edit it through patches/"
		die "$dst is a plain file: run harness/refresh.sh first"
	fi
	mkdir -p "$(dirname "$dst")"
	ln -sfn "$TOP/$f" "$dst"
done

# Links to files that were removed from the repository.
git -C "$TREE" ls-files --others --exclude-standard | while read -r f; do
	if [ -L "$TREE/$f" ] && [ ! -e "$TREE/$f" ]; then
		rm -f "$TREE/$f"
	fi
done
exit 0
