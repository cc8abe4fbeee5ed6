#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A/B of two build trees on the rows a cold-path change moves: the cold shim
# (6-rule SANDBOXEC_FS), the settings `sandboxec --mode env` prints (the
# same shim in LD_AUDIT and LD_PRELOAD, same rules) and
# `sandboxec --fs x6 -- /bin/true`, beside bare
# /bin/true and the empty preload. Every round runs every row of both
# builds, so a burst of load on a shared machine hits A and B alike; prints
# the medians of wall-clock and child CPU time and their ratios to bare.
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

for ((round = 0; round < rounds; round++)); do
	"$timer" "$per" -- /bin/true >>"$tmp/bare" || exit 1
	"$timer" "$per" LD_PRELOAD="$empty" -- /bin/true >>"$tmp/empty" || exit 1
	for side in a b; do
		build=${!side}
		"$timer" "$per" LD_PRELOAD="$build/libsandboxec.so" SANDBOXEC_FS="$fs6" \
			-- /bin/true >>"$tmp/shim_$side" || exit 1
		"$timer" "$per" LD_AUDIT="$build/libsandboxec.so" LD_PRELOAD="$build/libsandboxec.so" \
			SANDBOXEC_FS="$fs6" -- /bin/true >>"$tmp/env_$side" || exit 1
		"$timer" "$per" -- "$build/sandboxec" "${flags6[@]}" -- /bin/true \
			>>"$tmp/cli_$side" || exit 1
	done
done

median() { cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
bare_wall=$(median "$tmp/bare" 1)
bare_cpu=$(median "$tmp/bare" 2)
echo "A = $a"
echo "B = $b"
printf '%-26s %9s %7s %9s %7s\n' row "wall µs" "x bare" "cpu µs" "x bare"
for row in bare empty shim_a shim_b env_a env_b cli_a cli_b; do
	wall=$(median "$tmp/$row" 1)
	cpu=$(median "$tmp/$row" 2)
	awk -v n="$row" -v w="$wall" -v c="$cpu" -v bw="$bare_wall" -v bc="$bare_cpu" \
		'BEGIN { printf "%-26s %9d %7.2f %9d %7.2f\n", n, w, w / bw, c, c / bc }'
done
