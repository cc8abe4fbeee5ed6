#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ABI negotiation and per-ABI semantics (docs/design.md §2.1 masking, §2.4).
# --abi N must give exactly ABI N's semantics, which shows in what Landlock
# does not handle yet: REFER (ABI 2), TRUNCATE (ABI 3), TCP (ABI 4),
# scoping (ABI 6). A case pinning an ABI above the kernel's is skipped; that
# such an ABI is refused, or degraded under best-effort, is asserted.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

# at_abi N compare-ARGS... — a compare that pins --abi N: skipped, with the
# reason, where the kernel is below N.
at_abi() {
	local n=$1
	shift
	need_abi "$n" "--abi $n" "$1" && compare "$@"
}

FX=$SBX_TMP/fx
reset_fx() {
	rm -rf "$FX"
	mkdir -p "$FX/a" "$FX/b"
	printf 'data\n' >"$FX/a/file"
}
reset_fx

# Every ABI the project knows up to the kernel's runs a plain command;
# the ones above it are refused with one line, nothing run.
for ((n = 0; n <= KNOWN_ABI; n++)); do
	if [ "$n" -le "$LL_ABI" ]; then
		expect_status "abi $n: a command runs" 0 "$SBX" --abi "$n" "${BASE[@]}" -- "$PROBE" ls /usr
	else
		run_capture "$SBX" --abi "$n" "${BASE[@]}" -- "$PROBE" ls /usr
		expect_sbx_error "abi $n, above the kernel's $LL_ABI: refused"
	fi
done

# --- REFER (ABI 2) ---------------------------------------------------------------
# Without REFER handled, Landlock refuses every cross-directory rename/link
# with EXDEV, even between two writable dirs.
at_abi 1 "abi 1: cross-dir rename gives EXDEV" "error EXDEV" reset_fx --abi 1 --fs "rw:$FX/a" --fs "rw:$FX/b" -- rename "$FX/a/file" "$FX/b/moved"
at_abi 1 "abi 1: cross-dir link gives EXDEV" "error EXDEV" reset_fx --abi 1 --fs "rw:$FX/a" --fs "rw:$FX/b" -- link "$FX/a/file" "$FX/b/hard"
at_abi 1 "abi 1: same-dir rename allowed" ok reset_fx --abi 1 --fs "rw:$FX/a" -- rename "$FX/a/file" "$FX/a/renamed"
at_abi 2 "abi 2: cross-dir rename allowed" ok reset_fx --abi 2 --fs "rw:$FX/a" --fs "rw:$FX/b" -- rename "$FX/a/file" "$FX/b/moved"
compare "abi 0 (highest): cross-dir rename $(abi_pick 2 allowed "gives EXDEV below ABI 2")" \
	"$(abi_pick 2 ok "error EXDEV")" reset_fx --abi 0 --fs "rw:$FX/a" --fs "rw:$FX/b" -- rename "$FX/a/file" "$FX/b/moved"

# --- TRUNCATE (ABI 3) ------------------------------------------------------------
# Before ABI 3 Landlock does not control truncate at all: a read-only grant
# does not stop it. From ABI 3 it needs the TRUNCATE right (part of w).
at_abi 1 "abi 1: truncate not restricted (read-only file)" ok reset_fx --abi 1 --fs "r:$FX/a" -- truncate "$FX/a/file"
at_abi 2 "abi 2: truncate not restricted (read-only file)" ok reset_fx --abi 2 --fs "r:$FX/a" -- truncate "$FX/a/file"
at_abi 3 "abi 3: truncate of a read-only file denied" "denied EACCES" reset_fx --abi 3 --fs "r:$FX/a" -- truncate "$FX/a/file"
at_abi 3 "abi 3: truncate under w allowed" ok reset_fx --abi 3 --fs "w:$FX/a" -- truncate "$FX/a/file"
at_abi 7 "abi 7: truncate of a read-only file denied" "denied EACCES" reset_fx --abi 7 --fs "r:$FX/a" -- truncate "$FX/a/file"
# A write grant is still checked on ABI 1 (WRITE_FILE is ABI 1).
at_abi 1 "abi 1: write to a read-only file denied" "denied EACCES" reset_fx --abi 1 --fs "r:$FX/a" -- append "$FX/a/file"

