#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --report and the network refusals of sandboxec's seccomp filter
# (docs/diagnostics.md, "Seccomp refusals"): under the tracer they are
# reported in the user's words with the setting that lifts them, the
# program gets the same errno as without --report, and nothing in the
# sandbox can answer a refusal handed to the tracer instead of it.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"
export PATH=/usr/local/bin:/usr/bin:/bin
H=$SBX_HELPERS/untraced_udp
PY=/usr/bin/python3
if [ "$(uname -m)" != x86_64 ] || [ ! -x "$PY" ]; then
	skip "report-seccomp" "the tracer skips refused calls on x86_64 only; needs python3"
	exit 0
fi
cat >"$SBX_TMP/net.py" <<'PY'
import socket
for name, make in (("udp", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM)),
                   ("mptcp", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)),
                   ("listen", lambda: socket.socket().listen())):
    try:
        make()
        print(name, "ok")
    except OSError as e:
        print(name, "errno", e.errno)
PY
POL=(--fs rx:/usr --fs "r:$SBX_TMP")

run_capture "$PY" "$SBX_TMP/net.py"
expect_contains "udp: works unsandboxed" "$OUT" "udp ok"
expect_contains "listen: works unsandboxed" "$OUT" "listen ok"
run_capture "$SBX" "${POL[@]}" -- "$PY" "$SBX_TMP/net.py"
plain=$OUT
expect_contains "udp: refused under the policy (no TCP port)" "$plain" "udp errno 13"
run_capture "$SBX" --report=tracer "${POL[@]}" -- "$PY" "$SBX_TMP/net.py"
expect_eq "report: the program sees the same errnos as without --report" "$OUT" "$plain"
expect_contains "report: the UDP socket is named" "$ERR" \
	"network call refused by the seccomp filter: a UDP socket"
expect_contains "report: ... with the setting that lifts it" "$ERR" "allow with: --allow-udp"
# listen() without a bind is refused where TCP rules exist (ABI 4): below,
# Landlock handles no TCP at all and the filter leaves listen() alone.
if need_abi 4 "TCP rules" "report: listen() is named"; then
	expect_contains "report: listen() is named" "$ERR" "refused by the seccomp filter: listen()"
	expect_contains "report: ... with what lifts it" "$ERR" "a bind rule (b:PORT)"
else
	expect_contains "listen: on ABI $LL_ABI it works under the policy" "$plain" "listen ok"
	expect_not_contains "report: on ABI $LL_ABI listen() is no refusal" "$ERR" "listen()"
fi
if grep -q "mptcp errno" <<<"$plain"; then
	expect_contains "report: an MPTCP socket is named" "$ERR" "not plain TCP (MPTCP"
fi
expect_contains "report: --allow-udp in the line to add" "$ERR" "--allow-udp"
run_capture "$SBX" --allow-udp "${POL[@]}" -- "$PY" "$SBX_TMP/net.py"
expect_contains "udp: with --allow-udp it works" "$OUT" "udp ok"
SANDBOXEC_FS="rx:/usr,r:$SBX_TMP" run_capture "$SBX" --report -- "$PY" "$SBX_TMP/net.py"
expect_contains "report: in the environment's form" "$ERR" "allow with: SANDBOXEC_ALLOW_UDP=1"

# --- nothing in the sandbox may answer a refusal in the tracer's place -------
# Each attempt gets its UDP socket unsandboxed; under sandboxec alone the
# refusal is an errno, whoever traces; under --report it must stay refused.
# A seccomp listener installed above this script (fake_abi, which answers
# the ABI query through one) leaves no room for the attempt's own: the
# kernel allows one listener per filter chain (EBUSY).
for how in clone clone3 notify; do
	run_capture "$H" "$how"
	if [ "$how" = notify ] && [ "$STATUS" -ne 0 ] && [[ $OUT == *"Device or resource busy"* ]]; then
		skip "$how: the attempt unsandboxed and under sandboxec" \
			"a seccomp listener above this script (fake_abi?) leaves it none: $OUT"
	else
		expect_eq "$how: unsandboxed the attempt gets its socket" "$STATUS" 0
		run_capture "$SBX" --fs rx:/usr --fs "rx:$H" -- "$H" "$how"
		expect_contains "$how: under sandboxec the socket is refused" "$OUT" "blocked"
	fi
	run_capture "$SBX" --report=tracer --fs rx:/usr --fs "rx:$H" -- "$H" "$how"
	expect_not_contains "$how: under --report it does not get the socket" "$OUT" "escaped"
done
run_capture "$SBX" --report=tracer --fs rx:/usr --fs "rx:$H" -- "$H" clone
expect_contains "clone: CLONE_UNTRACED is refused under --report" "$OUT" \
	"no-child Operation not permitted"
run_capture "$SBX" --report=tracer --fs rx:/usr --fs "rx:$H" -- "$H" clone3
expect_contains "clone3: answers ENOSYS under --report (glibc falls back to clone)" "$OUT" \
	"no-child Function not implemented"
run_capture "$SBX" --report=tracer --fs rx:/usr --fs "rx:$H" -- "$H" notify
expect_contains "notify: a seccomp listener is refused under --report" "$OUT" \
	"no-listener Invalid argument"
# The command's own filter returning TRACE for socket(): the most recent
# filter's data hides the sandbox's refusal; with no tracer of its own the
# call fails ENOSYS, and so it does under --report.
run_capture "$H" foreign
expect_contains "foreign: without a tracer its TRACE fails the call (ENOSYS)" "$OUT" \
	"blocked Function not implemented"
run_capture "$SBX" --report=tracer --fs rx:/usr --fs "rx:$H" -- "$H" foreign
expect_contains "foreign: under --report too, never run" "$OUT" \
	"blocked Function not implemented"
