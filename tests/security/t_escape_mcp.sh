#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Escape battery, MCP: an `exec` call of `sandboxec --mode mcp` that goes
# for the server running it (its stdin and stdout, ptrace, signals), for a
# concurrent call, or that outlives its call or the server — driven by the
# official SDK client (tests/mcp/escape.mjs). Each attack first runs
# unsandboxed against a stand-in (a plain parent or sibling process), where
# it must get through.
set -u
. "$(dirname "$0")/escape_lib.sh"

mcp_dir=$SBX_TOP/tests/mcp
if ! command -v node >/dev/null 2>&1; then
	fail "mcp escape: node" "node >= 20 is not installed (see scripts/deps.sh)"
	exit 0
fi
if [ ! -d "$mcp_dir/node_modules/@modelcontextprotocol/sdk" ] &&
	! "$mcp_dir/setup.sh" >"$SBX_TMP/npm.log" 2>&1; then
	fail "mcp escape: npm ci" "$(tail -3 "$SBX_TMP/npm.log")"
	exit 0
fi

P=$W/pid # where helpers write the pid of a process to aim at or look for
# Every pid a helper wrote, killed at the end whatever happened.
survivors() {
	local f
	for f in "$W"/pid*; do [ -s "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done
	return 0
}
at_exit survivors

# The server's policy: the system, the helpers, one work tree.
mcp_policy() {
	local r
	local -a args=(--ignore-if-missing)
	for r in "${POL_FS[@]}" rx:/lib rx:/lib64 rx:/bin rw:/dev/null; do args+=(--fs "$r"); done
	[ -n "$POL_ABI" ] && args+=(--abi "$POL_ABI")
	[ -n "${SBX_MCP_REPORT:-}" ] && args+=(--report)
	printf '%s\n' "${args[@]}" | node -e \
		'console.log(JSON.stringify(require("fs").readFileSync(0, "utf8").trim().split("\n")))'
}

# mcp_run ARGS... — escape.mjs under the current policy; stderr kept.
mcp_run() {
	(cd "$mcp_dir" && MCP_POLICY=$(mcp_policy) SBX_HELPERS=$SBX_HELPERS \
		timeout 60 node escape.mjs "$@" 2>"$SBX_TMP/.mcp_stderr")
}

# The guard: what the client saw must show the attack changed nothing.
guard_ok() {
	! grep -qE '^# (forged: [1-9]|server: silent|next: (lost|wrong)|other: (dead|stopped))' <<<"$1"
}

_mcp_verdict() {
	local name=$1 expect=$2 probe=$3 out=$4
	case $expect in
	blocked)
		if [[ $probe == escaped* ]] || ! guard_ok "$out"; then
			ESC_ESCAPED=$((ESC_ESCAPED + 1))
			fail "$name" "ESCAPED: got '$(tr '\n' '|' <<<"$out")'"
		elif [[ $probe != blocked* ]]; then
			fail "$name" "no report: '$(tr '\n' '|' <<<"$out")'; stderr: $(head -c 300 "$SBX_TMP/.mcp_stderr")"
		else
			pass "$name: $probe"
		fi
		;;
	limit)
		if [[ $probe == escaped* ]]; then
			ESC_LIMITS=$((ESC_LIMITS + 1))
			pass "$name: known limit, still gets through (docs/security.md)"
		else
			fail "$name" "known limit no longer holds (got '$(tr '\n' '|' <<<"$out")'): update the test and docs/security.md"
		fi
		;;
	esac
}

# mcp_attempt NAME EXPECT 'BASELINE' ARGS... — BASELINE (bash, unsandboxed)
# must print "escaped"; then escape.mjs ARGS runs the attack as a call.
mcp_attempt() {
	local name="$1 [mcp${POL_ABI:+ abi $POL_ABI}]" expect=$2 baseline=$3 got out probe
	shift 3
	ESC_TRIED=$((ESC_TRIED + 1))
	esc_reset
	got=$(ESC=$ESC P=$P bash -c "$baseline" 2>&1)
	if ! grep -q '^escaped' <<<"$got"; then
		fail "$name" "baseline: unsandboxed run gave '$got', want escaped"
		return
	fi
	esc_reset
	out=$(mcp_run "$@")
	probe=$(grep -E '^(escaped|blocked)' <<<"$out" | tail -1)
	_mcp_verdict "$name" "$expect" "$probe" "$out"
}

