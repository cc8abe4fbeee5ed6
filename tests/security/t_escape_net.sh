#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Escape battery, network: reaching a listener outside the sandbox. TCP,
# MPTCP and TCP Fast Open to a port the policy does not grant, and an
# abstract unix socket under --restrict-scoped, must fail. Landlock on
# this kernel (ABI 7) restricts TCP ports and nothing else; the seccomp
# filter that comes with the layer (shim/engine/seccomp_filter.c) closes
# the rest where it can: MPTCP, Fast Open, raw sockets and listen() without
# a bind port whenever TCP is restricted; UDP (to 127.0.0.1 and ::1, a DNS
# query), raw ICMP and every other protocol when no TCP port is allowed;
# pathname unix sockets under --restrict-unix. What stays open is pinned as
# a known limit: UDP when a TCP port is allowed or --allow-udp is given,
# listen() without bind once a bind port is allowed, a UDP socket inherited
# from outside. Below ABI 4 no TCP port can be restricted: the attempts
# that need it are skipped, and TCP with no net rule is pinned as getting
# through; below ABI 6 the scoping attempts are skipped.
set -u
. "$(dirname "$0")/escape_lib.sh"
require_abi 1 "Landlock"

if ! sbx_bg "$SBX_TMP/tcp.out" "$PROBE" serve 0 "$SERVE_SECONDS"; then
	fail "setup: TCP server" "did not start: $(cat "$SBX_TMP/tcp.out")"
	exit 1
fi
PORT=$(sed -n 's/^ready //p' "$SBX_TMP/tcp.out")
OTHER=$("$PROBE" freeport)
FREE=$("$PROBE" freeport)
ABSTRACT=sbx-escape-$$-$RANDOM
if ! sbx_bg "$SBX_TMP/abs.out" "$PROBE" abstract-listen "$ABSTRACT" "$SERVE_SECONDS"; then
	fail "setup: abstract socket server" "did not start: $(cat "$SBX_TMP/abs.out")"
	exit 1
fi
# The pathname socket lives in a directory the policy does not grant at
# all, outside the fixture (which is rebuilt for every attempt).
SOCKDIR=$SBX_TMP/sockets
mkdir -p "$SOCKDIR"
if ! sbx_bg "$SBX_TMP/unix.out" "$ESC" unix-listen "$SOCKDIR/s" "$SERVE_SECONDS"; then
	fail "setup: pathname socket server" "did not start: $(cat "$SBX_TMP/unix.out")"
	exit 1
fi
# UDP servers that answer every datagram: an answer is the proof that it
# arrived (an exfiltrating DNS query needs nothing more).
if ! sbx_bg "$SBX_TMP/udp4.out" "$ESC" udp-echo 127.0.0.1 "$SERVE_SECONDS"; then
	fail "setup: UDP server on 127.0.0.1" "did not start: $(cat "$SBX_TMP/udp4.out")"
	exit 1
fi
UDP4=$(sed -n 's/^ready //p' "$SBX_TMP/udp4.out")
if ! sbx_bg "$SBX_TMP/dgram.out" "$ESC" unix-dgram-listen "$SOCKDIR/d" "$SERVE_SECONDS"; then
	fail "setup: pathname datagram socket server" "did not start: $(cat "$SBX_TMP/dgram.out")"
	exit 1
fi
# A port id no other test uses; netlink port ids are per network namespace.
NLPORT=$((0x5b000000 + $$))
if ! sbx_bg "$SBX_TMP/netlink.out" "$ESC" netlink-listen "$NLPORT" "$SERVE_SECONDS"; then
	fail "setup: NETLINK_USERSOCK server" "did not start: $(cat "$SBX_TMP/netlink.out")"
	exit 1
fi
UDP6=
if sbx_bg "$SBX_TMP/udp6.out" "$ESC" udp-echo ::1 "$SERVE_SECONDS"; then
	UDP6=$(sed -n 's/^ready //p' "$SBX_TMP/udp6.out")
fi
# An outside process connects to whatever port listen-unbound announces.
CONNECT_BACK=("$ESC" connect-back)
# A UDP socket the sandbox inherits, connected to the server before the
# policy exists.
INHERIT_UDP=(bash -c 'exec 5<>"/dev/udp/127.0.0.1/$0" && exec "$@"' "$UDP4")

