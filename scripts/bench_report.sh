#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make bench` row for --report (docs/diagnostics.md "Cost"): a make build of
# 17 C files (17 compiler processes) and a Python import, each bare, under
# sandboxec, under sandboxec --report with each backend (the tracer; the
# kernel's audit records, when this process may read them) and under
# strace -f (when installed),
# in alternating rounds; prints median seconds and ratios to bare from the
# same run. Asserts nothing.
#
#   scripts/bench_report.sh BUILD
set -u
build=$(cd "${1:-build}" && pwd)
sbx=$build/sandboxec
rounds=${BENCH_REPORT_ROUNDS:-5}
tmp=$(mktemp -d /tmp/sbxbench-report.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/mk/tmp"
for i in $(seq 1 17); do
	printf '#include <stdio.h>\nint f%d(void) { return printf("%d\\n"); }\n' "$i" "$i" >"$tmp/mk/f$i.c"
done
printf 'OBJ := $(patsubst %%.c,%%.o,$(wildcard *.c))\nall: $(OBJ)\n%%.o: %%.c\n\tcc -O1 -c $< -o $@\n' \
	>"$tmp/mk/Makefile"
policy=(--fs rx:/usr --fs "rw:$tmp" --fs rw:/dev/null)
export TMPDIR=$tmp/mk/tmp
unset MAKEFLAGS MFLAGS MAKELEVEL

now() { date +%s.%N; }
declare -A times
run_one() { # NAME WRAPPER... -- CMD...
	local name=$1 t0 t1
	shift
	make -s -C "$tmp/mk" clean-objs >/dev/null 2>&1
	rm -f "$tmp"/mk/*.o
	t0=$(now)
	"$@" >/dev/null 2>&1
	t1=$(now)
	times[$name]+="$(echo "$t1 - $t0" | bc) "
}
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

cmds_make=(make -s -C "$tmp/mk")
cmds_py=(/usr/bin/python3 -c 'import json, email.parser, http.client, decimal, asyncio')
for ((r = 0; r < rounds; r++)); do
	for w in make py; do
		declare -n cmd=cmds_$w
		run_one "$w bare" "${cmd[@]}"
		run_one "$w sandboxec" "$sbx" "${policy[@]}" -- "${cmd[@]}"
		run_one "$w tracer" "$sbx" --report=tracer "${policy[@]}" -- "${cmd[@]}"
		if "$sbx" --report=audit --fs rx:/usr -- true 2>/dev/null; then
			run_one "$w audit" "$sbx" --report=audit "${policy[@]}" -- "${cmd[@]}"
		fi
		if command -v strace >/dev/null; then
			run_one "$w strace -f" strace -f -o /dev/null "${cmd[@]}"
		fi
		unset -n cmd
	done
done
echo
echo "--report (tracer = backend 1, audit = backend 2), median of $rounds, ratio to bare in this run:"
for w in make py; do
	bare=$(echo "${times[$w bare]}" | median)
	for v in bare sandboxec tracer audit "strace -f"; do
		[ -n "${times[$w $v]:-}" ] || continue
		m=$(echo "${times[$w $v]}" | median)
		printf '  %-5s %-10s %8.3f s  x%.2f\n' "$w" "$v" "$m" "$(echo "$m / $bare" | bc -l)"
	done
done
