#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what the build and the tests need, if it is missing.
. "$(dirname "$0")/lib.sh"

PKGS="linux-source-$KVER build-essential bc bison flex libelf-dev libssl-dev
      cpio xz-utils rsync git perl python3 python3-ply python3-git ccache sparse
      qemu-system-x86
      busybox-static libcap-dev dwarves kmod"
[ "${WITH_CRIU:-0}" = 1 ] && PKGS="$PKGS criu"
[ "${WITH_PERF:-0}" = 1 ] && PKGS="$PKGS linux-perf"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

log "installing:$missing"
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
