#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Terminal injection (docs/security.md): a sandboxed process must not type
# into the user's terminal with ioctl(TIOCSTI), nor use TIOCLINUX. Landlock
# does not cover ioctls on a terminal fd inherited from before the policy,
# so the engine adds a seccomp filter with the layer (shim/engine/seccomp_filter.c);
# both front doors (and MCP, which confines itself the same way) get it.
# Every case runs through a real pty (pty_run.py): first unsandboxed, where
# the injected line must land in the terminal's input queue ("pending 4"),
# so the test fails if injection is impossible here anyway.
. "$(dirname "$0")/../integration/lib.sh"
sbx_setup
require_abi 1 "Landlock"

TTY=$SBX_HELPERS/tty_inject
PTY_RUN=$SBX_TOP/tests/security/pty_run.py
LINE=$'sbx\n' # 4 bytes, a whole line: what the shell would read and run
POLICY=(--fs rx:/usr --fs "rx:$SBX_HELPERS")
legacy=$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo absent)

pty() { OUT=$(python3 "$PTY_RUN" "$@" 2>&1); }

# expect_injected NAME PTY-ARGS... — the line was typed into the terminal.
expect_injected() {
	local name=$1
	shift
	pty "$@"
	case "$OUT" in
	*"pending 4"*) pass "$name" ;;
	*) fail "$name" "nothing was injected: ${OUT:0:300}" ;;
	esac
}

# expect_blocked NAME PTY-ARGS... — EPERM, and the input queue stays empty.
expect_blocked() {
	local name=$1
	shift
	pty "$@"
	case "$OUT" in
	*"denied EPERM"*"pending 0"*) pass "$name" ;;
	*) fail "$name" "${OUT: -300}" ;;
	esac
}

if [ "$legacy" = 0 ] && [ "$(id -u)" != 0 ]; then
	skip "$(basename "$0")" "legacy_tiocsti is 0: the kernel itself refuses TIOCSTI here"
	exit 0
fi

# --- the CLI: sandboxec -- CMD
expect_injected "unsandboxed: TIOCSTI types a line into the controlling terminal" ctty "$TTY" inject "$LINE"
expect_blocked "sandboxec --: TIOCSTI on the controlling terminal is EPERM, nothing typed" \
	ctty "$SBX" "${POLICY[@]}" -- "$TTY" inject "$LINE"
expect_injected "unsandboxed: TIOCSTI with bit 32 set in the request still types" \
	ctty "$TTY" inject-high "$LINE"
expect_blocked "sandboxec --: bit 32 set in the request does not slip past the filter" \
	ctty "$SBX" "${POLICY[@]}" -- "$TTY" inject-high "$LINE"
pty ctty "$TTY" inject-i386 "$LINE"
case "$OUT" in
*unsupported*) skip "TIOCSTI through the i386 entry point" "no ia32 syscall entry on this machine" ;;
*"pending 4"*)
	pass "unsandboxed: TIOCSTI through int \$0x80 (i386 table) types"
	expect_blocked "sandboxec --: TIOCSTI through int \$0x80 is EPERM too" \
		ctty "$SBX" "${POLICY[@]}" -- "$TTY" inject-i386 "$LINE"
	;;
*) fail "unsandboxed: TIOCSTI through int \$0x80 (i386 table) types" "${OUT:0:300}" ;;
esac

# TIOCLINUX only works on a virtual console; on a pty the tty layer answers
# ENOTTY or EINVAL. EPERM can only come from the filter.
pty ctty "$TTY" tioclinux
expect_not_contains "unsandboxed: TIOCLINUX on a pty is refused by the tty, not EPERM" "$OUT" "EPERM"
expect_blocked "sandboxec --: TIOCLINUX is EPERM (the filter)" ctty "$SBX" "${POLICY[@]}" -- "$TTY" tioclinux
pty ctty "$SBX" "${POLICY[@]}" -- "$TTY" winsize
expect_contains "sandboxec --: other terminal ioctls (TIOCGWINSZ) still work" "$OUT" $'ok\nexit 0'

# --- the shim: LD_PRELOAD alone, and the generated settings (LD_AUDIT too)
expect_blocked "LD_PRELOAD shim: TIOCSTI is EPERM, nothing typed" \
	ctty env LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS="rx:/usr,rx:$SBX_HELPERS" "$TTY" inject "$LINE"
"$SBX" --mode env "${POLICY[@]}" >"$SBX_TMP/settings.sh"
expect_blocked "generated settings (LD_AUDIT + LD_PRELOAD): TIOCSTI is EPERM, nothing typed" \
	ctty sh -c '. "$1" && exec "$2" inject "$3"' sh "$SBX_TMP/settings.sh" "$TTY" "$LINE"
expect_blocked "generated settings: a child of the sandboxed shell is blocked too" \
	ctty sh -c '. "$1" && exec sh -c "\"\$0\" inject \"\$1\"" "$2" "$3"' sh "$SBX_TMP/settings.sh" "$TTY" "$LINE"

# --- MCP: the server confines itself through the same apply function, so
# an exec child that opens the terminal by path (it has no controlling
# terminal) is blocked. Opening by path needs CAP_SYS_ADMIN for TIOCSTI.
cat >"$SBX_TMP/mcp_call.py" <<'EOS'
"""mcp_call.py TTY HELPER TEXT SBX ARGS...: one exec call over MCP stdio;
stdin stays open until the answer is in (the server ends at end of input)."""
import json, subprocess, sys
tty, helper, text, server = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
proc = subprocess.Popen(server, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
def send(msg):
    proc.stdin.write(json.dumps(msg) + "\n")
    proc.stdin.flush()
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "0"}}})
send({"jsonrpc": "2.0", "method": "notifications/initialized"})
send({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {
    "name": "exec", "arguments": {"command": helper, "args": ["inject", text, tty]}}})
for line in proc.stdout:
    answer = json.loads(line)
    if answer.get("id") == 2:
        print(answer["result"]["structuredContent"]["stdout"], end="")
        break
proc.stdin.close()
proc.wait()
EOS
if [ "$(id -u)" = 0 ]; then
	expect_injected "unsandboxed, no controlling terminal: TIOCSTI by the terminal's path types (root)" \
		path "$TTY" inject "$LINE" "{tty}"
	expect_blocked "MCP exec: TIOCSTI on the terminal opened by path is EPERM, nothing typed" \
		path python3 "$SBX_TMP/mcp_call.py" "{tty}" "$TTY" "$LINE" "$SBX" --mode mcp "${POLICY[@]}" --fs rw:/dev/pts
else
	skip "MCP exec TIOCSTI" "TIOCSTI on a terminal that is not the controlling one needs root"
fi