# "escaped" when the pid in $P still runs (then it is killed), else "blocked".
outlived() {
	local pid state
	sleep 0.3
	pid=$(cat "$P" 2>/dev/null)
	state=$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)
	if [ -n "$pid" ] && [ -n "$state" ] && [ "$state" != Z ]; then
		kill -9 "$pid"
		echo "escaped pid $pid still runs"
	else
		echo "blocked gone"
	fi
}

# outlive_attempt NAME EXPECT 'BASELINE' ARGS... — the same for a process
# that must not outlive the call (or the server): the verdict is whether
# the pid a helper wrote to $P still runs afterwards.
outlive_attempt() {
	local name="$1 [mcp${POL_ABI:+ abi $POL_ABI}]" expect=$2 baseline=$3 got out
	shift 3
	ESC_TRIED=$((ESC_TRIED + 1))
	esc_reset
	ESC=$ESC P=$P bash -c "$baseline" >/dev/null 2>&1
	got=$(outlived)
	if [[ $got != escaped* ]]; then
		fail "$name" "baseline: unsandboxed run gave '$got', want escaped"
		return
	fi
	esc_reset
	out=$(mcp_run "$@")
	got=$(outlived)
	_mcp_verdict "$name" "$expect" "$got" "$out"$'\n'"$got"
}

# The stand-ins, run by bash with ESC and P in the environment; @CMD@ is
# the escape subcommand. A parent whose stdin is a pipe with a request
# coming and whose stdout is read; a parent; a sibling; a parent that dies.
PARENT_IN='{ sleep 0.5; echo SECRET; sleep 3; } | bash -c '\''"$ESC" @CMD@ $$ 0 & wait'\'
PARENT_OUT='bash -c '\''"$ESC" @CMD@ $$ 1 & wait'\'' | cat'
PARENT='bash -c '\''"$ESC" @CMD@ $$ & wait'\'
SIBLING='"$ESC" pidfile-sleep "$P" 30 & until [ -s "$P" ]; do sleep 0.02; done; "$ESC" '
DAEMON='"$ESC" daemon "$P"'
PARENT_DIES='bash -c '\''"$ESC" @CMD@ & wait'\'' & until [ -s "$P" ]; do sleep 0.02; done; kill -9 $!'
stand_in() { echo "${1//@CMD@/$2}"; }

server_attacks() { # EXPECT for signals
	local sig=$1
	mcp_attempt "read the server's stdin through /proc/PID/fd/0 (the next request)" blocked \
		"$(stand_in "$PARENT_IN" proc-fd-read)" \
		--pipes call --next-secret -- "$ESC" proc-fd-read @SERVER@ 0
	mcp_attempt "take the server's stdin socket with pidfd_getfd (the next request)" blocked \
		"$(stand_in "$PARENT_IN" getfd-read)" \
		call --next-secret -- "$ESC" getfd-read @SERVER@ 0
	mcp_attempt "write a forged message to the server's stdout through /proc/PID/fd/1" blocked \
		"$(stand_in "$PARENT_OUT" proc-fd-write)" \
		--pipes call -- "$ESC" proc-fd-write @SERVER@ 1
	mcp_attempt "write a forged message to the server's stdout socket (pidfd_getfd)" blocked \
		"$(stand_in "$PARENT_OUT" getfd-write)" \
		call -- "$ESC" getfd-write @SERVER@ 1
	mcp_attempt "ptrace (PTRACE_SEIZE) the server" blocked \
		"$(stand_in "$PARENT" ptrace)" \
		call -- "$ESC" ptrace @SERVER@
	mcp_attempt "SIGSTOP the server" "$sig" \
		"$(stand_in "$PARENT" stop)" \
		call -- "$ESC" stop @SERVER@
}

