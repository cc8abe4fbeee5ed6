#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Many rules, counted: the user-space instructions of a policy of N
# directory rules (`rx:DIR`, plus rx:/usr) through each door, from
# callgrind, which the load of a shared machine does not move (the
# timings of scripts/bench_scale.sh do). Rows: the CLI with N --fs flags
# up to its execvp; the dynamic CLI with a YAML file (--config; the static
# one hands a config over to it); the cold shim with SANDBOXEC_FS (whole
# process, /bin/true included). Valgrind lacks the Landlock system calls,
# so every row runs with best-effort and stops short of applying the layer
# (the applying is system calls; scripts/bench_scale.sh times it).
#
#   scripts/bench_scale_callgrind.sh BUILD        (SCALE_SIZES="1000 10000" by default)
set -u
build=$(cd "${1:-build}" && pwd)
sizes=${SCALE_SIZES:-1000 10000}
tool=${SBX_CALLGRIND:-/usr/libexec/valgrind/callgrind-amd64-linux}
if [ ! -x "$tool" ] || ! command -v valgrind >/dev/null 2>&1; then
	echo "bench_scale_callgrind: valgrind is not installed; skipped"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sbxscale.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
max=0
for n in $sizes; do [ "$n" -gt "$max" ] && max=$n; done
(cd "$tmp" && seq -f 'd%05g' 1 "$max" | xargs mkdir)

# count LABEL [VAR=VALUE...] [-- VALGRIND-OPTION] COMMAND...: one figure.
# The tool binary is started directly, as in scripts/bench_callgrind.sh.
count() {
	local label=$1 assigns=() opts=() total
	shift
	while [[ $1 == *=* ]]; do assigns+=("$1"); shift; done
	if [ "$1" = -- ]; then opts+=("$2"); shift 2; fi
	rm -f "$tmp"/cg.*
	(cd "$tmp" && env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 "${assigns[@]}" \
		VALGRIND_LAUNCHER="$(command -v valgrind)" VALGRIND_LIB="$(dirname "$tool")" \
		"$tool" --tool=callgrind -q "${opts[@]}" --callgrind-out-file="$tmp/cg.%p" "$@" \
		>/dev/null 2>&1)
	total=$(grep -h '^summary:' "$tmp"/cg.* 2>/dev/null | head -1 | cut -d' ' -f2)
	printf '  %-7s %-6s %14s\n' "$n" "$label" "${total:-failed}"
}

echo "many rules: user-space instructions (callgrind; layer not applied)"
printf '  %-7s %-6s %14s\n' rules door instructions
for n in $sizes; do
	flags=() envfs="rx:/usr"
	printf 'fs:\n  - rx:/usr\n' >"$tmp/scale.yaml"
	for ((i = 1; i <= n; i++)); do
		printf -v d 'd%05d' "$i"
		flags+=(--fs "rx:$tmp/$d")
		envfs+=",rx:$d"
		echo "  - rx:$tmp/$d" >>"$tmp/scale.yaml"
	done
	count flags -- --dump-before=execvp "$build/sandboxec" --best-effort --fs rx:/usr \
		"${flags[@]}" -- /bin/true
	count env SANDBOXEC_FS="$envfs" SANDBOXEC_BEST_EFFORT=1 LD_PRELOAD="$build/libsandboxec.so" \
		/bin/true
	count yaml -- --dump-before=execvp "$build/sandboxec-dynamic" --best-effort \
		--config "$tmp/scale.yaml" -- /bin/true
done
