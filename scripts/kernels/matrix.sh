#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make check-kernels`: boots each Debian kernel under QEMU (run-in-kernel.sh)
# and runs the integration and security scripts inside against the built
# tree, then prints one line per kernel (version, Landlock ABI seen inside,
# assertions passed/failed/skipped, wall time) and a closing
# "kernels: N passed, N failed, N skipped" line (a script that exits
# non-zero without a failed assertion, or runs none, counts as one failure). This machine's own kernel
# is recorded too: `make check` runs every script on it natively.
#
#   scripts/kernels/matrix.sh [--full] [SERIES...]
#
# Default: the Landlock-facing scripts below (under TCG the whole suite
# takes hours); --full runs every t_*.sh but those GUEST_SKIP names
# (counted as skipped); SBX_KERNEL_SCRIPTS="a.sh b.sh"
# runs those. A kernel fails the matrix when
# an assertion fails, a script exits non-zero without one, the machine
# gives no status, a script began and never ended (the machine timed out
# in it), or a script ran no assertion at all there.
# SBX_KERNEL_JOBS: kernels booted at once (default: 2, one per core).
# Results: build/kernels/matrix.tsv (read by support-table.sh) and one
# log per kernel in build/kernels/logs/.
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top" || exit 1

# The scripts that exercise what differs between kernels: exit statuses,
# the ABI negotiation and its report, each kind of right, the network
# escapes, and the report's naming of the UDP and unix-socket denials only
# ABI 9 and 10 kernels make. Under TCG on a loaded machine, t_fs_rights.sh took ~650 s,
# t_escape_fs.sh ~400 s and t_failclosed.sh ~180 s a kernel: they are left
# to --full and SBX_KERNEL_SCRIPTS.
QUICK="tests/integration/t_exit.sh tests/integration/t_abi.sh
tests/integration/t_net.sh tests/integration/t_scoped.sh
tests/security/t_escape_net.sh tests/integration/t_report_sockets.sh"

# What --full leaves out, each with why; they count as skipped.
GUEST_SKIP="tests/integration/t_deb.sh	it builds a Debian package and dpkg-installs it: nothing in it depends on the kernel, and the guest's root is read-only
tests/security/t_escape_i386.sh	the guest has no qemu-user (binfmt_misc) registration to run its i386 cases under"

full=0
if [ "${1:-}" = --full ]; then
	full=1
	shift
fi
series_list=${*:-5.10 6.1 6.12 7.2 7.3}
if [ $full = 1 ]; then
	scripts=$(printf '%s\n' tests/integration/t_*.sh tests/security/t_*.sh |
		grep -vxFf <(cut -f1 <<<"$GUEST_SKIP"))
	while IFS=$'\t' read -r name why; do
		echo "skip - $name: $why"
	done <<<"$GUEST_SKIP"
	left_out=$(wc -l <<<"$GUEST_SKIP")
	# The whole suite in one guest outlasts run-in-kernel.sh's default hour
	# under TCG (6.1 and 7.3 both timed out in it on a loaded machine).
	export SBX_KERNEL_TIMEOUT=${SBX_KERNEL_TIMEOUT:-14400}
else
	scripts=${SBX_KERNEL_SCRIPTS:-$QUICK}
fi
out=build/kernels
mkdir -p "$out/logs"
jobs=${SBX_KERNEL_JOBS:-2}
left_out=${left_out:-0}

# shellcheck source=scripts/kernels/distributions.sh
. "$here/distributions.sh"

# In the guest: each script between "## begin" and "## end NAME STATUS"
# marks, so the host can count and time each one.
# shellcheck disable=SC2016 # expanded in the guest
guest_loop='for s; do echo "## begin $s"; bash "$s" 2>&1; echo "## end $s $?"; done'

# One kernel: boot, stream the output into its log with host times,
# then reduce the log to one tab-separated result line.
run_kernel() {
	local series=$1 log=$out/logs/$1.log start end status
	start=$(date +%s)
	# shellcheck disable=SC2086
	SBX_KERNEL_LOG=$out/logs/$series.console scripts/kernels/run-in-kernel.sh "$series" -- \
		bash -c "$guest_loop" _ $scripts 2>"$out/logs/$series.stderr" |
		while IFS= read -r line; do
			case $line in "## "*) echo "$line $(date +%s)" ;; *) echo "$line" ;; esac
		done >"$log"
	status=${PIPESTATUS[0]}
	end=$(date +%s)
	summarize "$series" "$log" "$status" $((end - start)) >"$out/logs/$series.result"
}

