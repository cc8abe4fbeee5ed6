#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --report on the socket rights of later kernels (docs/diagnostics.md): a
# UDP send or bind to a port no rule allows (ABI 10, uc/ub rules) and a
# connect to a pathname unix socket under --restrict-unix (ABI 9, granted
# by w on the socket file). Each access is shown first to work unsandboxed;
# the report names it in words with the rule, and the rule makes it work.
# Both backends: the tracer, and the kernel's audit records when usable.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
export PATH=/usr/local/bin:/usr/bin:/bin
# Below ABI 4 the refusal names the first thing missing: network rules at
# all (ABI 4); from 4 to 9, UDP rules (ABI 10).
require_abi "$(abi_pick 4 10 4)" "UDP port rules" --net uc:53

backends=(tracer)
AUDIT=$SBX_HELPERS/audit_state
if before=$("$AUDIT" 2>/dev/null); then
	at_exit "$AUDIT $before"
	run_capture "$SBX" --report=audit --fs rx:/usr -- true
	[[ $ERR == *"backend: kernel audit records"* ]] && backends+=(audit)
fi
[ ${#backends[@]} = 2 ] || skip "audit backend" "not usable here; the tracer only"

port=$("$PROBE" freeport)
D=$SBX_TMP/sock
mkdir -p "$D"
cat >"$D/udp_bind.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", int(sys.argv[1])))
PY
cat >"$D/unix.py" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
if sys.argv[1] == "serve":
    s.bind(sys.argv[2]); s.listen(8); print("ready", flush=True); time.sleep(30)
else:
    s.connect(sys.argv[2])
PY
POL=("${BASE[@]}" --fs "r:$D" --net uc:53)

expect_status "udp send: works unsandboxed" 0 "$PROBE" udp-connect "$port"
expect_status "udp bind: works unsandboxed" 0 python3 "$D/udp_bind.py" "$port"
for be in "${backends[@]}"; do
	run_capture "$SBX" --report="$be" "${POL[@]}" -- "$PROBE" udp-connect "$port"
	expect_contains "udp send ($be): named" "$ERR" "UDP send to port $port"
	expect_contains "udp send ($be): and the rule" "$ERR" "allow with: --net uc:$port"
	expect_not_contains "udp send ($be): not called TCP" "$ERR" "TCP connect"
	run_capture "$SBX" --report="$be" "${POL[@]}" -- python3 "$D/udp_bind.py" "$port"
	expect_contains "udp bind ($be): named" "$ERR" "UDP bind to port $port"
	expect_contains "udp bind ($be): and the rule" "$ERR" "allow with: --net ub:$port"
done
expect_status "udp send: with uc:PORT it works" 0 \
	"$SBX" "${POL[@]}" --net "uc:$port" -- "$PROBE" udp-connect "$port"
expect_status "udp bind: with ub:PORT it works" 0 \
	"$SBX" "${POL[@]}" --net "ub:$port" -- python3 "$D/udp_bind.py" "$port"

sock=$D/app.sock
if sbx_bg "$D/srv.out" python3 "$D/unix.py" serve "$sock"; then
	expect_status "unix connect: works unsandboxed" 0 python3 "$D/unix.py" connect "$sock"
	for be in "${backends[@]}"; do
		run_capture "$SBX" --report="$be" --restrict-unix "${BASE[@]}" --fs "r:$D" -- \
			python3 "$D/unix.py" connect "$sock"
		expect_contains "unix connect ($be): named" "$ERR" \
			"connect to the unix socket $sock"
		expect_contains "unix connect ($be): and the rule" "$ERR" \
			"allow with: --fs w:$sock"
	done
	expect_status "unix connect: with w on the socket it works" 0 \
		"$SBX" --restrict-unix "${BASE[@]}" --fs "r:$D" --fs "w:$sock" -- \
		python3 "$D/unix.py" connect "$sock"
else
	fail "unix connect: local server" "did not start"
fi
