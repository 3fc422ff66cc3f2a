# SPDX-License-Identifier: GPL-2.0
# Common settings for the harness scripts.  Source it, do not run it.

set -euo pipefail

# Debian's tools first (checkpatch needs the distribution python3 and its ply).
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
KVER=6.12
SRC_TARBALL=/usr/src/linux-source-$KVER.tar.xz
TREE=$BUILD/linux-source-$KVER
JOBS=${JOBS:-$(nproc)}

# Paths of the kernel tree that new files of ours may live under.
KERNEL_DIRS='^(arch|block|Documentation|drivers|fs|include|init|ipc|kernel|lib|mm|net|samples|security|tools)/'

log() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { log "$*"; exit 1; }

# New files of ours, at their kernel paths (tracked or not yet added).
new_files() {
	git -C "$TOP" ls-files --cached --others --exclude-standard |
		grep -E "$KERNEL_DIRS" | while read -r f; do
			[ -f "$TOP/$f" ] && echo "$f"
		done
	return 0
}

# Files of the pristine tree that a patch of the series edits.
patched_files() {
	sed -n 's|^+++ b/||p' "$@" | sort -u
}

# Install the dynamic program PROG under the root ROOT, with every
# library ldd names, at the paths the dynamic loader looks in (criu for
# "make bench", perf for "make profile").
install_with_libs() {	# install_with_libs PROG ROOT DEST
	install -m 755 "$1" "$2$3"
	ldd "$1" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
	while read -r lib; do
		mkdir -p "$2$(dirname "$lib")"
		cp -L "$lib" "$2$lib"
	done
}

# The part of a diff file that edits one path.
filterdiff_one() {
	awk -v path="$2" '
		/^diff --git / { keep = ($3 == "a/" path) }
		keep' "$1"
}
