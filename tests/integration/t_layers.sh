#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One policy, one Landlock layer (docs/design.md §2.3). The kernel stacks at most 16
# layers (docs/design.md §4.2), so 16 nested sandboxec runs with distinct policies work
# only if each adds exactly one, and a 17th must fail cleanly: status 1, a
# "sandboxec: " message, nothing run.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

L=$SBX_TMP/layers
M=$SBX_TMP/marker-dir
mkdir -p "$M"

# chain N — N nested sandboxec runs, each with its own extra rule (so no
# two policies are the same), innermost creating $M/done.
chain() {
	local n=$1 i
	local -a args=()
	for ((i = 1; i <= n; i++)); do
		mkdir -p "$L/$i"
		args+=("$SBX" --fs rx:/usr --fs "rx:$SBX_BUILD" --fs "rw:$M" --fs "r:$L/$i" --)
	done
	rm -f "$M/done"
	run_capture "${args[@]}" /usr/bin/touch "$M/done"
}

chain 16
expect_eq "16 nested distinct policies: one layer each, all run" "$STATUS" 0
expect_exists "16 nested distinct policies: innermost command ran" "$M/done"
chain 17
expect_sbx_error "17th nested layer: refused with one sandboxec: line"
expect_absent "17th nested layer: command did not run" "$M/done"

# Inner policies can only narrow: the outer layer still holds.
rm -f "$M/inner"
run_capture "$SBX" --fs rx:/usr --fs "rx:$SBX_BUILD" --fs "r:$M" -- \
	"$SBX" --fs rx:/usr --fs "rw:$M" -- /usr/bin/touch "$M/inner"
expect_eq "nested: inner rw cannot widen the outer r (touch fails)" "$STATUS" 1
expect_absent "nested: outer read-only dir untouched" "$M/inner"
