#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the tools and the kselftests as static binaries against the
# headers of a kernel build: build-user.sh FLAVOUR
# Installs them into build/user-FLAVOUR/{tools,kselftest}.
. "$(dirname "$0")/lib.sh"

flavour=${1:-debug}
obj=$BUILD/obj-$flavour
out=$BUILD/user-$flavour
hdr="-isystem $obj/usr/include"
[ -d "$obj/usr/include" ] || die "no headers in $obj: build the kernel first"

rm -rf "$out"
mkdir -p "$out/tools"
make -s -C "$TREE/tools/checkpoint" OUTPUT="$out/tools/" KHDR_INCLUDES="$hdr"
# For image_cases.sh: the images whose verdict ckptinfo knows
make -s -C "$TREE/tools/checkpoint" OUTPUT="$out/tools/" KHDR_INCLUDES="$hdr" \
	"$out/tools//mkimage"
make -s -C "$TREE/tools/testing/selftests" O="$BUILD/ksft-$flavour" \
	TARGETS=checkpoint KHDR_INCLUDES="$hdr" \
	KSFT_INSTALL_PATH="$out/kselftest" install >/dev/null
