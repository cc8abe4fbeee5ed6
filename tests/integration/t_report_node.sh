#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The README's "When something is denied" walk, with a real node: under
# the --help example's policy node stops at once on its OpenSSL
# configuration; --report names the file, and following the report's
# "to allow … add:" line round after round reaches a working command in a
# few rounds. No suggestion may be one that cannot help the next run
# (another run's /proc/PID) or that grants everything (r:/).
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"
if ! command -v node >/dev/null; then
	skip "$(basename "$0")" "node is not installed (make deps)"
	exit 0
fi
P=$SBX_TMP/proj
mkdir -p "$P"
cd "$P" || exit 1
SCRIPT="require('dns').lookup('localhost', (e, a) => { if (e) { console.error('lookup', e.code); process.exit(2) } console.log('addr', a) })"
expect_status "node: the lookup works unsandboxed" 0 node -e "$SCRIPT"

rules=(--fs rx:/usr --fs "rw:$P" --net c:443)
# Below ABI 4 the example's TCP rule is refused; --best-effort drops it
# with one warning, and the walk is the same for the files.
has_abi 4 || rules=(--best-effort "${rules[@]}")
run_capture "$SBX" --report "${rules[@]}" -- node -e "$SCRIPT"
if ! has_abi 4; then
	expect_contains "round 1: on ABI $LL_ABI --best-effort says the TCP rule was dropped" \
		"$(grep '^sandboxec: warning: ' <<<"$ERR")" "dropped"
fi
expect_eq "round 1: node fails under the --help example's policy" "$((STATUS != 0))" 1
expect_contains "round 1: ... and the report names OpenSSL's configuration" "$ERR" \
	"read /etc/ssl/openssl.cnf"
rounds=1
while [ "$STATUS" -ne 0 ] && [ "$rounds" -lt 5 ]; do
	add=$(sed -n '/^sandboxec: to allow what the sandbox denied, add:$/{n;p}' <<<"$ERR")
	if [ -z "$add" ]; then
		fail "round $rounds" "node failed (status $STATUS) and the report suggests nothing: ${ERR:0:400}"
		break
	fi
	expect_eq "round $rounds: no rule on another run's /proc/PID" \
		"$(grep -cE 'r:/proc/[0-9]' <<<"$add")" 0
	expect_eq "round $rounds: no rule on /" "$(grep -cE '(^| )r:/( |$)' <<<"$add")" 0
	# shellcheck disable=SC2206 # the line is flags and rules, one word each
	rules+=($add)
	rounds=$((rounds + 1))
	run_capture "$SBX" --report "${rules[@]}" -- node -e "$SCRIPT"
done
expect_eq "the report's rules make node work" "$STATUS" 0
expect_contains "... and the lookup answers" "$OUT" "addr 127.0.0.1"
expect_eq "... within 3 rounds" "$((rounds <= 3))" 1
expect_contains "... and the run still ends with its report" "$ERR" "sandboxec: report"