# --- TCP (ABI 4) -----------------------------------------------------------------
if sbx_bg "$SBX_TMP/srv.out" "$PROBE" serve 0 600; then
	port=$(awk '/^ready/ {print $2}' "$SBX_TMP/srv.out")
	at_abi 4 "abi 4: TCP connect without a rule denied" "denied EACCES" reset_fx --abi 4 -- connect "$port"
	# At ABI 3 TCP is not handled: no rule, yet connect works.
	at_abi 3 "abi 3: TCP not restricted" ok reset_fx --abi 3 -- connect "$port"
else
	fail "abi: local server" "did not start"
fi
if [ -n "${port:-}" ] && need_abi 3 "--abi 3" "abi 3 + net rule: refused, or dropped under best-effort"; then
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
fi

# --- scoping (ABI 6) ------------------------------------------------------------
sleep 600 &
victim=$!
kill_at_exit "$victim"
if need_abi 5 "--abi 5" "abi 5 + restrict-scoped: refused, or dropped under best-effort"; then
	rm -f "$FX/marker"
	expect_status "abi 5 + restrict-scoped: refused" 1 "$SBX" --abi 5 --restrict-scoped "${BASE[@]}" --fs "rw:$FX" -- "$PROBE" write "$FX/marker"
	expect_sbx_error "abi 5 + restrict-scoped: one sandboxec: line"
	expect_contains "abi 5 + restrict-scoped: names ABI 6" "$ERR" "6"
	expect_absent "abi 5 + restrict-scoped: command did not run" "$FX/marker"

	run_capture "$SBX" --abi 5 --best-effort --restrict-scoped "${BASE[@]}" -- "$PROBE" kill "$victim" CONT
	expect_eq "abi 5 + restrict-scoped + best-effort: runs unscoped" "$STATUS:$OUT" "0:ok"
	expect_eq "abi 5 + restrict-scoped + best-effort: one warning line" "$(printf '%s\n' "$ERR" | grep -c '')" 1
	expect_contains "abi 5 + restrict-scoped + best-effort: warning starts with sandboxec:" "${ERR:0:11}" "sandboxec: "
	expect_contains "abi 5 + restrict-scoped + best-effort: warning names restrict-scoped" "$ERR" "restrict-scoped"
fi
at_abi 6 "abi 6: restrict-scoped denies signal outside" "denied EPERM" reset_fx --abi 6 --restrict-scoped -- kill "$victim" CONT

# best-effort when nothing needs dropping: silent.
run_capture "$SBX" --best-effort "${BASE[@]}" -- "$PROBE" ls /usr
expect_eq "best-effort with nothing to drop: runs" "$STATUS:$OUT" "0:ok"
expect_eq "best-effort with nothing to drop: no warning" "$ERR" ""

# --- kernel ABI above the requested one is fine; above the kernel is not -----
# (the loop at the top refused each one without best-effort).
if [ "$LL_ABI" -lt "$KNOWN_ABI" ]; then
	above=$((LL_ABI + 1))
	run_capture "$SBX" --abi "$above" "${BASE[@]}" -- "$PROBE" ls /usr
	expect_contains "abi above the kernel's: the refusal names both ABIs" "$ERR" "$above"
	expect_contains "abi above the kernel's: the refusal names --best-effort" "$ERR" "best-effort"
	run_capture "$SBX" --abi "$above" --best-effort "${BASE[@]}" -- "$PROBE" ls /usr
	expect_eq "abi above the kernel's, best-effort: runs" "$STATUS:$OUT" "0:ok"
	expect_eq "abi above the kernel's, best-effort: one warning naming the ABI in use" \
		"$(printf '%s\n' "$ERR" | grep -c '')/$(grep -c "warning: best-effort: using Landlock ABI $LL_ABI" <<<"$ERR")" 1/1
else
	skip "abi above the kernel's" "no ABI this build knows is above the one in use; $(abi_here)"
fi
