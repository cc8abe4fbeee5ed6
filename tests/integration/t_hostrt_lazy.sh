#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# libsandboxec.so carries the host-runtime resolver but must not link libelf
# at load time (it is loaded into every process of a sandboxed tree): libelf
# is dlopen()ed on first use. Checked on the shim's own DT_NEEDED closure,
# as computed by the resolver itself.
. "$(dirname "$0")/lib.sh"

helper=$SBX_HELPERS/hostrt_closure
if [ ! -e "${SBX_SHIM:-}" ] || [ ! -x "$helper" ]; then
	echo "skip - hostrt lazy libelf: needs the shim and $helper"
	exit 0
fi
cp "$SBX_SHIM" "$SBX_TMP/shim.so" && chmod 0755 "$SBX_TMP/shim.so"
closure=$("$helper" --files "$SBX_TMP/shim.so")
expect_contains "hostrt lazy libelf: the shim's closure was computed" "$closure" "libc.so"
case "$closure" in
*libelf*) fail "hostrt lazy libelf: the shim does not link libelf" "$closure" ;;
*) pass "hostrt lazy libelf: the shim does not link libelf" ;;
esac
