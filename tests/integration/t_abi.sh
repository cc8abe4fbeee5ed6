#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ABI negotiation and per-ABI semantics (docs/design.md §2.1 masking, §2.4). The kernel
# here has ABI 7; --abi N must give exactly ABI N's semantics, which shows in
# what Landlock does not handle yet: REFER (ABI 2), TRUNCATE (ABI 3), TCP
# (ABI 4), scoping (ABI 6).
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 7

FX=$SBX_TMP/fx
reset_fx() {
	rm -rf "$FX"
	mkdir -p "$FX/a" "$FX/b"
	printf 'data\n' >"$FX/a/file"
}
reset_fx

kabi=$("$PROBE" landlock-abi)

# Every ABI the project knows runs a plain command on this kernel.
for n in 0 1 2 3 4 5 6 7; do
	expect_status "abi $n: a command runs" 0 "$SBX" --abi "$n" "${BASE[@]}" -- "$PROBE" ls /usr
done

# --- REFER (ABI 2) ---------------------------------------------------------------
# Without REFER handled, Landlock refuses every cross-directory rename/link
# with EXDEV, even between two writable dirs.
compare "abi 1: cross-dir rename gives EXDEV" "error EXDEV" reset_fx --abi 1 --fs "rw:$FX/a" --fs "rw:$FX/b" -- rename "$FX/a/file" "$FX/b/moved"
compare "abi 1: cross-dir link gives EXDEV" "error EXDEV" reset_fx --abi 1 --fs "rw:$FX/a" --fs "rw:$FX/b" -- link "$FX/a/file" "$FX/b/hard"
compare "abi 1: same-dir rename allowed" ok reset_fx --abi 1 --fs "rw:$FX/a" -- rename "$FX/a/file" "$FX/a/renamed"
compare "abi 2: cross-dir rename allowed" ok reset_fx --abi 2 --fs "rw:$FX/a" --fs "rw:$FX/b" -- rename "$FX/a/file" "$FX/b/moved"
compare "abi 0 (highest): cross-dir rename allowed" ok reset_fx --abi 0 --fs "rw:$FX/a" --fs "rw:$FX/b" -- rename "$FX/a/file" "$FX/b/moved"

# --- TRUNCATE (ABI 3) ------------------------------------------------------------
# Before ABI 3 Landlock does not control truncate at all: a read-only grant
# does not stop it. From ABI 3 it needs the TRUNCATE right (part of w).
compare "abi 1: truncate not restricted (read-only file)" ok reset_fx --abi 1 --fs "r:$FX/a" -- truncate "$FX/a/file"
compare "abi 2: truncate not restricted (read-only file)" ok reset_fx --abi 2 --fs "r:$FX/a" -- truncate "$FX/a/file"
compare "abi 3: truncate of a read-only file denied" "denied EACCES" reset_fx --abi 3 --fs "r:$FX/a" -- truncate "$FX/a/file"
compare "abi 3: truncate under w allowed" ok reset_fx --abi 3 --fs "w:$FX/a" -- truncate "$FX/a/file"
compare "abi 7: truncate of a read-only file denied" "denied EACCES" reset_fx --abi 7 --fs "r:$FX/a" -- truncate "$FX/a/file"
# A write grant is still checked on ABI 1 (WRITE_FILE is ABI 1).
compare "abi 1: write to a read-only file denied" "denied EACCES" reset_fx --abi 1 --fs "r:$FX/a" -- append "$FX/a/file"

