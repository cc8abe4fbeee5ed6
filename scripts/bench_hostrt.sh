#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Host-runtime bench: whole-$PATH resolution by our ELF resolver against the
# ld.so --list method on the same files, page cache warm; prints medians
# and the ratio. The method we replace is run the way the Go tool ran it:
# one `ld.so --list FILE` per ELF executable in $PATH, one after another,
# each spawned directly (no shell in between) with its output read through
# a pipe. The two are measured in alternation, so a busy machine slows both.
#
#   scripts/bench_hostrt.sh BUILD [ROUNDS]
set -u
build=${1:-build}
rounds=${2:-7}
helper=$build/tests/helpers/hostrt_closure
ldso=${SBX_LDSO:-/lib64/ld-linux-x86-64.so.2}
[ -x "$helper" ] || { echo "bench_hostrt: build $helper first (make bench-hostrt)" >&2; exit 1; }
[ -x "$ldso" ] || { echo "bench_hostrt: no loader at $ldso; set SBX_LDSO" >&2; exit 1; }
tmp=$(mktemp -d /tmp/sbxbench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$helper" --list-elf | sort -u >"$tmp/exes"
n=$(wc -l <"$tmp/exes")

# Warm-up: every file and library read once by both methods.
"$helper" --bench-ldso "$ldso" "$tmp/exes" 1 >/dev/null
"$helper" --bench 3 >/dev/null

# Each round: one ld.so pass, then five resolutions (their median).
for _ in $(seq "$rounds"); do
	"$helper" --bench-ldso "$ldso" "$tmp/exes" 1 >>"$tmp/ldso"
	"$helper" --bench 5 >>"$tmp/ours"
done

libs=$("$helper" --path | grep -c '^shared library')
awk -v n="$n" -v libs="$libs" -v rounds="$rounds" '
function median(a, k,   i, j, t) {
	for (i = 2; i <= k; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
}
FILENAME ~ /ldso$/ { lw[++nl] = $2; lc[nl] = $8 }
FILENAME ~ /ours$/ { ow[++no] = $2; omin[no] = $4; oc[no] = $8; entries = $6 }
END {
	l = median(lw, nl); lcpu = median(lc, nl)
	o = median(ow, no); ocpu = median(oc, no); om = median(omin, no)
	printf "host runtime: %d ELF executables in $PATH, %d libraries, %d rules; %d rounds\n", n, libs, entries, rounds
	printf "  ld.so --list per executable: %8.1f ms wall, %7.1f ms CPU (medians)\n", l / 1000, lcpu / 1000
	printf "  sandboxec ELF resolver:      %8.1f ms wall, %7.1f ms CPU (medians; best %.1f ms)\n", o / 1000, ocpu / 1000, om / 1000
	printf "  ratio: %.0fx faster (wall), %.0fx less CPU\n", l / o, (ocpu > 0 ? lcpu / ocpu : 0)
}' "$tmp/ldso" "$tmp/ours"
