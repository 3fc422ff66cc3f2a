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
# Safe to run again: applied patches and existing links are left alone.
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
		git add -A
		git -c user.name=pristine -c user.email=pristine@localhost \
			commit -q -m "Debian linux-source-$KVER (pristine)"
		git tag pristine
	)
fi

for p in "$TOP"/patches/*.diff; do
	[ -e "$p" ] || continue
	if git -C "$TREE" apply --check --reverse "$p" 2>/dev/null; then
		continue	# already applied
	fi
	git -C "$TREE" apply "$p" || die "${p##*/} does not apply"
done

new_files | while read -r f; do
	dst=$TREE/$f
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