# series release abi accel boot passed failed skipped seconds verdict why
# times; no field is empty ("-"): read splits on runs of tabs.
summarize() {
	local series=$1 log=$2 status=$3 seconds=$4 info release abi accel boot
	info=$(tail -1 "$out/logs/$series.stderr")
	release=$(sed -n 's/^kernel \([^ ]*\) .*/\1/p' <<<"$info")
	abi=$(sed -n 's/.*Landlock ABI \([0-9]*\),.*/\1/p' <<<"$info")
	accel=$(sed -n 's/.*ABI [0-9]*, \([a-z]*\),.*/\1/p' <<<"$info")
	boot=$(sed -n 's/.*booted in \([0-9.]*\) s.*/\1/p' <<<"$info")
	awk -v series="$series" -v release="${release:-?}" -v abi="${abi:-?}" \
		-v accel="${accel:-?}" -v boot="${boot:-?}" -v status="$status" -v seconds="$seconds" \
		-v S="$left_out" '
		/^## begin / { name = $3; open = name; p = f = s = 0; t0 = $4; next }
		/^## end / {
			open = ""
			if ($4 != 0 && f == 0) { f = 1; why = why " " name "(exit " $4 ")" }
			if (p + f == 0) { f = 1; why = why " " name "(no assertion)" }
			P += p; F += f; S += s; ran++
			times = times sprintf("%s=%ds ", name, $5 - t0)
			next
		}
		/^ok - / { p++ } /^not ok - / { f++ } /^skip - / { s++ }
		END {
			# A script that began and never ended: the machine timed out
			# or died in it, and the scripts after it never ran.
			if (open != "") { F++; why = why " " open "(no end: exit " status ")" }
			if (status != 0 && ran == 0) { F++; why = why " no-status(" status ")" }
			verdict = (F == 0 && why == "" && ran > 0) ? "pass" : "FAIL"
			printf "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", series, release, abi,
				accel, boot, P, F, S, seconds, verdict, why == "" ? "-" : why, times
		}' "$log"
}

echo "check-kernels: $(wc -w <<<"$series_list") kernels, $(wc -w <<<"$scripts") scripts each, $jobs at a time"
running=0
for series in $series_list; do
	# Downloads run one at a time, before the boots (they share apt's lists).
	scripts/kernels/fetch.sh "$series" >/dev/null || exit 1
done
for series in $series_list; do
	run_kernel "$series" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait

tsv=$out/matrix.tsv
host_abi=$(build/sandboxec -V 2>/dev/null | sed -n 's/.*kernel \([0-9]*\).*/\1/p')
{
	for series in $series_list; do cat "$out/logs/$series.result"; done
	printf 'host\t%s\t%s\tnative\t-\t-\t-\t-\t-\tmake check\t-\t-\n' "$(uname -r)" "${host_abi:-0}"
} >"$tsv"

P=0 F=0 S=0 bad=0
while IFS=$'\t' read -r series release abi accel boot p f s seconds verdict why times; do
	if [ "$series" = host ]; then
		echo "kernel $release (this machine): Landlock ABI $abi: every script runs natively in make check"
		continue
	fi
	printf 'kernel %s (%s): Landlock ABI %s: %d passed, %d failed, %d skipped in %d s (%s, boot %s s) %s%s\n' \
		"$release" "$(distribution "$series")" "$abi" "$p" "$f" "$s" "$seconds" "$accel" "$boot" "$verdict" \
		"$([ "$why" = - ] || echo ":$why")"
	echo "  times: $times"
	P=$((P + p)) F=$((F + f)) S=$((S + s))
	[ "$verdict" = pass ] || bad=$((bad + 1))
done <"$tsv"
[ "$bad" -eq 0 ] || echo "check-kernels: $bad kernel(s) failed; logs in $out/logs/"
echo "kernels: $P passed, $F failed, $S skipped"
[ "$bad" -eq 0 ]
