#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A policy of 10 000 directory rules applies through every door — CLI flags,
# SANDBOXEC_FS under the shim, a YAML file — and is enforced: a file in one
# of the granted directories is readable, one outside them is not. Again
# with a soft RLIMIT_NOFILE of 256, far below the rule count: resolving
# holds a descriptor per rule only while the table has room, and the rest
# are opened when applying. Then the same directories as 10 000 writable
# rules, with a rule below one of them and a symlink there.
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

# The same directories as N writable rules, with one rule below a writable
# tree: applying looks every rule up among the writable trees (below one,
# it is reopened without following links, docs/design.md §2.1), so N of
# them must neither cost N × N nor lose a tree. d00042/sub is reopened
# beneath d00042; d00043/link, a symlink to the outside, is refused.
mkdir "$W/d00042/sub"
echo below >"$W/d00042/sub/in.txt"
ln -s "$OUTSIDE" "$W/d00043/link"
flags=(--fs rx:/usr --fs "rx:$PROBE" --fs "r:$W/d00042/sub")
envfs="rx:/usr,rx:$PROBE,r:d00042/sub"
{
	printf 'fs:\n  - rx:/usr\n  - rx:%s\n  - r:%s/d00042/sub\n' "$PROBE" "$W"
	for ((i = 1; i <= N; i++)); do
		printf -v d 'd%05d' "$i"
		flags+=(--fs "rw:$W/$d")
		envfs+=",rw:$d"
		echo "  - rw:$W/$d"
	done
} >"$yaml"

for target in "$W/d07777/new.txt" "$OUTSIDE/new.txt"; do
	expect_eq "baseline: unsandboxed write of $target" "$("$PROBE" write "$target" 2>&1)" ok
	rm -f "$target"
done
expect_eq "baseline: unsandboxed read through d00043/link" \
	"$("$PROBE" read "$W/d00043/link/out.txt" 2>&1)" ok

for door in flags env yaml; do
	got=$(run_door "$door" write "$W/d07777/new.txt" 2>&1)
	expect_eq "$door, $N rw rules: a granted directory is writable" "$got" ok
	rm -f "$W/d07777/new.txt"
	got=$(run_door "$door" read "$W/d00042/sub/in.txt" 2>&1)
	expect_eq "$door, $N rw rules: a rule below a writable tree applies" "$got" ok
	got=$(run_door "$door" write "$OUTSIDE/new.txt" 2>&1)
	expect_eq "$door, $N rw rules: outside the rules is denied" "$got" "denied EACCES"
	expect_absent "$door, $N rw rules: ... and nothing was written outside" "$OUTSIDE/new.txt"
done

flags+=(--fs "r:$W/d00043/link")
envfs+=",r:d00043/link"
echo "  - r:$W/d00043/link" >>"$yaml"
for door in flags env yaml; do
	run_capture run_door "$door" read "$OUTSIDE/out.txt"
	expect_sbx_error "$door, $N rw rules: a symlink below a writable tree is refused"
	expect_contains "$door, $N rw rules: ... naming the writable tree" "$ERR" \
		"is reached through a symlink inside rw:$W/d00043"
done
