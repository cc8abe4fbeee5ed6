#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Lists the longest C functions under the given directories, longest first:
# "LINES FILE:LINE NAME". A function is what clang-format lays out in this
# tree: a signature, then "{" and "}" alone at the start of a line; its
# length counts the lines from "{" to "}".
#
#   scripts/longest-functions.sh [--top N] [--max LINES] DIR|FILE...
#
# With --max, exits 1 (after the list) when any function is longer;
# `make lint` runs it that way over the production code.
set -eu
top=20 max=
while [ $# -gt 0 ]; do
	case $1 in
	--top) top=$2; shift 2 ;;
	--max) max=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--top N] [--max LINES] DIR|FILE..." >&2; exit 2; }

list=$(find "$@" -name '*.c' -print0 | sort -z | xargs -0 awk '
	FNR == 1 { sig = ""; start = 0 }
	/^\{/ && sig != "" { start = FNR; name = sig; next }
	/^\}/ && start { printf "%d %s:%d %s\n", FNR - start + 1, FILENAME, start, name; start = 0; sig = ""; next }
	!start && /^[A-Za-z_].*\(/ {
		s = $0; sub(/\(.*/, "", s); n = split(s, w, /[ *]+/); sig = w[n]; next
	}
	!start && /^$/ { sig = "" }
' | sort -k1,1nr -k2,2)

printf '%s\n' "$list" | head -n "$top"
if [ -n "$max" ]; then
	over=$(printf '%s\n' "$list" | awk -v m="$max" '$1 > m' | wc -l)
	if [ "$over" -gt 0 ]; then
		echo "longest-functions: $over function(s) longer than $max lines" >&2
		exit 1
	fi
	echo "longest-functions: none longer than $max lines"
fi