# --- TCP (ABI 4) -----------------------------------------------------------------
if sbx_bg "$SBX_TMP/srv.out" "$PROBE" serve 0 30; then
	port=$(awk '/^ready/ {print $2}' "$SBX_TMP/srv.out")
	compare "abi 4: TCP connect without a rule denied" "denied EACCES" reset_fx --abi 4 -- connect "$port"
	# At ABI 3 TCP is not handled: no rule, yet connect works.
	compare "abi 3: TCP not restricted" ok reset_fx --abi 3 -- connect "$port"

	# Net rules cannot be kept on ABI 3: an error naming ABI 4, nothing runs.
	rm -f "$FX/marker"
	expect_status "abi 3 + net rule: refused" 1 "$SBX" --abi 3 "${BASE[@]}" --fs "rw:$FX" --net "c:$port" -- "$PROBE" write "$FX/marker"
	expect_sbx_error "abi 3 + net rule: one sandboxec: line"
	expect_contains "abi 3 + net rule: names ABI 4" "$ERR" "4"
	expect_contains "abi 3 + net rule: mentions --best-effort" "$ERR" "best-effort"
	expect_absent "abi 3 + net rule: command did not run" "$FX/marker"

	# With --best-effort the rule is dropped with one warning and the
	# command runs — with TCP unrestricted, as ABI 3 has no TCP control.
	run_capture "$SBX" --abi 3 --best-effort "${BASE[@]}" --net "c:$port" -- "$PROBE" connect "$port"
	expect_eq "abi 3 + net + best-effort: command runs" "$STATUS:$OUT" "0:ok"
	expect_eq "abi 3 + net + best-effort: exactly one stderr line" "$(printf '%s\n' "$ERR" | grep -c '')" 1
	expect_contains "abi 3 + net + best-effort: warning starts with sandboxec:" "${ERR:0:11}" "sandboxec: "
	expect_contains "abi 3 + net + best-effort: warning names what was dropped" "$ERR" "network"
else
	fail "abi: local server" "did not start"
fi

# --- scoping (ABI 6) ------------------------------------------------------------
rm -f "$FX/marker"
expect_status "abi 5 + restrict-scoped: refused" 1 "$SBX" --abi 5 --restrict-scoped "${BASE[@]}" --fs "rw:$FX" -- "$PROBE" write "$FX/marker"
expect_sbx_error "abi 5 + restrict-scoped: one sandboxec: line"
expect_contains "abi 5 + restrict-scoped: names ABI 6" "$ERR" "6"
expect_absent "abi 5 + restrict-scoped: command did not run" "$FX/marker"

sleep 30 &
victim=$!
kill_at_exit "$victim"
run_capture "$SBX" --abi 5 --best-effort --restrict-scoped "${BASE[@]}" -- "$PROBE" kill "$victim" CONT
expect_eq "abi 5 + restrict-scoped + best-effort: runs unscoped" "$STATUS:$OUT" "0:ok"
expect_eq "abi 5 + restrict-scoped + best-effort: one warning line" "$(printf '%s\n' "$ERR" | grep -c '')" 1
expect_contains "abi 5 + restrict-scoped + best-effort: warning starts with sandboxec:" "${ERR:0:11}" "sandboxec: "
expect_contains "abi 5 + restrict-scoped + best-effort: warning names restrict-scoped" "$ERR" "restrict-scoped"
compare "abi 6: restrict-scoped denies signal outside" "denied EPERM" reset_fx --abi 6 --restrict-scoped -- kill "$victim" CONT

# best-effort when nothing needs dropping: silent.
run_capture "$SBX" --best-effort "${BASE[@]}" -- "$PROBE" ls /usr
expect_eq "best-effort with nothing to drop: runs" "$STATUS:$OUT" "0:ok"
expect_eq "best-effort with nothing to drop: no warning" "$ERR" ""

# --- kernel ABI above the requested one is fine; above the kernel is not -----
if [ -n "$kabi" ] && [ "$kabi" -lt 7 ]; then
	expect_status "abi above the kernel's: refused" 1 "$SBX" --abi 7 "${BASE[@]}" -- "$PROBE" ls /usr
	expect_sbx_error "abi above the kernel's: one sandboxec: line"
else
	skip "abi above the kernel's" "kernel ABI is ${kabi:-unknown}, the project knows up to 7"
fi
