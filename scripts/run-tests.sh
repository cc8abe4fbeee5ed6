#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the unit tests (cmocka binaries) and the integration tests
# (tests/integration/t_*.sh, tests/security/t_*.sh), and prints one closing
# line "N passed, N failed, N skipped". Exit status is non-zero when
# anything failed, or when a script asserted nothing.
#
#   scripts/run-tests.sh [--unit-only|--integration-only] BUILD [UNIT_BIN...]
set -u
mode=all
case "${1:-}" in
--unit-only) mode=unit; shift ;;
--integration-only) mode=integration; shift ;;
esac
build=$1; shift
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$build" && pwd)

passed=0
failed=0
skipped=0
failures=()

if [ "$mode" != integration ]; then
	for bin in "$@"; do
		out=$("$bin" 2>&1)
		rc=$?
		n_ok=$(grep -c '^\[       OK \]' <<<"$out")
		# cmocka names a failed test twice (where it fails, and again in
		# the closing list): count the names, not the lines.
		n_bad=$(grep '^\[  FAILED  \] [^0-9]' <<<"$out" | sort -u | grep -c .)
		passed=$((passed + n_ok))
		failed=$((failed + n_bad))
		if [ $rc -ne 0 ] || [ "$n_bad" -ne 0 ]; then
			[ "$n_bad" -eq 0 ] && failed=$((failed + 1))
			failures+=("unit: $(basename "$bin")")
			printf '%s\n' "$out" | grep -E 'FAILED|ERROR|error|Failure' | head -20
		fi
		echo "unit $(basename "$bin"): $n_ok passed, $n_bad failed"
	done
fi

if [ "$mode" != unit ]; then
	export SBX_TOP=$top SBX_BUILD=$build
	export SBX="$build/sandboxec" SBX_SHIM="$build/libsandboxec.so"
	export SBX_HELPERS="$build/tests/helpers"
	for script in "$top"/tests/integration/t_*.sh "$top"/tests/security/t_*.sh; do
		[ -e "$script" ] || continue
		name=${script#"$top"/}
		out=$(bash "$script" 2>&1)
		rc=$?
		n_ok=$(grep -c '^ok - ' <<<"$out")
		n_bad=$(grep -c '^not ok - ' <<<"$out")
		n_skip=$(grep -c '^skip - ' <<<"$out")
		grep -E '^(not ok - |skip - |# summary )' <<<"$out" | sed "s|^|  $name: |"
		if [ $rc -ne 0 ] && [ "$n_bad" -eq 0 ]; then
			n_bad=1
			echo "  $name: exited $rc"
			printf '%s\n' "$out" | tail -5 | sed 's/^/    /'
		fi
		# Every script asserts something on every kernel (what sandboxec
		# must do without a feature, at least): one that asserted nothing
		# tested nothing, and says so as a failure.
		if [ "$n_ok" -eq 0 ] && [ "$n_bad" -eq 0 ]; then
			n_bad=1
			echo "  $name: asserted nothing ($n_skip skipped)"
		fi
		[ "$n_bad" -ne 0 ] && failures+=("$name")
		passed=$((passed + n_ok))
		failed=$((failed + n_bad))
		skipped=$((skipped + n_skip))
		echo "$name: $n_ok passed, $n_bad failed, $n_skip skipped"
	done
fi

if [ ${#failures[@]} -ne 0 ]; then
	echo "failing: ${failures[*]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
