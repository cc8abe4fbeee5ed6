#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Instructions per exec, counted by callgrind: unlike the timings of
# scripts/bench.sh they do not move with the load of a shared machine, so
# they show what a change to the cold path saves. Rows: bare /bin/true, the
# empty preload, the cold shim with the bench's 6-rule SANDBOXEC_FS, and
# `sandboxec --fs x6` up to its execvp. Whole process, ld.so included, in a
# fixed small environment. Valgrind lacks the Landlock system calls, so the
# sandboxed rows run with best-effort and stop short of applying the layer
# (creating and applying it is system calls, not instructions; see
# docs/shim.md). Skips when valgrind is not installed.
#
#   scripts/bench_callgrind.sh BUILD
set -u
build=$(cd "${1:-build}" && pwd)
tool=${SBX_CALLGRIND:-/usr/libexec/valgrind/callgrind-amd64-linux}
if [ ! -x "$tool" ] || ! command -v valgrind >/dev/null 2>&1; then
	echo "bench_callgrind: valgrind is not installed; skipped"
	exit 0
fi
helpers=$build/tests/helpers
tmp=$(mktemp -d /tmp/sbxbench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/bench-policy.sh"
fixed_env=(PATH=/usr/local/bin:/usr/bin:/bin HOME=/root LANG=C.UTF-8 TERM=xterm)

# count FILE LABEL [VAR=VALUE...] [-- VALGRIND-OPTION] COMMAND... — prints
# one row. The tool binary is started directly (as the valgrind launcher
# would): the launcher is itself dynamically linked, and would load an
# LD_PRELOAD meant for the command.
count() {
	local file=$1 label=$2 vg_opts=() assigns=() total
	shift 2
	while [[ $1 == *=* ]]; do assigns+=("$1"); shift; done
	if [ "$1" = -- ]; then vg_opts+=("$2"); shift 2; fi
	(cd /tmp && env -i "${fixed_env[@]}" VALGRIND_LAUNCHER="$(command -v valgrind)" \
		VALGRIND_LIB="$(dirname "$tool")" "${assigns[@]}" "$tool" --tool=callgrind -q \
		"${vg_opts[@]}" --callgrind-out-file="$tmp/$file.%p" "$@" >/dev/null 2>&1)
	# With --dump-before, the part before the exec is the only dump with
	# a summary (the file ending .1).
	total=$(grep -h '^summary:' "$tmp/$file".* 2>/dev/null | head -1 | cut -d' ' -f2)
	printf '%-48s %12s\n' "$label" "${total:-failed}"
}

echo "instructions per exec (callgrind, whole process incl. ld.so; layer not applied)"
printf '%-48s %12s\n' "row" "instructions"
count bare "bare /bin/true" /bin/true
count empty "floor: LD_PRELOAD of an empty library" \
	LD_PRELOAD="$build/tests/bench/empty_preload.so" /bin/true
count shim "shim, cold: 6-rule SANDBOXEC_FS" LD_PRELOAD="$build/libsandboxec.so" \
	SANDBOXEC_FS="$fs6" SANDBOXEC_BEST_EFFORT=1 /bin/true
count cli "sandboxec --fs x6, up to its execvp" -- --dump-before=execvp \
	"$build/sandboxec" --best-effort "${flags6[@]}" -- /bin/true
