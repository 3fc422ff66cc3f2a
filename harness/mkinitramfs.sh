#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Pack the VM's initramfs: static busybox, our /init, the installed
# kselftests and the tools: mkinitramfs.sh OUT KSELFTEST_DIR TOOLS_DIR [EXTRA]
# EXTRA is a directory whose tree is copied over the root (bench.sh puts
# criu and its libraries there).
. "$(dirname "$0")/lib.sh"

out=$1 kst=$2 tools=$3 extra=${4:-}
root=$(mktemp -d "$BUILD/initramfs.XXXXXX")
# mktemp makes it 0700: unprivileged users could not look up any path.
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,usr/bin,usr/share/ckpt,proc,sys,dev,tmp,root,etc}
cp /bin/busybox "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
install -m 755 "$TOP/harness/initramfs/init" "$root/init"
install -m 755 "$TOP/harness/demo.sh" "$root/usr/share/ckpt/demo.sh"
install -m 755 "$TOP/harness/bench-vm.sh" "$root/usr/share/ckpt/bench-vm.sh"
cp -a "$kst" "$root/kselftest"
mkdir -p "$root/usr/lib"
for f in "$tools"/*; do
	case $f in
	*.so|*.so.*) [ -f "$f" ] && cp -a "$f" "$root/usr/lib/" ;;
	*) [ -x "$f" ] && [ -f "$f" ] && install -m 755 "$f" "$root/usr/bin/" ;;
	esac
done
# The C library, for libcr's shared objects and the programs that
# cr_run starts with one preloaded; the rest of the tree is static.
for f in /lib64/ld-linux-x86-64.so.2 /lib/x86_64-linux-gnu/libc.so.6; do
	mkdir -p "$root$(dirname "$f")"
	cp -L "$f" "$root$f"
done
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'nobody:x:65534:65534:nobody:/:/bin/false' >> "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
[ -z "$extra" ] || cp -a "$extra"/. "$root"/

(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