other_call_attacks() {
	local sig=$1
	mcp_attempt "ptrace (PTRACE_SEIZE) a concurrent call" blocked \
		"$SIBLING"'ptrace "$(cat "$P")"; kill $!' \
		pair "$P" -- "$ESC" ptrace @OTHER@
	mcp_attempt "SIGSTOP a concurrent call" "$sig" \
		"$SIBLING"'stop "$(cat "$P")"; kill $!' \
		pair "$P" -- "$ESC" stop @OTHER@
}

# --- The highest ABI: from ABI 6 the call's own layers scope signals.
# Below, signals and what leaves the process group are known limits, as
# under --abi 5 below.
scoped=$(abi_pick 6 blocked limit)
server_attacks "$scoped"
other_call_attacks "$scoped"
mcp_attempt "SIGTERM a concurrent call" "$scoped" \
	"$SIBLING"'kill "$(cat "$P")"' \
	pair "$P" -- "$ESC" kill @OTHER@
outlive_attempt "a setsid double-forked daemon outlives its call" "$scoped" \
	"$DAEMON" \
	call -- "$ESC" daemon "$P"
outlive_attempt "a setsid double-forked daemon outlives the server's SIGKILL" "$scoped" \
	"$(stand_in "$PARENT_DIES" 'daemon "$P" stay')" \
	end-server sigkill "$P" -- "$ESC" daemon "$P" stay
outlive_attempt "a setsid double-forked daemon outlives the server's end of input" "$scoped" \
	"$(stand_in "$PARENT_DIES" 'daemon "$P" stay')" \
	end-server eof "$P" -- "$ESC" daemon "$P" stay
outlive_attempt "a background child of the call outlives the server's SIGKILL" blocked \
	"$(stand_in "$PARENT_DIES" 'pidfile-sleep "$P" 30')" \
	end-server sigkill "$P" -- /bin/sh -c '"$0" pidfile-sleep "$1" 30 & wait' "$ESC" "$P"

if ! has_abi 6; then
	expect_contains "the server says what ABI $LL_ABI leaves open" "$(cat "$SBX_TMP/.mcp_stderr")" \
		"cannot scope signals"
fi

# --- ABI 5 (no scopes): the call's layer still walls off ptrace and the
# descriptors; signals and what leaves the process group are known limits.
# Below ABI 6 the run above was this one already.
if esc_need_abi 6 "scoping, for a run under --abi 5 to differ from the one above" \
	"attempts under --abi 5 [mcp]"; then
	POL_ABI=5
	server_attacks limit
	other_call_attacks limit
	outlive_attempt "a setsid double-forked daemon outlives its call" limit \
		"$DAEMON" \
		call -- "$ESC" daemon "$P"
	outlive_attempt "a background child of the call outlives the server's SIGKILL" blocked \
		"$(stand_in "$PARENT_DIES" 'pidfile-sleep "$P" 30')" \
		end-server sigkill "$P" -- /bin/sh -c '"$0" pidfile-sleep "$1" 30 & wait' "$ESC" "$P"
	expect_contains "the server says what ABI 5 leaves open" "$(cat "$SBX_TMP/.mcp_stderr")" \
		"cannot scope signals"
	esc_policy_default
fi

# Fail closed: under a server holding 15 layers (14 nested policies and its
# own) a call cannot get its two, and runs nothing.
esc_reset
deep=()
for ((i = 0; i < 14; i++)); do deep+=("$SBX" --fs rwx:/ --); done
mapfile -t server_flags < <(mcp_policy | node -e 'for (const a of JSON.parse(require("fs").readFileSync(0, "utf8"))) console.log(a)')
got=$({
	echo '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"0"}}}'
	echo '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"exec","arguments":{"command":"'"$ESC"'","args":["write","'"$W/deep"'"]}}}'
	sleep 2
} | timeout 20 "${deep[@]}" "$SBX" --mode mcp "${server_flags[@]}" 2>&1)
expect_contains "a call too deep for its own layers is an isError result" "$got" \
	'"isError":true'
expect_contains "... that says why" "$got" "the kernel stacks at most 16"
expect_absent "... and runs nothing" "$W/deep"

esc_summary