for door in $ESC_DOORS; do
	# The policy grants connect to some other port: TCP is handled, and
	# this one is not allowed.
	if esc_need_abi 4 "TCP rules" "attempts with a TCP port allowed [$door]"; then
		POL_NET=("c:$OTHER")
		attempt "TCP connect to a port the policy does not grant" $door blocked \
			"$ESC" tcp-connect "$PORT"
		attempt "TCP bind to a port the policy does not grant" $door blocked \
			"$ESC" tcp-bind "$FREE"
		if [ "$(cat /proc/sys/net/mptcp/enabled 2>/dev/null)" = 1 ]; then
			# Since Linux 6.13 Landlock's net rights apply to TCP sockets
			# only, and an MPTCP socket falls back to plain TCP against a TCP
			# server, so any port would be reachable. The seccomp filter
			# refuses socket(..., IPPROTO_MPTCP) when TCP is handled, and
			# io_uring (IORING_OP_SOCKET is invisible to seccomp) with it.
			attempt "MPTCP connect to a port the policy does not grant" $door blocked \
				"$ESC" mptcp-connect "$PORT"
			attempt "MPTCP bind to a port the policy does not grant" $door blocked \
				"$ESC" mptcp-bind "$FREE"
			ESC_NEEDS="io_uring with IORING_OP_SOCKET (Linux 5.19, kernel.io_uring_disabled=0)"
			attempt "MPTCP socket from io_uring IORING_OP_SOCKET, then connect" $door blocked \
				"$ESC" io-uring-mptcp-connect "$PORT"
		else
			esc_skip "MPTCP connect and bind [$door]" "MPTCP disabled on this kernel (net.mptcp.enabled)"
		fi
		# sendto(MSG_FASTOPEN) connects inside sendmsg, where no LSM hook
		# looks (landlock-lsm/linux#41); the seccomp filter refuses the flag
		# when TCP is handled. Needs a net.ipv4.tcp_fastopen with the client
		# bit (default 1) to succeed unsandboxed.
		if [ $(($(cat /proc/sys/net/ipv4/tcp_fastopen 2>/dev/null || echo 0) & 1)) = 1 ]; then
			attempt "TCP Fast Open (sendto MSG_FASTOPEN) to a port the policy does not grant" $door blocked \
				"$ESC" tcp-fastopen "$PORT"
		else
			esc_skip "TCP Fast Open [$door]" "client fast open disabled (net.ipv4.tcp_fastopen)"
		fi
		# With a TCP port allowed, UDP stays open for name resolution, to any
		# port: this kernel's Landlock has no UDP rights.
		attempt "UDP sendto with a TCP port allowed (UDP open by default)" $door limit \
			"$ESC" udp-send 127.0.0.1 "$UDP4"
		# CAP_NET_RAW survives the sandbox as root, and a raw socket crafts TCP
		# to any port: the filter refuses raw sockets when TCP is restricted.
		if [ "$(id -u)" = 0 ]; then
			attempt "raw socket as root with TCP restricted" $door blocked "$ESC" raw-socket
		fi
		# listen() on an unbound socket auto-binds an ephemeral port, past
		# Landlock's bind check; no bind port here, so listen() is refused.
		ESC_WRAP=("${CONNECT_BACK[@]}")
		attempt "listen without bind, outside connect, no bind port allowed" $door blocked \
			"$ESC" listen-unbound
		esc_policy_default
	fi

	# No --net rule at all: no network (docs/design.md §2.3).
	# Below ABI 4 Landlock does not handle TCP at all (docs/design.md §2.4).
	attempt "TCP connect with no net rule$(abi_pick 4 "" " below ABI 4")" $door \
		"$(abi_pick 4 blocked limit)" "$ESC" tcp-connect "$PORT"
	attempt "UDP sendto 127.0.0.1 with no net rule" $door blocked \
		"$ESC" udp-send 127.0.0.1 "$UDP4"
	if [ -n "$UDP6" ]; then
		attempt "UDP sendto ::1 with no net rule" $door blocked "$ESC" udp-send ::1 "$UDP6"
	else
		esc_skip "UDP sendto ::1 [$door]" "no IPv6 loopback"
	fi
	attempt "DNS-shaped query carrying a secret, no net rule" $door blocked \
		"$ESC" dns-query 127.0.0.1 "$UDP4"
	if [ "$(id -u)" = 0 ]; then
		attempt "raw ICMP echo as root with no net rule" $door blocked "$ESC" raw-icmp
	fi
	ESC_WRAP=("${CONNECT_BACK[@]}")
	attempt "listen without bind, outside connect, no net rule$(abi_pick 4 "" " below ABI 4")" $door \
		"$(abi_pick 4 blocked limit)" "$ESC" listen-unbound
	# Known limit: a socket opened before the policy keeps working, and
	# send(2) on it shows the filter nothing of the socket's kind.
	ESC_WRAP=("${INHERIT_UDP[@]}")
	attempt "UDP socket inherited from outside, no net rule" $door limit \
		"$ESC" udp-send-fd 5
	POL_UDP=1
	attempt "UDP sendto with --allow-udp and no net rule (all UDP open)" $door limit \
		"$ESC" dns-query 127.0.0.1 "$UDP4"
	esc_policy_default

	# Known limit: once a bind port is allowed, listen() has to be, and
	# the kernel's auto-bind takes any ephemeral port (landlock-lsm/linux#15).
	if esc_need_abi 4 "TCP rules" "listen without bind, a bind port allowed [$door]"; then
		POL_NET=("b:$OTHER")
		ESC_WRAP=("${CONNECT_BACK[@]}")
		attempt "listen without bind, outside connect, a bind port allowed" $door limit \
			"$ESC" listen-unbound
		esc_policy_default
	fi

	if esc_need_abi 3 "--abi 3" "attempts under --abi 3 [$door]"; then
		# Below ABI 4 with no net rule, TCP cannot be restricted, but the
		# rest of "no network" still holds.
		POL_ABI=3
		attempt "UDP sendto under --abi 3 with no net rule" $door blocked \
			"$ESC" udp-send 127.0.0.1 "$UDP4"
		# Documented behaviour, pinned: a policy that asked for TCP ports on
		# ABI 3 (best-effort drops them) restricts no TCP at all, so the
		# filter leaves MPTCP and Fast Open alone too.
		POL_NET=("c:$OTHER")
		POL_BEST_EFFORT=1
		if [ "$(cat /proc/sys/net/mptcp/enabled 2>/dev/null)" = 1 ]; then
			attempt "MPTCP connect under --abi 3 (TCP rules dropped)" $door limit \
				"$ESC" mptcp-connect "$PORT"
		fi
		if [ $(($(cat /proc/sys/net/ipv4/tcp_fastopen 2>/dev/null || echo 0) & 1)) = 1 ]; then
			attempt "TCP Fast Open under --abi 3 (TCP rules dropped)" $door limit \
				"$ESC" tcp-fastopen "$PORT"
		fi
		esc_policy_default
	fi

	if esc_need_abi 6 "scoping" "attempts under --restrict-scoped [$door]"; then
		POL_SCOPED=1
		attempt "connect to an outside abstract unix socket under --restrict-scoped" $door blocked \
			"$ESC" abstract-connect "$ABSTRACT"
		attempt "connect to an outside pathname unix socket under --restrict-scoped" $door limit \
			"$ESC" unix-connect "$SOCKDIR/s"
		esc_policy_default
	fi
	# docker.sock and the like: Landlock before ABI 9 does not check
	# connect() to a pathname socket; --restrict-unix refuses the socket.
	POL_UNIX=1
	attempt "connect to an outside pathname unix socket under --restrict-unix" $door blocked \
		"$ESC" unix-connect "$SOCKDIR/s"
	# socketpair() is allowed, and a datagram end of it can still name a
	# pathname socket: in sendto(), or in a second connect().
	attempt "sendto an outside pathname datagram socket from a socketpair under --restrict-unix" $door blocked \
		"$ESC" unix-dgram-sendto "$SOCKDIR/d"
	attempt "reconnect a socketpair end to an outside pathname datagram socket under --restrict-unix" $door blocked \
		"$ESC" unix-dgram-reconnect "$SOCKDIR/d"
	# Netlink stays allowed, and NETLINK_USERSOCK carries messages from any
	# user to any process bound to a port id: a socket to the outside with
	# no net rule, --restrict-unix and --restrict-scoped all given.
	POL_SCOPED=1
	# (below ABI 6 best-effort drops the scoping; the filter still refuses)
	has_abi 6 || POL_BEST_EFFORT=1
	attempt "NETLINK_USERSOCK message to an outside process with no net rule, --restrict-unix, --restrict-scoped" $door blocked \
		"$ESC" netlink-send "$NLPORT"
	esc_policy_default
done
esc_summary
