#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A/B of two build trees on the rows a cold-path change moves: the cold shim
# (6-rule SANDBOXEC_FS), the settings `sandboxec --mode env` prints (the
# same shim in LD_AUDIT and LD_PRELOAD, same rules) and
# `sandboxec --fs x6 -- /bin/true`, beside bare
# /bin/true and the empty preload. Every round runs every row of both
# builds (RUNS_PER_ROUND times each, in a random order: tests/helpers/
# bench_exec), so a burst of load on a shared machine hits A and B alike;
# prints the medians of wall-clock and child CPU time and of their ratios
# to bare in the same round.
# Used for docs/perf.md; asserts nothing.
#
#   scripts/compare_builds.sh BUILD_A BUILD_B [ROUNDS] [RUNS_PER_ROUND]
#
# e.g. git worktree add /tmp/base main && make -C /tmp/base all \
#   && scripts/compare_builds.sh /tmp/base/build build 20 40
set -u
[ $# -ge 2 ] || { sed -n 12p "$0" >&2; exit 2; }
a=$(cd "$1" && pwd)
b=$(cd "$2" && pwd)
rounds=${3:-20}
per=${4:-40}
top=$(cd "$(dirname "$0")/.." && pwd)
helpers=$b/tests/helpers
timer=$helpers/bench_exec
for f in "$timer" "$a/sandboxec" "$a/libsandboxec.so" "$b/sandboxec" "$b/libsandboxec.so"; do
	[ -e "$f" ] || { echo "compare_builds: $f is missing; run make (and make bench) first" >&2; exit 1; }
done
empty=$b/tests/bench/empty_preload.so
[ -e "$empty" ] || make -C "$top" "BUILD=$b" "$empty" >/dev/null
tmp=$(mktemp -d /tmp/sbxbench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/bench-policy.sh"

spec=$tmp/rows
row() { (IFS=$'\t'; echo "$*") >>"$spec"; } # one tab-separated row of bench_exec
row top bare -- /bin/true
row top "empty preload" LD_PRELOAD="$empty" -- /bin/true
for side in a b; do
	build=${!side}
	row top "shim, cold ($side)" LD_PRELOAD="$build/libsandboxec.so" SANDBOXEC_FS="$fs6" -- /bin/true
	row top "--mode env settings ($side)" LD_AUDIT="$build/libsandboxec.so" LD_PRELOAD="$build/libsandboxec.so" \
		SANDBOXEC_FS="$fs6" -- /bin/true
	row top "sandboxec --fs x6 ($side)" -- "$build/sandboxec" "${flags6[@]}" -- /bin/true
done
echo "A = $a"
echo "B = $b"
"$timer" -r "$rounds" -n "$per" "$spec"
