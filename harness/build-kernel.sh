#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build a kernel from the prepared tree: build-kernel.sh FLAVOUR
#   debug	the test kernel (KASAN, lockdep, kmemleak, fault injection)
#   bench	the same VM kernel without debugging, for benchmarks, plus
#		what criu needs (bench.config) to compare with it
#   nockpt	bench with CONFIG_CHECKPOINT=n, for the overhead comparison
# build-kernel.sh FLAVOUR --objects OBJ... compiles only those objects.
# Output goes to build/obj-FLAVOUR; compiles go through ccache.
. "$(dirname "$0")/lib.sh"

flavour=${1:-debug}
shift || true
cfg=$TOP/harness/config
case $flavour in
debug)	frags="$cfg/vm.config $cfg/debug.config $cfg/checkpoint.config" ;;
bench)	frags="$cfg/vm.config $cfg/checkpoint.config $cfg/bench.config" ;;
nockpt)	frags="$cfg/vm.config $cfg/bench.config $cfg/nocheckpoint.config" ;;
*)	die "unknown flavour $flavour" ;;
esac

obj=$BUILD/obj-$flavour
mkdir -p "$obj"
export CCACHE_DIR=${CCACHE_DIR:-$BUILD/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
export CCACHE_BASEDIR=$TREE
export KBUILD_BUILD_TIMESTAMP='2026-01-01'
export KBUILD_BUILD_USER=ckpt KBUILD_BUILD_HOST=ckpt
mk() { make -C "$TREE" O="$obj" CC="ccache gcc" -j"$JOBS" "$@"; }

# Regenerate the config only when a fragment changed.
stamp=$obj/.config-fragments
want=$(cat $frags | sha1sum)
if [ ! -f "$obj/.config" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	mk -s tinyconfig >/dev/null
	# shellcheck disable=SC2086
	KCONFIG_CONFIG=$obj/.config "$TREE/scripts/kconfig/merge_config.sh" \
		-m -O "$obj" "$obj/.config" $frags >/dev/null
	mk -s olddefconfig >/dev/null
	# Every option we asked for must have survived olddefconfig.
	# shellcheck disable=SC2086
	grep -h '^CONFIG_.*=y' $frags | while read -r opt; do
		grep -qx "$opt" "$obj/.config" || log "warning: $opt did not stick"
	done
	echo "$want" > "$stamp"
fi

# --objects OBJ...: compile only these objects (a cheap check that a
# configuration still builds where our edits touch it).
if [ "${1:-}" = --objects ]; then
	shift
	mk -s prepare
	mk -s "$@"
	log "built $*"
	exit 0
fi
mk -s bzImage "$@"
mk -s headers >/dev/null
log "$obj/arch/x86/boot/bzImage"
