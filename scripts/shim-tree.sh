#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Writes the $LIB tree the generated settings name (docs/shim.md, "32-bit
# programs"): DIR/LIB/libsandboxec.so, a relative link to the shim of the
# class whose loader expands $LIB to LIB. Used by `make` and `make install`.
#   scripts/shim-tree.sh DIR SHIM64 LIB64 [SHIM32 LIB32...]
# An empty LIB64 (the loader's $LIB could not be measured) writes no tree:
# the settings then name the 64-bit shim itself.
set -eu
dir=$1 shim64=$2 lib64=$3
shift 3
rm -rf "$dir"
[ -n "$lib64" ] || exit 0
link() { # TARGET LIB
	mkdir -p "$dir/$2"
	ln -sr "$1" "$dir/$2/libsandboxec.so"
}
link "$shim64" "$lib64"
if [ $# -gt 0 ]; then
	shim32=$1
	shift
	for lib in "$@"; do
		link "$shim32" "$lib"
	done
fi
