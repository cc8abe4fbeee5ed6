#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Writes the $LIB tree the generated settings name (docs/shim.md, "32-bit
# programs"): DIR/LIB/libsandboxec.so, a relative link to the shim of the
# class whose loader expands $LIB to LIB. Used by `make` and `make install`.
#   scripts/shim-tree.sh DIR SHIM64 LIB64 [SHIM32 LIB32...]
# An empty LIB64 (the loader's $LIB could not be measured) writes no tree:
# the settings then name the 64-bit shim itself. When the fast audit entry
# (libsandboxec-fast.so) lies beside SHIM64, DIR/LIB64/libsandboxec-fast.so
# leads to it; it is built for x86-64 only, so each i386 LIB gets the i386
# shim under that name, which then decides for 32-bit programs
# (docs/audit-and-seccomp.md, "The fast audit entry").
set -eu
dir=$1 shim64=$2 lib64=$3
shift 3
rm -rf "$dir"
[ -n "$lib64" ] || exit 0
fast=$(dirname "$shim64")/libsandboxec-fast.so
link() { # TARGET LIB NAME
	mkdir -p "$dir/$2"
	ln -sr "$1" "$dir/$2/$3"
}
link "$shim64" "$lib64" libsandboxec.so
if [ -e "$fast" ]; then
	link "$fast" "$lib64" libsandboxec-fast.so
fi
if [ $# -gt 0 ]; then
	shim32=$1
	shift
	for lib in "$@"; do
		link "$shim32" "$lib" libsandboxec.so
		if [ -e "$fast" ]; then
			link "$shim32" "$lib" libsandboxec-fast.so
		fi
	done
fi
