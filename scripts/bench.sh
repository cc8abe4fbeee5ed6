#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make bench`: what a sandboxed exec costs. Each row runs /bin/true
# BENCH_RUNS times (default 200) through tests/helpers/bench_exec (fork +
# execve + wait4, timed in C, so every row pays the same harness), in
# rounds that alternate between the rows so a burst of load on the machine
# hits them all alike. Prints per row the median wall-clock and child CPU
# time and their ratios to the bare run of the same bench; asserts
# nothing. Then runs every other scripts/bench_*.sh.
#
#   scripts/bench.sh BUILD
set -u
build=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-200}
rounds=${BENCH_ROUNDS:-5}
helpers=$build/tests/helpers
timer=$helpers/bench_exec
shim=$build/libsandboxec.so
sbx=$build/sandboxec
empty_preload=$build/tests/bench/empty_preload.so
true_bin=/bin/true
for f in "$timer" "$shim" "$sbx" "$empty_preload"; do
	[ -x "$f" ] || [ -f "$f" ] || { echo "bench: $f is missing; run make first" >&2; exit 1; }
done
tmp=$(mktemp -d /tmp/sbxbench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/bench-policy.sh"
# A timer that is itself already sandboxed: what it starts is a descendant
# in a sandboxed tree (the shim has left LD_PRELOAD by then; the last row
# puts it back, and the marker makes the shim skip).
in_tree=(env LD_PRELOAD="$shim" SANDBOXEC_FS="$fs6")

# One row per line: NAME; the name of an array holding the words that
# start the timer (empty: none); the timer's own arguments (assignments
# for the command, --, the command). Adding a row is adding a line.
names=()
declare -A wrap args
row() {
	local name=$1 wrapper=$2
	shift 2
	names+=("$name")
	wrap[$name]=$wrapper
	args[$name]=$(printf '%q ' "$@")
}
row "bare /bin/true" "" -- "$true_bin"
row "floor: LD_PRELOAD of an empty library" "" LD_PRELOAD="$empty_preload" -- "$true_bin"
row "shim, cold: 6-rule SANDBOXEC_FS" "" LD_PRELOAD="$shim" SANDBOXEC_FS="$fs6" -- "$true_bin"
row "descendant in a sandboxed tree" in_tree -- "$true_bin"
row "descendant re-adding LD_PRELOAD (marker: skip)" in_tree LD_PRELOAD="$shim" -- "$true_bin"
row "sandboxec --fs x6 -- /bin/true" "" -- "$sbx" "${flags6[@]}" -- "$true_bin"
if command -v bwrap >/dev/null 2>&1; then
	row "bwrap --ro-bind / / /bin/true" "" -- "$(command -v bwrap)" --ro-bind / / "$true_bin"
fi

per_round=$(((runs + rounds - 1) / rounds))
for ((round = 0; round < rounds; round++)); do
	for name in "${names[@]}"; do
		eval "set -- ${args[$name]}"
		local_wrap=()
		if [ -n "${wrap[$name]}" ]; then
			declare -n wrapper_words=${wrap[$name]}
			local_wrap=("${wrapper_words[@]}")
			unset -n wrapper_words
		fi
		"${local_wrap[@]}" "$timer" "$per_round" "$@" >>"$tmp/${name//[^a-zA-Z0-9]/_}" || { echo "bench: row \"$name\" failed" >&2; exit 1; }
	done
done

# median FILE COLUMN — the median of one column of the timer's output.
median() { cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ratio() { awk -v m="$1" -v b="$2" 'BEGIN { printf "%.2f", m / b }'; }
echo "exec of /bin/true, median of $((per_round * rounds)) runs per row ($rounds alternating rounds);"
echo "wall = fork to reaped, cpu = the child's user+system time (less noisy on a loaded machine)"
printf '%-48s %9s %7s %9s %7s\n' "row" "wall µs" "x bare" "cpu µs" "x bare"
bare_wall=
for name in "${names[@]}"; do
	file=$tmp/${name//[^a-zA-Z0-9]/_}
	wall=$(median "$file" 1)
	cpu=$(median "$file" 2)
	[ -n "$bare_wall" ] || { bare_wall=$wall; bare_cpu=$cpu; }
	printf '%-48s %9s %7s %9s %7s\n' "$name" "$wall" "$(ratio "$wall" "$bare_wall")" \
		"$cpu" "$(ratio "$cpu" "$bare_cpu")"
done
echo "goals (not asserted): shim cold <= 1.2x, descendant <= 1.05x, sandboxec <= 2.2x"

for other in "$top"/scripts/bench_*.sh; do
	[ -e "$other" ] || continue
	echo
	echo "== $(basename "$other")"
	bash "$other" "$build" || echo "bench: $(basename "$other") failed" >&2
done
