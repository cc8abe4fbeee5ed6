#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Prints the system directories (colon-separated, libc's first) that hold
# the libraries sandboxec loads before the policy applies: libc, and those
# dlopen()ed on first use with their dependencies. The build writes them
# into the shim's DT_RPATH and into lazylib.c, so ld.so and dlopen() find
# these libraries there first and never along LD_LIBRARY_PATH or the
# program's RPATH/RUNPATH (docs/design.md §4.4).
# Usage: scripts/system-libdirs.sh CC [CFLAGS...]
set -eu
cc=$1
shift
dirs=""
for soname in libc.so.6 libyaml-0.so.2 libmd.so.0 libelf.so.1 libz.so.1 libjansson.so.4; do
	# The compiler prints the bare name when it does not find the file.
	found=$("$cc" "$@" -print-file-name="$soname" 2>/dev/null) || found=$soname
	case $found in /*) ;; *)
		[ "$soname" = libc.so.6 ] && {
			echo "sandboxec: $cc cannot find libc.so.6; install the C toolchain (make deps)" >&2
			exit 1
		}
		continue ;;
	esac
	dir=$(dirname "$(realpath "$found")")
	case ":$dirs:" in *":$dir:"*) ;; *) dirs=${dirs:+$dirs:}$dir ;; esac
done
echo "$dirs"
