#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make bench` works (docs/perf.md §1): its harness runs rows in rounds and
# prints a table, a `tree` row really runs inside the sandboxed tree, a
# failing row stops the bench, each floor row the project writes applies
# the policy it claims (a file outside it readable unsandboxed, refused
# under the floor), scripts/bench.sh runs its exec table in one round,
# scripts/bench_vm.sh measures what the machine charges for its pieces,
# and scripts/bench_scale.sh gives a figure for every door.
# No timing is asserted: the figures are read, never checked.
. "$(dirname "$0")/lib.sh"
sbx_setup

timer=$SBX_HELPERS/bench_exec
floors=$SBX_BUILD/tests/bench
# Not under any path of the bench's policy, which grants rw:/tmp — where a
# clone, and so the build tree, may lie.
outside=$(mktemp /var/tmp/sbx-bench-outside.XXXXXX) || exit 1
at_exit "rm -f $outside"
echo secret >"$outside"
fs6="rx:/usr,r:/etc,rw:/tmp,r:/proc,rw:/dev/null,rx:$SBX_HELPERS"
spec=$SBX_TMP/rows
if has_abi 1; then
	printf 'top\tbare\t--\t/bin/true\ntree\tin the tree\t--\t/bin/true\n' >"$spec"
	expect_status "bench_exec: 1 round of a top and a tree row" 0 \
		"$timer" -r 1 -s 7 -t LD_PRELOAD="$SBX_SHIM" -t SANDBOXEC_FS="$fs6" "$spec"
	expect_contains "bench_exec: the table names the tree row" "$OUT" "in the tree "
else
	# Without Landlock the shim refuses to run a tree row: the table is
	# checked with two rows outside any tree.
	printf 'top\tbare\t--\t/bin/true\ntop\tagain\t--\t/bin/true\n' >"$spec"
	expect_status "bench_exec: 1 round of two top rows" 0 "$timer" -r 1 -s 7 "$spec"
	skip "bench_exec: the table names the tree row" "a tree row needs Landlock; $(abi_here)"
fi
expect_contains "bench_exec: the table names the reference row" "$OUT" "bare "
expect_contains "bench_exec: the table has the ratio column" "$OUT" "x ref"

printf 'top\tbare\t--\t/bin/true\ntop\tfails\t--\t/bin/false\n' >"$spec"
expect_status "bench_exec: a row that does not exit 0 stops the bench" 1 "$timer" -r 1 "$spec"
expect_contains "bench_exec: the failing row is named" "$ERR" 'row "fails"'

expect_status "scripts/bench_vm.sh: the machine's costs" 0 bash "$SBX_TOP/scripts/bench_vm.sh" "$SBX_BUILD"
expect_contains "scripts/bench_vm.sh: a page fault" "$OUT" "a page fault, anonymous memory"
expect_contains "scripts/bench_vm.sh: the project's filter attached" "$OUT" "attaching the project's filter ("

