#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# ABI negotiation and per-ABI semantics (docs/design.md §2.1 masking, §2.4).
# --abi N must give exactly ABI N's semantics, which shows in what Landlock
# does not handle yet: REFER (ABI 2), TRUNCATE (ABI 3), TCP (ABI 4),
# scoping (ABI 6). ABIs 8-11 are checked for what the kernel has: asked
# for above it they are refused or degrade, and each feature's real
# behaviour is asserted where the kernel has it, skipped (naming the
# feature) where not.
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

# The ABI sandboxec uses here: the kernel's, capped at the newest it knows.
kabi=$LL_ABI

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
if sbx_bg "$SBX_TMP/srv.out" "$PROBE" serve 0 "$SERVE_SECONDS"; then
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
# Beyond what the project knows: refused whatever the kernel.
expect_status "abi 12: refused" 1 "$SBX" --abi 12 --best-effort "${BASE[@]}" -- "$PROBE" ls /usr
expect_sbx_error "abi 12: one sandboxec: line"
expect_contains "abi 12: says the range" "$ERR" "1 to 11"

# --- what explain says each ABI adds ----------------------------------------
run_capture "$SBX" --mode explain --abi 7 --best-effort "${BASE[@]}"
expect_contains "explain --abi 7: names what ABI 8 would add" "$OUT" "# ABI 8 would add: all threads confined at once"
expect_contains "explain --abi 7: names what ABI 10 would add" "$OUT" "# ABI 10 would add: UDP port rules"
if [ "$kabi" -ge 8 ]; then
	expect_contains "explain: TSYNC on a kernel with ABI $kabi" "$OUT" "# threads: every thread of the process (TSYNC)"
else
	expect_contains "explain: one thread below ABI 8" "$OUT" "# threads: the calling thread"
fi
if [ "$kabi" -ge 11 ]; then
	expect_contains "explain: no_new_privs by the layer on ABI $kabi" "$OUT" "no_new_privs: set by the layer itself"
else
	expect_contains "explain: no_new_privs by prctl below ABI 11" "$OUT" "no_new_privs: set by prctl before the layer"
fi

# --- UDP port rules (ABI 10) --------------------------------------------------
ESC=$SBX_HELPERS/escape
if sbx_bg "$SBX_TMP/udp.out" "$ESC" udp-echo 127.0.0.1 "$SERVE_SECONDS"; then
	uport=$(sed -n 's/^ready //p' "$SBX_TMP/udp.out")
	other=$((uport == 65535 ? uport - 1 : uport + 1))
	UDPBASE=(--fs rx:/usr --fs "rx:$ESC")
	expect_status "udp: a datagram reaches the echo server unsandboxed (control)" 0 "$ESC" udp-send 127.0.0.1 "$uport"
	if [ "$kabi" -ge 10 ]; then
		run_capture "$SBX" "${UDPBASE[@]}" --net "uc:$uport" -- "$ESC" udp-send 127.0.0.1 "$uport"
		expect_eq "abi $kabi: uc:PORT sends to that port" "$STATUS" 0
		run_capture "$SBX" "${UDPBASE[@]}" --net "uc:$other" -- "$ESC" udp-send 127.0.0.1 "$uport"
		expect_eq "abi $kabi: uc on another port: the datagram is refused" "$STATUS" 3
		run_capture "$SBX" "${UDPBASE[@]}" --net "c:443" -- "$ESC" udp-send 127.0.0.1 "$uport"
		expect_eq "abi $kabi: TCP rules alone leave UDP open" "$STATUS" 0
	else
		rm -f "$FX/marker"
		expect_status "abi $kabi + UDP rule: refused" 1 "$SBX" "${BASE[@]}" --fs "rw:$FX" --net "uc:$uport" -- "$PROBE" write "$FX/marker"
		expect_sbx_error "abi $kabi + UDP rule: one sandboxec: line"
		# Below ABI 4 every net rule is refused as one.
		expect_contains "abi $kabi + UDP rule: names the ABI it needs" "$ERR" \
			"$(abi_pick 4 "UDP port rules (--net) need Landlock ABI 10" "network rules (--net) need Landlock ABI 4")"
		expect_absent "abi $kabi + UDP rule: command did not run" "$FX/marker"
		run_capture "$SBX" --best-effort "${UDPBASE[@]}" --net "uc:$other" -- "$ESC" udp-send 127.0.0.1 "$uport"
		expect_eq "abi $kabi + UDP rule + best-effort: UDP open to every port" "$STATUS" 0
		expect_contains "abi $kabi + UDP rule + best-effort: warning names the dropped rules" "$ERR" \
			"sandboxec: warning: best-effort: using Landlock ABI $kabi (the kernel has $kabi); dropped $(abi_pick 4 "the UDP port rules" "all network rules")"
		skip "UDP port rules enforced by Landlock" "needs Landlock ABI 10 (UDP rights), kernel has $kabi"
	fi
else
	fail "abi: UDP echo server" "did not start"
fi

# --- restrict-unix by Landlock (ABI 9) ---------------------------------------
SOCKDIR=$SBX_TMP/sockets
mkdir -p "$SOCKDIR"
if sbx_bg "$SBX_TMP/unix.out" "$ESC" unix-listen "$SOCKDIR/s" "$SERVE_SECONDS"; then
	UBASE=(--fs rx:/usr --fs "rx:$ESC" --restrict-unix)
	expect_status "unix: connect works unsandboxed (control)" 0 "$ESC" unix-connect "$SOCKDIR/s"
	expect_status "unix: connect works without --restrict-unix" 0 "$SBX" --fs rx:/usr --fs "rx:$ESC" -- "$ESC" unix-connect "$SOCKDIR/s"
	expect_status "restrict-unix: connect refused with r on the socket" 3 "$SBX" "${UBASE[@]}" --fs "r:$SOCKDIR" -- "$ESC" unix-connect "$SOCKDIR/s"
	if [ "$kabi" -ge 9 ]; then
		expect_status "abi $kabi restrict-unix: w on the socket's directory grants connecting" 0 "$SBX" "${UBASE[@]}" --fs "w:$SOCKDIR" -- "$ESC" unix-connect "$SOCKDIR/s"
		expect_status "abi $kabi restrict-unix: w on the socket itself grants connecting" 0 "$SBX" "${UBASE[@]}" --fs "w:$SOCKDIR/s" -- "$ESC" unix-connect "$SOCKDIR/s"
		expect_status "abi $kabi restrict-unix pinned to --abi 8: the filter refuses even with w" 3 "$SBX" --abi 8 "${UBASE[@]}" --fs "w:$SOCKDIR" -- "$ESC" unix-connect "$SOCKDIR/s"
	else
		expect_status "abi $kabi restrict-unix: the filter refuses even with w" 3 "$SBX" "${UBASE[@]}" --fs "w:$SOCKDIR" -- "$ESC" unix-connect "$SOCKDIR/s"
		skip "restrict-unix: w grants connecting per path" "needs Landlock ABI 9 (resolve_unix), kernel has $kabi"
	fi
else
	fail "abi: pathname unix socket server" "did not start"
fi
