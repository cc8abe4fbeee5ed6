#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The per-exec cost of applying the policy from the LD_AUDIT copy of the
# shim (before the program's libraries run) compared with LD_PRELOAD alone:
# fork + execve + wait of /bin/true, interleaved run by run, medians of
# RUNS (default 300) of wall time and of the child's CPU time (steadier on a
# busy machine), printed as ratios to the bare run and extra µs.
#
#   scripts/bench_audit.sh BUILD [RUNS]
set -u
build=${1:-build}
runs=${2:-300}
timer=$build/tests/helpers/bench_audit_timer
shim=$(cd "$build" && pwd)/libsandboxec.so
[ -x "$timer" ] && [ -e "$shim" ] ||
	{ echo "bench_audit: build $timer and $shim first (make bench-audit)" >&2; exit 1; }
[ "$runs" -ge 200 ] || { echo "bench_audit: use at least 200 runs" >&2; exit 1; }

# Six rules, a typical small policy.
fs="rx:/usr,r:/etc,rw:/tmp,r:/proc,rw:/dev/null,r:/var"
names=("bare" "LD_PRELOAD only" "LD_AUDIT + LD_PRELOAD (--mode env)" "LD_AUDIT only")
out=$(env -u LD_PRELOAD -u LD_AUDIT "$timer" "$runs" /bin/true -- \
	-- LD_PRELOAD="$shim" SANDBOXEC_FS="$fs" \
	-- LD_AUDIT="$shim" LD_PRELOAD="$shim" SANDBOXEC_FS="$fs" \
	-- LD_AUDIT="$shim" SANDBOXEC_FS="$fs") || exit 1

echo "audit path: fork+exec+wait of /bin/true, 6-rule SANDBOXEC_FS, median of $runs (interleaved)"
awk -v names="$(printf '%s\n' "${names[@]}")" '
BEGIN { n = split(names, name, "\n") }
{ med[$2] = $4; p10[$2] = $6; p90[$2] = $8; cpu[$2] = $10 }
END {
	printf "  %-36s %9s %14s %11s %14s\n", "", "wall", "ratio", "child CPU", "ratio"
	for (v = 0; v < 4; v++)
		printf "  %-36s %6.0f µs  x%.2f (+%4.0f) %6.0f µs  x%.2f (+%4.0f)   p10/p90 wall %.0f/%.0f\n",
		       name[v + 1], med[v], med[v] / med[0], med[v] - med[0],
		       cpu[v], cpu[v] / cpu[0], cpu[v] - cpu[0], p10[v], p90[v]
}' <<<"$out"
