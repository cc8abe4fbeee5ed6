#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A policy of 10 000 directory rules applies through every door — CLI flags,
# SANDBOXEC_FS under the shim, a YAML file — and is enforced: a file in one
# of the granted directories is readable, one outside them is not. Again
# with a soft RLIMIT_NOFILE of 256, far below the rule count: resolving
# holds a descriptor per rule only while the table has room, and the rest
# are opened when applying.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

N=10000
W=$SBX_TMP/work
OUTSIDE=$SBX_TMP/outside
mkdir -p "$OUTSIDE"
(cd "$W" && seq -f 'd%05g' 1 "$N" | xargs mkdir)
echo inside >"$W/d07777/in.txt"
echo outside >"$OUTSIDE/out.txt"

flags=(--fs rx:/usr --fs "rx:$PROBE")
envfs="rx:/usr,rx:$PROBE"
yaml=$SBX_TMP/many.yaml
{
	printf 'fs:\n  - rx:/usr\n  - rx:%s\n' "$PROBE"
	for ((i = 1; i <= N; i++)); do
		printf -v d 'd%05d' "$i"
		flags+=(--fs "r:$W/$d")
		# Relative: one environment string may not exceed 128 KiB.
		envfs+=",r:$d"
		echo "  - r:$W/$d"
	done
} >"$yaml"

# door NAME CMD-PREFIX... -- : runs the probe under each door.
run_door() {
	case "$1" in
	flags) "$SBX" "${flags[@]}" -- "$PROBE" "${@:2}" ;;
	env) SANDBOXEC_FS=$envfs shim "$PROBE" "${@:2}" ;;
	yaml) "$SBX" --config "$yaml" -- "$PROBE" "${@:2}" ;;
	esac
}

for target in "$W/d07777/in.txt" "$OUTSIDE/out.txt"; do
	expect_eq "baseline: unsandboxed read of $target" "$("$PROBE" read "$target" 2>&1)" ok
done

check_doors() {
	local what=$1 door got
	for door in flags env yaml; do
		got=$(run_door "$door" read "$W/d07777/in.txt" 2>&1)
		expect_eq "$door, $N rules$what: a granted directory is readable" "$got" ok
		got=$(run_door "$door" read "$OUTSIDE/out.txt" 2>&1)
		expect_eq "$door, $N rules$what: outside the rules is denied" "$got" "denied EACCES"
	done
}

check_doors ""
(
	ulimit -Sn 256 || exit 1
	check_doors " (RLIMIT_NOFILE 256)"
) || fail "soft RLIMIT_NOFILE 256" "ulimit -Sn 256 refused"
