#!/usr/bin/env bash
# The per-exec cost of applying the policy from the LD_AUDIT copy of the
# shim (before the program's libraries run) compared with LD_PRELOAD alone:
# fork + execve + wait of /bin/true, interleaved run by run, medians of
# RUNS (default 300), printed as ratios to the bare run and extra µs.
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
{ med[$2] = $4; p10[$2] = $6; p90[$2] = $8 }
END {
	for (v = 0; v < 4; v++)
		printf "  %-36s %8.0f µs  x%.2f of bare  (+%.0f µs; p10 %.0f, p90 %.0f)\n",
		       name[v + 1], med[v], med[v] / med[0], med[v] - med[0], p10[v], p90[v]
}' <<<"$out"
