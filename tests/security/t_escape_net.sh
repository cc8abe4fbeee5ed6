#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Escape battery, network: reaching a listener outside the sandbox. TCP,
# MPTCP and TCP Fast Open to a port the policy does not grant, and an
# abstract unix socket under --restrict-scoped, must fail. Pathname unix sockets and UDP
# are outside what Landlock controls at the ABI this project uses (7):
# pathname sockets need ABI 9 (LANDLOCK_ACCESS_FS_RESOLVE_UNIX), UDP a
# later ABI still: those cases are pinned as known limits. MPTCP sockets
# and TCP Fast Open are not covered by the TCP rights on this kernel; the
# seccomp filter that comes with a TCP-handling layer closes them
# (shim/engine/seccomp_filter.c), and they are tried here like plain TCP.
set -u
. "$(dirname "$0")/escape_lib.sh"
require_abi 6

if ! sbx_bg "$SBX_TMP/tcp.out" "$PROBE" serve 0 300; then
	fail "setup: TCP server" "did not start: $(cat "$SBX_TMP/tcp.out")"
	exit 1
fi
PORT=$(sed -n 's/^ready //p' "$SBX_TMP/tcp.out")
OTHER=$("$PROBE" freeport)
FREE=$("$PROBE" freeport)
ABSTRACT=sbx-escape-$$-$RANDOM
if ! sbx_bg "$SBX_TMP/abs.out" "$PROBE" abstract-listen "$ABSTRACT" 300; then
	fail "setup: abstract socket server" "did not start: $(cat "$SBX_TMP/abs.out")"
	exit 1
fi
# The pathname socket lives in a directory the policy does not grant at
# all, outside the fixture (which is rebuilt for every attempt).
SOCKDIR=$SBX_TMP/sockets
mkdir -p "$SOCKDIR"
if ! sbx_bg "$SBX_TMP/unix.out" "$ESC" unix-listen "$SOCKDIR/s" 300; then
	fail "setup: pathname socket server" "did not start: $(cat "$SBX_TMP/unix.out")"
	exit 1
fi

for door in $ESC_DOORS; do
	# The policy grants connect to some other port: TCP is handled, and
	# this one is not allowed.
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
	attempt "UDP sendto with TCP restricted" $door limit \
		"$ESC" udp-send "$PORT"
	# Known limit of running as root: CAP_NET_RAW survives the sandbox,
	# and a raw socket crafts TCP to any port.
	if [ "$(id -u)" = 0 ]; then
		attempt "raw socket as root with TCP restricted" $door limit "$ESC" raw-socket
	fi
	esc_policy_default

	# Documented behaviour, pinned: a policy that does not handle TCP
	# (ABI 3 has no network rights) restricts no TCP at all, so the
	# filter leaves MPTCP and Fast Open alone too.
	POL_ABI=3
	if [ "$(cat /proc/sys/net/mptcp/enabled 2>/dev/null)" = 1 ]; then
		attempt "MPTCP connect under --abi 3 (TCP not handled)" $door limit \
			"$ESC" mptcp-connect "$PORT"
	fi
	if [ $(($(cat /proc/sys/net/ipv4/tcp_fastopen 2>/dev/null || echo 0) & 1)) = 1 ]; then
		attempt "TCP Fast Open under --abi 3 (TCP not handled)" $door limit \
			"$ESC" tcp-fastopen "$PORT"
	fi
	esc_policy_default

	POL_SCOPED=1
	attempt "connect to an outside abstract unix socket under --restrict-scoped" $door blocked \
		"$ESC" abstract-connect "$ABSTRACT"
	attempt "connect to an outside pathname unix socket under --restrict-scoped" $door limit \
		"$ESC" unix-connect "$SOCKDIR/s"
	esc_policy_default
done
esc_summary
