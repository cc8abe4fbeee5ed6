#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every command line of the user guide's "Testing Sandboxed Commands"
# section, run for real. Where the guide touches shared places (/tmp/test.txt,
# https://example.com) the test keeps the guide's rules but points the
# command at a private temp dir or a local server on 127.0.0.1.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

# --- Test filesystem restrictions --------------------------------------------
# /root must be listable unsandboxed for the denial to mean anything.
if ls /root >/dev/null 2>&1; then
	pass "guide: ls /root works unsandboxed (baseline)"
	expect_status "guide: --fs rx:/usr -- ls /root is denied" 2 "$SBX" --fs rx:/usr -- ls /root
	expect_contains "guide: ls /root fails with permission denied" "$ERR" "Permission denied"
	expect_not_contains "guide: ls /root failure is ls's, not sandboxec's" "$ERR" "sandboxec: "
else
	skip "guide: ls /root" "/root is not listable even unsandboxed here"
fi
expect_status "guide: --fs rx:/usr -- ls /usr is allowed" 0 "$SBX" --fs rx:/usr -- ls /usr
expect_contains "guide: ls /usr lists /usr" "$OUT" "bin"

# --- Test network restrictions -------------------------------------------------
# The guide uses curl https://example.com (port 443); no internet here, so
# curl talks HTTP to a local server, and the rule names that server's port.
if ! command -v curl >/dev/null; then
	skip "guide: curl lines" "curl is not installed"
elif ! need_abi 4 "TCP rules" "guide: curl lines"; then
	:
elif sbx_bg "$SBX_TMP/http.out" "$SBX_HELPERS/probe" serve 0 "$SERVE_SECONDS"; then
	port=$(awk '/^ready/ {print $2}' "$SBX_TMP/http.out")
	url=http://127.0.0.1:$port/
	expect_status "guide: curl works unsandboxed (baseline)" 0 curl -sS --max-time 5 "$url"
	expect_status "guide: --fs rx:/usr -- curl fails without a net rule" 7 \
		"$SBX" --fs rx:/usr -- curl -sS --max-time 5 "$url"
	expect_status "guide: --fs rx:/usr --net c:PORT -- curl succeeds" 0 \
		"$SBX" --fs rx:/usr --net "c:$port" -- curl -sS --max-time 5 "$url"
	expect_eq "guide: curl under the sandbox got the page" "$OUT" "ok"
else
	fail "guide: local http server" "did not start: $(cat "$SBX_TMP/http.out")"
fi

# --- Test write restrictions -----------------------------------------------------
# The guide's rules are kept verbatim (rx:/tmp, rw:/tmp); the file is in our
# private dir under /tmp instead of the shared /tmp/test.txt.
T=$SBX_TMP/guide
mkdir -p "$T"
target=$T/test.txt
expect_status "guide: touch works unsandboxed (baseline)" 0 touch "$T/baseline.txt"

# Literal guide line: rx:/tmp grants no execute on /usr/bin/touch, so this
# fails before touch runs; either way nothing is written.
expect_status "guide: --fs rx:/tmp -- touch fails" 126 "$SBX" --fs rx:/tmp -- touch "$target"
expect_absent "guide: --fs rx:/tmp -- touch created nothing" "$target"
# The guide's intent (read-only /tmp) with touch runnable: touch itself is
# refused the write.
expect_status "guide: --fs rx:/usr --fs rx:/tmp -- touch is denied the write" 1 \
	"$SBX" --fs rx:/usr --fs rx:/tmp -- touch "$target"
expect_contains "guide: read-only /tmp gives permission denied" "$ERR" "Permission denied"
expect_not_contains "guide: read-only /tmp failure is touch's, not sandboxec's" "$ERR" "sandboxec: "
expect_absent "guide: read-only /tmp created nothing" "$target"

# docs/design.md §2.3: rw:/tmp grants no execute right, so the guide's "should succeed"
# line must fail with 126 and a hint naming the rule that would allow it.
expect_status "guide: --fs rw:/tmp -- touch cannot execute touch" 126 \
	"$SBX" --fs rw:/tmp -- touch "$target"
expect_contains "guide: rw:/tmp failure is sandboxec's message" "${ERR%%$'\n'*}" "sandboxec: "
expect_contains "guide: rw:/tmp failure names an rx: rule" "$ERR" "rx:"
expect_absent "guide: rw:/tmp without rx created nothing" "$target"

expect_status "guide: --fs rx:/usr --fs rw:/tmp -- touch succeeds" 0 \
	"$SBX" --fs rx:/usr --fs rw:/tmp -- touch "$target"
expect_exists "guide: rw:/tmp touch created the file" "$target"
