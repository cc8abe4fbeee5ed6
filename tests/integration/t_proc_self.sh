#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A /proc/self rule binds to the process that applies the policy: Landlock
# ties the rule to /proc/PID of that process, so the command itself may
# read it and its children (other PIDs) may not. explain warns about such
# a rule, and no shipped profile has one (docs/design.md §2.1).
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
# Every case is about what Landlock binds a rule to; explain refuses
# without Landlock as run does.
require_abi 1 "Landlock"

P=(--fs rx:/usr --fs r:/proc/self/status)

# The command itself (run mode execs in the process that applied it).
expect_eq "baseline: head reads /proc/self/status" "$(head -c 5 /proc/self/status)" "Name:"
run_capture "$SBX" "${P[@]}" -- head -c 5 /proc/self/status
expect_eq "the applying process reads its own /proc/self/status" "$STATUS:$OUT" "0:Name:"
# A child reads its own /proc/self, another /proc/PID, and is denied.
expect_eq "baseline: a child of sh reads /proc/self/status" \
	"$(sh -c 'head -c 5 /proc/self/status; exit 0')" "Name:"
run_capture "$SBX" "${P[@]}" -- sh -c 'head -c 5 /proc/self/status'
expect_eq "a child is denied its /proc/self/status" "$STATUS" 1
expect_contains "a child's denial is EACCES" "$ERR" "Permission denied"
# The same through the shim: the first process applies, its child is denied.
got=$(shim SANDBOXEC_FS=rx:/usr,r:/proc/self/status sh -c 'head -c 5 /proc/self/status 2>&1; echo " $?"')
expect_eq "shim: a child is denied its /proc/self/status" "${got##* }" 1
expect_contains "shim: the child's denial is EACCES" "$got" "Permission denied"

# explain says so.
run_capture "$SBX" "${P[@]}" --mode explain
expect_contains "explain warns about a /proc/self rule" "$OUT" \
	"# warning: this rule binds to the process that applies the policy"
run_capture "$SBX" --fs rx:/usr --fs r:/proc/thread-self --mode explain
expect_contains "explain warns about a /proc/thread-self rule" "$OUT" "# warning: this rule binds"
run_capture "$SBX" --fs rx:/usr --fs r:/proc/cpuinfo --fs r:/proc/selfish --mode explain
expect_not_contains "no warning for other /proc files" "$OUT" "# warning: this rule binds"

# No shipped profile relies on it.
for f in "$SBX_TOP"/profiles/*/*.yaml; do
	name=${f#"$SBX_TOP/profiles/"}
	run_capture "$SBX" -C "${name%.yaml}" --ignore-if-missing --mode explain
	expect_not_contains "profile ${name%.yaml} has no /proc/self rule" "$OUT" "# warning: this rule binds"
done
