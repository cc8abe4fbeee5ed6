#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs libFuzzer targets built by `make fuzz`, each for SECONDS on a working
# copy of its committed seed corpus; fails if any target found a crash,
# leak, timeout or out-of-memory input (kept under BUILD/fuzz/NAME/).
#
#   scripts/fuzz.sh BUILD SECONDS NAME...
set -u
build=$1 seconds=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
status=0
for name in "$@"; do
	work=$build/fuzz/$name
	mkdir -p "$work/corpus"
	seeds=$top/tests/fuzz/corpus/$name
	[ -d "$seeds" ] && cp -n "$seeds"/* "$work/corpus/" 2>/dev/null
	log=$work/log
	"$build/fuzz/fuzz_$name" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
		-rss_limit_mb=2048 -artifact_prefix="$work/" "$work/corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ $rc -ne 0 ] || ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* >/dev/null 2>&1; then
		echo "fuzz $name: FAILED after ${runs:-?} runs (exit $rc); see $log and $work/"
		grep -E 'ERROR|SUMMARY' "$log" | head -5
		status=1
	else
		echo "fuzz $name: ${seconds}s, ${runs:-?} runs, no crash"
	fi
done
exit $status