read_outside=(/usr/bin/head -c1 "$outside")
expect_status "a file outside the bench's policy is readable unsandboxed" 0 "${read_outside[@]}"
if need_abi 1 "Landlock" "floors and tree rows apply the policy"; then
	printf 'top\tbare\t--\t/bin/true\ntree\treads outside\t--\t/usr/bin/head\t-c1\t%s\n' "$outside" >"$spec"
	expect_status "bench_exec: a tree row runs under the tree's policy" 1 \
		"$timer" -r 1 -t LD_PRELOAD="$SBX_SHIM" -t SANDBOXEC_FS="$fs6" "$spec"
	# Labelled trees: each runs under its own -t LABEL: assignments, and
	# several run in one bench (a tree started later once held an earlier
	# one's pipe, and the bench never ended: hence the timeout).
	printf 'top\tbare\t--\t/bin/true\ntree:plain\treads outside\tLD_PRELOAD=\t--\t/usr/bin/head\t-c1\t%s\n' \
		"$outside" >"$spec"
	expect_status "bench_exec: a tree:LABEL row runs under that tree's assignments (none)" 0 \
		timeout 60 "$timer" -r 1 -t plain:LD_PRELOAD="$floors/empty_preload.so" "$spec"
	printf 'top\tbare\t--\t/bin/true\ntree:floor\treads outside\tLD_PRELOAD=\t--\t/usr/bin/head\t-c1\t%s\n' \
		"$outside" >"$spec"
	expect_status "bench_exec: a tree:LABEL row runs under that tree's assignments (a floor)" 1 \
		timeout 60 "$timer" -r 1 -t floor:LD_PRELOAD="$floors/landlock_seccomp_preload.so" \
		-t floor:BENCH_FS="$fs6" "$spec"
	printf 'top\tbare\t--\t/bin/true\ntree\tshim tree\t--\t/bin/true\ntree:plain\tplain tree\tLD_PRELOAD=\t--\t/bin/true\ntree:floor\tfloor tree\tLD_PRELOAD=\t--\t/bin/true\n' >"$spec"
	expect_status "bench_exec: three trees in one bench, 3 rounds" 0 \
		timeout 60 "$timer" -r 3 -t LD_PRELOAD="$SBX_SHIM" -t SANDBOXEC_FS="$fs6" \
		-t plain:LD_PRELOAD="$floors/empty_preload.so" \
		-t floor:LD_PRELOAD="$floors/landlock_seccomp_preload.so" -t floor:BENCH_FS="$fs6" "$spec"
	for r in "shim tree" "plain tree" "floor tree"; do
		expect_contains "bench_exec: the table names the row \"$r\"" "$OUT" "$r "
	done
	expect_status "bench_exec -c: the tree rows against another row" 0 \
		timeout 60 "$timer" -r 2 -c "plain tree" -t LD_PRELOAD="$SBX_SHIM" -t SANDBOXEC_FS="$fs6" \
		-t plain:LD_PRELOAD="$floors/empty_preload.so" \
		-t floor:LD_PRELOAD="$floors/landlock_seccomp_preload.so" -t floor:BENCH_FS="$fs6" "$spec"
	expect_contains "bench_exec -c: the second table" "$OUT" 'the tree rows against "plain tree":'
	expect_eq "bench_exec -c: it lists the other two tree rows" \
		"$(sed -n '/the tree rows against/,$p' <<<"$OUT" | grep -c -e '^shim tree ' -e '^floor tree ')" 2
	expect_status "bench_exec -c: a row that does not exist is an error" 1 \
		timeout 60 "$timer" -r 1 -c "no such row" -t LD_PRELOAD="$SBX_SHIM" -t SANDBOXEC_FS="$fs6" \
		-t plain:LD_PRELOAD="$floors/empty_preload.so" \
		-t floor:LD_PRELOAD="$floors/landlock_seccomp_preload.so" -t floor:BENCH_FS="$fs6" "$spec"
	for f in landlock_preload landlock_seccomp_preload; do
		expect_status "floor $f refuses the file" 1 \
			env BENCH_FS="$fs6" LD_PRELOAD="$floors/$f.so" "${read_outside[@]}"
	done
	if [ -e "$floors/audit_nolibc.so" ]; then
		expect_status "floor audit_nolibc refuses the file" 1 \
			env BENCH_FS="$fs6" LD_AUDIT="$floors/audit_nolibc.so" "${read_outside[@]}"
		expect_eq "floor audit_nolibc links no library" \
			"$(readelf -d "$floors/audit_nolibc.so" | grep -c NEEDED)" 0
	fi
	for f in static_wrapper static_seccomp_wrapper; do
		expect_status "floor $f refuses the file" 1 env BENCH_FS="$fs6" "$floors/$f" "${read_outside[@]}"
	done
	if [ -e "$floors/static_wrapper_nolibc" ]; then
		expect_status "floor static_wrapper_nolibc refuses the file" 1 \
			env BENCH_FS="$fs6" "$floors/static_wrapper_nolibc" "${read_outside[@]}"
		expect_status "floor static_wrapper_nolibc runs the command it wraps" 0 \
			env BENCH_FS="$fs6" "$floors/static_wrapper_nolibc" /bin/true
		expect_eq "floor static_wrapper_nolibc has no loader and links no library" \
			"$(readelf -ld "$floors/static_wrapper_nolibc" | grep -c 'INTERP\|NEEDED')" 0
	fi
	expect_status "peer sandboxer_ref refuses the file" 1 \
		env LL_FS_RO=/usr:/etc LL_FS_RW=/dev/null "$floors/sandboxer_ref" "${read_outside[@]}"
	expect_status "sandboxer_ref runs the command it wraps" 0 \
		env LL_FS_RO=/usr:/etc LL_FS_RW=/dev/null "$floors/sandboxer_ref" true
	expect_status "floor with the project's filter: seccomp is on" 0 \
		env BENCH_FS="$fs6" LD_PRELOAD="$floors/landlock_seccomp_preload.so" /usr/bin/grep -q 'Seccomp:.2' /proc/self/status
	expect_status "floor without it: seccomp is off" 0 \
		env BENCH_FS="$fs6" LD_PRELOAD="$floors/landlock_preload.so" /usr/bin/grep -q 'Seccomp:.0' /proc/self/status
	expect_status "static floor with the project's filter: seccomp is on" 0 \
		env BENCH_FS="$fs6" "$floors/static_seccomp_wrapper" /usr/bin/grep -q 'Seccomp:.2' /proc/self/status
	expect_status "static floor without it: seccomp is off" 0 \
		env BENCH_FS="$fs6" "$floors/static_wrapper" /usr/bin/grep -q 'Seccomp:.0' /proc/self/status

	expect_status "scripts/bench.sh: the exec table in one round" 0 \
		env BENCH_ONLY=exec BENCH_ROUNDS=1 bash "$SBX_TOP/scripts/bench.sh" "$SBX_BUILD"
	expect_contains "scripts/bench.sh: header with the load" "$OUT" "load average:"
	expect_contains "scripts/bench.sh: the --mode env row" "$OUT" "the --mode env settings"
	expect_contains "scripts/bench.sh: the static floor row" "$OUT" "floor: static wrapper"
	if [ -e "$SBX_BUILD/libsandboxec-fast.so" ]; then
		expect_contains "scripts/bench.sh: the settings with the shim alone, for comparison" "$OUT" \
			"the settings, the shim alone in LD_AUDIT"
		expect_eq "the fast audit entry links no library" \
			"$(readelf -d "$SBX_BUILD/libsandboxec-fast.so" | grep -c NEEDED)" 0
	fi
	expect_contains "scripts/bench.sh: the static floor with the filter" "$OUT" "floor: static wrapper + the project's seccomp filter"

	# The scaling rows hand bench_exec rows of thousands of arguments.
	expect_status "scripts/bench_scale.sh: 10 and 1 000 rules in one round" 0 \
		env SCALE_SIZES="10 1000" bash "$SBX_TOP/scripts/bench_scale.sh" "$SBX_BUILD" 1
	expect_eq "scripts/bench_scale.sh: nothing failed" "$ERR" ""
	for door in raw flags rw env yaml; do
		expect_eq "scripts/bench_scale.sh: a figure for $door at 1 000 rules" \
			"$(awk -v d="$door" '$1 == 1000 && $2 == d && $4 != "x?" { print "figure" }' <<<"$OUT")" figure
	done
fi
