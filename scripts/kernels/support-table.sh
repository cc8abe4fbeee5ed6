#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Prints the README's support table (distribution, kernel, Landlock ABI,
# what sandboxec enforces there, what the matrix saw) from the last
# `make check-kernels` run, build/kernels/matrix.tsv.
#
#   scripts/kernels/support-table.sh [--counts] [MATRIX.tsv]
#
# --counts adds the assertions passed / failed / skipped on each kernel.
set -eu
counts=0
if [ "${1:-}" = --counts ]; then
	counts=1
	shift
fi
tsv=${1:-$(cd "$(dirname "$0")/../.." && pwd)/build/kernels/matrix.tsv}
[ -s "$tsv" ] || {
	echo "sandboxec: no $tsv: run make check-kernels first" >&2
	exit 1
}

# shellcheck source=scripts/kernels/distributions.sh
. "$(dirname "$0")/distributions.sh"

# What each ABI adds, as docs/design.md §2.4 and the rights table have it.
enforces() {
	case $1 in
	0) echo "no Landlock: nothing runs; with \`--best-effort\`, the command runs unsandboxed after a warning" ;;
	1) echo "files: read, write, execute, create, remove; no TCP rules (\`--net\` needs \`--best-effort\`)" ;;
	2) echo "ABI 1 and \`refer\` (rename and link across folders)" ;;
	3) echo "ABI 2 and \`truncate\`" ;;
	4) echo "ABI 3 and TCP bind/connect by port (\`--net\`)" ;;
	5) echo "ABI 4 and device ioctls" ;;
	6) echo "ABI 5 and \`--restrict-scoped\` (signals, abstract unix sockets)" ;;
	7) echo "ABI 6 and denials in the kernel's audit log (\`--log-denials\`, \`--report=audit\`)" ;;
	8) echo "ABI 7 and every thread confined at once (a program whose constructors started threads runs)" ;;
	9) echo "ABI 8 and \`--restrict-unix\` per path (\`w\` grants connecting to a socket file)" ;;
	10) echo "ABI 9 and UDP rules by port (\`ub\`, \`uc\`)" ;;
	11) echo "ABI 10 and no_new_privs set by the layer itself: everything sandboxec knows" ;;
	*) echo "as ABI 11 (sandboxec uses ABIs up to 11)" ;;
	esac
}

if [ $counts = 1 ]; then
	echo "| distribution | kernel | Landlock ABI | what sandboxec enforces there | matrix: passed / failed / skipped |"
	echo "|---|---|---|---|---|"
else
	echo "| distribution | kernel | Landlock ABI | what sandboxec enforces there |"
	echo "|---|---|---|---|"
fi
while IFS=$'\t' read -r series release abi _accel _boot p f s _seconds verdict _rest; do
	if [ "$series" = host ]; then
		seen="every script, natively (\`make check\`)"
	else
		seen="$p / $f / $s ($verdict)"
	fi
	printf '| %s | %s | %s | %s |' "$(distribution "$series")" "$release" "$abi" "$(enforces "$abi")"
	[ $counts = 0 ] || printf ' %s |' "$seen"
	echo
done <"$tsv"
