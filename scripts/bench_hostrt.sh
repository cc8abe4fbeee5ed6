#!/usr/bin/env bash
# Host-runtime bench: whole-$PATH resolution by our ELF resolver against the
# ld.so --list method (one loader run per ELF executable in $PATH, as the Go
# tool did) on the same files, page cache warm; prints both and the ratio.
#
#   scripts/bench_hostrt.sh BUILD [RUNS]
set -u
build=${1:-build}
runs=${2:-5}
helper=$build/tests/helpers/hostrt_closure
ldso=${SBX_LDSO:-/lib64/ld-linux-x86-64.so.2}
[ -x "$helper" ] || { echo "bench_hostrt: build $helper first (make bench-hostrt)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/sbxbench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

"$helper" --list-elf | sort -u >"$tmp/exes"
n=$(wc -l <"$tmp/exes")

now_us() { local t; t=$(date +%s%N); echo $((t / 1000)); }
# CPU time (user + system) of this shell's finished children, in µs.
children_cpu_us() {
	awk '{ hz = 100; print int(($16 + $17) * 1000000 / hz) }' "/proc/$$/stat" 2>/dev/null ||
		echo 0
}

# ld.so --list, one process per executable (warm-up pass first).
ldso_pass() {
	while IFS= read -r exe; do
		"$ldso" --list "$exe" >/dev/null 2>&1
	done <"$tmp/exes" 2>/dev/null
}
ldso_pass
best_ldso=
best_ldso_cpu=
for _ in $(seq "$runs"); do
	t0=$(now_us)
	c0=$(children_cpu_us)
	ldso_pass
	t=$(($(now_us) - t0))
	c=$(($(children_cpu_us) - c0))
	if [ -z "$best_ldso" ] || [ "$t" -lt "$best_ldso" ]; then best_ldso=$t; fi
	if [ -z "$best_ldso_cpu" ] || [ "$c" -lt "$best_ldso_cpu" ]; then best_ldso_cpu=$c; fi
done

# Ours: the helper times whole-$PATH resolutions in-process (warm-up included
# in its run count; we report its median).
read -r _ ours_med _ ours_min _ entries _ ours_cpu < <("$helper" --bench $((runs * 4 + 1)))

libs=$("$helper" --path | grep -c '^shared library')
awk -v n="$n" -v libs="$libs" -v l="$best_ldso" -v lc="$best_ldso_cpu" -v o="$ours_med" \
	-v omin="$ours_min" -v oc="$ours_cpu" -v e="$entries" 'BEGIN {
	printf "host runtime: %d ELF executables in $PATH, %d libraries, %d rules\n", n, libs, e
	printf "  ld.so --list per executable: %8.1f ms wall (best of runs), %8.1f ms CPU\n", l / 1000, lc / 1000
	printf "  sandboxec ELF resolver:      %8.1f ms wall (median; min %.1f), %8.1f ms CPU\n", o / 1000, omin / 1000, oc / 1000
	printf "  ratio: %.0fx faster (wall), %.0fx less CPU\n", l / o, (oc > 0 ? lc / oc : 0)
}'
