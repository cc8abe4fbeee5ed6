#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Network rules (docs/design.md §2.2, §2.3): on ABI >= 4 TCP bind and connect are
# handled, so no net rule means no TCP; c:PORT / b:PORT open exactly that
# port for exactly that operation. Below ABI 4 net rules are refused, or
# dropped under best-effort, and TCP stays open; the seccomp filter's UDP
# refusal holds on every ABI. All against 127.0.0.1.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

FX=$SBX_TMP/fx
reset_fx() { mkdir -p "$FX"; }
reset_fx

# The server (and the other fixtures' lifetimes) outlast the slowest run,
# an emulated older kernel; the script stops them at exit.
if ! sbx_bg "$SBX_TMP/srv.out" "$PROBE" serve 0 "$SERVE_SECONDS"; then
	fail "net: local server" "did not start: $(cat "$SBX_TMP/srv.out")"
	exit 1
fi
port=$(awk '/^ready/ {print $2}' "$SBX_TMP/srv.out")
# Another port for "a rule for a different port does not help"; it only
# appears in a rule, nothing needs to listen on it.
other=$((port == 65535 ? port - 1 : port + 1))

# Where net rules are refused, the cases that need one take --best-effort
# (which drops them, docs/design.md §2.4).
BE=()
has_abi 4 || BE=(--best-effort)

# --- below ABI 4 ---------------------------------------------------------------
if ! has_abi 4; then
	abi_refusal "TCP rules" 4 --net "c:$port"
	compare "below ABI 4: no net rule leaves TCP connect open" ok reset_fx -- connect "$port"
	compare "below ABI 4: best-effort drops c:OTHER, TCP connect stays open" ok reset_fx \
		--best-effort --net "c:$other" -- connect "$port"
fi

# --- connect -----------------------------------------------------------------
if need_abi 4 "TCP rules" "connect: c:PORT, b:PORT and their spellings"; then
	compare "connect: no net rule denies TCP connect" "denied EACCES" reset_fx -- connect "$port"
	compare "connect: c:PORT allows it" ok reset_fx --net "c:$port" -- connect "$port"
	compare "connect: rule for another port denies" "denied EACCES" reset_fx --net "c:$other" -- connect "$port"
	compare "connect: b:PORT does not allow connect" "denied EACCES" reset_fx --net "b:$port" -- connect "$port"
	compare "connect: bc:PORT allows it" ok reset_fx --net "bc:$port" -- connect "$port"
	compare "connect: cb:PORT allows it" ok reset_fx --net "cb:$port" -- connect "$port"
	compare "connect: long form connect:PORT" ok reset_fx --net "connect:$port" -- connect "$port"
	compare "connect: long form bind_connect:PORT" ok reset_fx --net "bind_connect:$port" -- connect "$port"
	compare "connect: rights case-insensitive, whitespace ignored" ok reset_fx --net " C : $port " -- connect "$port"
	compare "connect: -n short option" ok reset_fx -n "c:$port" -- connect "$port"
	compare "connect: net rules add up" ok reset_fx --net "c:$other" --net "c:$port" -- connect "$port"
fi
# Landlock handles TCP only; the seccomp filter makes no net rule mean no
# network, UDP included, and a net rule or --allow-udp opens all of UDP
# (docs/design.md §2.2).
compare "udp: no net rule denies UDP" "denied EACCES" reset_fx -- udp-connect "$port"
compare "udp: a TCP rule leaves UDP open (name resolution)" ok reset_fx "${BE[@]}" --net "c:$other" -- udp-connect "$port"
compare "udp: --allow-udp opens it with no net rule" ok reset_fx --allow-udp -- udp-connect "$port"
compare "udp: --allow-udp=false keeps it closed" "denied EACCES" reset_fx --allow-udp=false -- udp-connect "$port"

# --- bind ---------------------------------------------------------------------
free=$("$PROBE" freeport)
has_abi 4 || compare "below ABI 4: no net rule leaves TCP bind open" ok reset_fx -- bind "$free"
if need_abi 4 "TCP rules" "bind: b:PORT, c:PORT and their spellings"; then
	compare "bind: no net rule denies TCP bind" "denied EACCES" reset_fx -- bind "$free"
	compare "bind: b:PORT allows it" ok reset_fx --net "b:$free" -- bind "$free"
	compare "bind: c:PORT does not allow bind" "denied EACCES" reset_fx --net "c:$free" -- bind "$free"
	compare "bind: long form bind:PORT" ok reset_fx --net "bind:$free" -- bind "$free"
	compare "bind: bc:PORT allows it" ok reset_fx --net "bc:$free" -- bind "$free"
fi

# --- net rules alone -----------------------------------------------------------
# docs/design.md §2.3: every fs right is handled even with no fs rule, so a net-only
# policy denies the whole filesystem, including executing the command.
expect_status "net only: the filesystem is denied (command cannot run)" 126 \
	"$SBX" "${BE[@]}" --net "c:$port" -- /usr/bin/true
expect_contains "net only: 126 comes from sandboxec" "$ERR" "sandboxec: "
