#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make bench`: what a sandboxed exec costs, as ratios to a bare exec
# measured in the same rounds. tests/helpers/bench_exec runs every row once
# per round (fork + execve + wait4, timed in C, so every row pays the same
# harness), the rows in a new random order each round, and reports per row
# the median of its per-round ratios to the bare row: load on the machine
# moves a round's rows together and cancels out, and no row always runs
# right after another's teardown. Rows: the floors the project writes
# itself (tests/bench/), the shim, the `--mode env` settings (decided by the
# fast audit entry where it is built, docs/perf.md §3), the CLI, and
# the peers installed here; then a Makefile of 300 `true` recipes bare,
# with the settings included, and per recipe through the CLI, the static
# floor and the sample-shaped sandboxer. Prints the tables with the date,
# the load and the kernel; asserts nothing. Then runs every other
# scripts/bench_*.sh.
#
#   scripts/bench.sh BUILD
#   BENCH_ROUNDS=N (exec rounds, default 400), BENCH_MAKE_ROUNDS=N (default 7),
#   BENCH_MAKE_RECIPES=N (default 300), BENCH_SEED=N (repeat an order),
#   BENCH_ONLY=exec (skip the Makefile case and the other scripts)
set -u
build=$(cd "${1:-build}" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
rounds=${BENCH_ROUNDS:-400}
make_rounds=${BENCH_MAKE_ROUNDS:-7}
recipes=${BENCH_MAKE_RECIPES:-300}
helpers=$build/tests/helpers
floors=$build/tests/bench
timer=$helpers/bench_exec
shim=$build/libsandboxec.so
sbx=$build/sandboxec
true_bin=/bin/true
for f in "$timer" "$shim" "$sbx" "$floors/empty_preload.so" "$floors/landlock_preload.so" \
	"$floors/landlock_seccomp_preload.so" "$floors/static_wrapper" "$floors/static_seccomp_wrapper" \
	"$floors/sandboxer_ref"; do
	[ -e "$f" ] || { echo "bench: $f is missing; run make bench (or make all and the helpers)" >&2; exit 1; }
done
tmp=$(mktemp -d /tmp/sbxbench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
unset MAKEFLAGS MFLAGS MAKELEVEL

. "$(dirname "$0")/bench-policy.sh"
# The same 6 paths in the shape of the kernel's sample sandboxer: read and
# execute, or every right.
ll_ro=/usr:/etc:/proc:$helpers
ll_rw=/tmp:/dev/null
seed=()
[ -z "${BENCH_SEED:-}" ] || seed=(-s "$BENCH_SEED")

# row SPEC WHERE NAME [NAME=VALUE...] -- COMMAND [ARG...]: appends a line
# of bench_exec's row file (tab-separated fields).
row() {
	local spec=$1 field
	shift
	for field in "$@"; do
		case $field in *$'\t'* | *$'\n'* | '') echo "bench: a row field is empty or has a tab: '$field'" >&2; exit 1 ;; esac
	done
	(IFS=$'\t'; echo "$*") >>"$spec"
}
# peer NAME COMMAND...: whether a peer runs here; says so when it does not.
peer() {
	local name=$1
	shift
	command -v "$1" >/dev/null 2>&1 || { echo "skipped: $name (not installed)"; return 1; }
	"$@" "$true_bin" >/dev/null 2>&1 || { echo "skipped: $name (it does not run here: $("$@" "$true_bin" 2>&1 | head -1))"; return 1; }
}

echo "make bench, $(date -u '+%Y-%m-%d %H:%M UTC'); $(uname -sr), $(nproc) CPUs; load average:$(uptime | sed 's/.*load average://')"
echo

# The `--mode env` settings exactly as printed (dotenv: NAME='VALUE'), and
# without the empty ones, as the settings row had them before the fast
# audit entry (the engine then also looks for a config file: none is found
# here).
env_settings=()
printed_settings=()
while IFS= read -r line; do
	value=${line#*=}
	value=${value#\'}
	value=${value%\'}
	case $value in *\'*) echo "bench: cannot read the --mode env line $line" >&2; exit 1 ;; esac
	printed_settings+=("${line%%=*}=$value")
	[ -n "$value" ] || continue
	env_settings+=("${line%%=*}=$value")
done < <("$sbx" --mode env --format dotenv "${flags6[@]}")

spec=$tmp/exec.rows
row "$spec" top "bare /bin/true" -- "$true_bin"
row "$spec" top "floor: LD_PRELOAD of an empty library" LD_PRELOAD="$floors/empty_preload.so" -- "$true_bin"
row "$spec" top "floor: Landlock preload, 6 rules" LD_PRELOAD="$floors/landlock_preload.so" BENCH_FS="$fs6" -- "$true_bin"
row "$spec" top "floor: same + the project's seccomp filter" LD_PRELOAD="$floors/landlock_seccomp_preload.so" BENCH_FS="$fs6" -- "$true_bin"
if [ -e "$floors/audit_nolibc.so" ]; then
	row "$spec" top "floor: LD_AUDIT module without libc, 6 rules" LD_AUDIT="$floors/audit_nolibc.so" BENCH_FS="$fs6" -- "$true_bin"
else
	echo "skipped: floor LD_AUDIT module without libc (built on x86_64 and aarch64 only)"
fi
row "$spec" top "floor: static wrapper, 6 rules, then execve" BENCH_FS="$fs6" -- "$floors/static_wrapper" "$true_bin"
row "$spec" top "floor: static wrapper + the project's seccomp filter" BENCH_FS="$fs6" -- "$floors/static_seccomp_wrapper" "$true_bin"
if [ -e "$floors/static_wrapper_nolibc" ]; then
	row "$spec" top "floor: static wrapper without libc, 6 rules" BENCH_FS="$fs6" -- "$floors/static_wrapper_nolibc" "$true_bin"
else
	echo "skipped: floor static wrapper without libc (built on x86_64 and aarch64 only)"
fi
row "$spec" top "shim, cold: 6-rule SANDBOXEC_FS" LD_PRELOAD="$shim" SANDBOXEC_FS="$fs6" -- "$true_bin"
row "$spec" tree "descendant in a sandboxed tree" -- "$true_bin"
# Two references for that row, each a descendant in a tree of its own made
# in the same rounds: one the empty preload made (no sandbox: what running
# in a tree copy of the harness costs by itself) and one the Landlock +
# filter floor made (what the kernel charges any process under the same
# rules and filter; no shim code runs in a descendant). The floor preloads
# stay in LD_PRELOAD, so these rows empty it.
row "$spec" tree:plain "descendant in an unsandboxed tree (reference)" LD_PRELOAD= -- "$true_bin"
row "$spec" tree:floor "descendant in the floor's tree (reference)" LD_PRELOAD= -- "$true_bin"
row "$spec" tree "descendant re-adding LD_PRELOAD (marker: skip)" LD_PRELOAD="$shim" -- "$true_bin"
# The settings as printed (every value, empty ones too): on x86-64 the fast
# audit entry decides them (docs/perf.md §3); then the same settings with
# the shim alone in LD_AUDIT, as before the fast entry; then, where it is
# built, settings outside the shape it decides alone (the empty values
# dropped: the engine then looks for a config file; a rule path with a
# trailing slash), where it leaves the decision to the shim after it.
row "$spec" top "the --mode env settings (LD_AUDIT + LD_PRELOAD)" "${printed_settings[@]}" -- "$true_bin"
shim_only=()
outside_settings=()
for s in "${printed_settings[@]}"; do
	case $s in
	LD_AUDIT=*) shim_only+=("LD_AUDIT=${s#LD_AUDIT=*libsandboxec-fast.so:}") ;;
	*) shim_only+=("$s") ;;
	esac
	case $s in SANDBOXEC_FS=*) outside_settings+=("$s,r:/etc/") ;; *) outside_settings+=("$s") ;; esac
done
row "$spec" top "the settings, the shim alone in LD_AUDIT" "${shim_only[@]}" -- "$true_bin"
if [ -e "$build/libsandboxec-fast.so" ]; then
	# The first row means the fast entry only if it decides alone: no copy
	# of the shim mapped (a build tree reached through a symlink would be).
	case $(env "${printed_settings[@]}" /bin/cat /proc/self/maps 2>&1) in
	*libsandboxec.so*) echo "note: the fast audit entry leaves these settings to the shim (a rule path is not canonical?)" ;;
	esac
	row "$spec" top "settings, empty values dropped (shim decides)" "${env_settings[@]}" -- "$true_bin"
	row "$spec" top "settings, a rule path ending in / (shim decides)" "${outside_settings[@]}" -- "$true_bin"
else
	echo "skipped: the fast audit entry (built on x86-64 only); the settings row is the shim's"
fi
row "$spec" top "sandboxec --fs x6 -- /bin/true" -- "$sbx" "${flags6[@]}" -- "$true_bin"
row "$spec" top "peer: the kernel sample's shape (sandboxer_ref)" LL_FS_RO="$ll_ro" LL_FS_RW="$ll_rw" -- \
	"$floors/sandboxer_ref" "$true_bin"
if peer "peer bwrap" bwrap --ro-bind / /; then
	row "$spec" top "peer: bwrap --ro-bind / /" -- "$(command -v bwrap)" --ro-bind / / "$true_bin"
fi
if peer "peer firejail" firejail --noprofile --quiet; then
	row "$spec" top "peer: firejail --noprofile" -- "$(command -v firejail)" --noprofile --quiet "$true_bin"
fi
echo "exec of /bin/true:"
"$timer" -r "$rounds" "${seed[@]}" -c "descendant in an unsandboxed tree (reference)" \
	-t LD_PRELOAD="$shim" -t SANDBOXEC_FS="$fs6" \
	-t plain:LD_PRELOAD="$floors/empty_preload.so" \
	-t floor:LD_PRELOAD="$floors/landlock_seccomp_preload.so" -t floor:BENCH_FS="$fs6" "$spec" || exit 1
echo "goals (not asserted): shim cold <= 1.25x, --mode env settings <= 1.4x, descendant <= 1.05x (against bare, and against the unsandboxed tree's descendant), sandboxec <= 1.6x"
[ "${BENCH_ONLY:-}" != exec ] || exit 0

# The Makefile case: every recipe is one cold start. With the settings
# included, make runs each recipe through /bin/sh (the settings ask for
# the shell, which loads the shim), so a recipe there is one sandboxed sh.
mk=$tmp/mk
mkdir -p "$mk"
targets=$(seq -f 't%g' 1 "$recipes" | tr '\n' ' ')
"$sbx" --mode env --format make "${flags6[@]}" >"$mk/settings.mk" || exit 1
makefile() { # NAME RECIPE [HEADER...]
	local name=$1 recipe=$2
	shift 2
	{
		printf '%s\n' "$@"
		printf 'all: %s\n.PHONY: all %s\n%s:\n\t%s\n' "$targets" "$targets" "$targets" "$recipe"
	} >"$mk/$name.mk"
}
makefile bare true
makefile env true "include $mk/settings.mk"
makefile cli "$sbx ${flags6[*]} -- true"
makefile static "$floors/static_wrapper $true_bin" "export BENCH_FS := $fs6"
makefile ref "$floors/sandboxer_ref true" "export LL_FS_RO := $ll_ro" "export LL_FS_RW := $ll_rw"
make_bin=$(command -v make)
mspec=$tmp/make.rows
row "$mspec" top "bare: $recipes true recipes" -- "$make_bin" -s -f "$mk/bare.mk"
row "$mspec" top "Makefile including the --mode env settings" -- "$make_bin" -s -f "$mk/env.mk"
row "$mspec" top "sandboxec --fs x6 -- true per recipe" -- "$make_bin" -s -f "$mk/cli.mk"
row "$mspec" top "floor: static wrapper per recipe" -- "$make_bin" -s -f "$mk/static.mk"
row "$mspec" top "peer: sandboxer_ref per recipe" -- "$make_bin" -s -f "$mk/ref.mk"
echo
echo "make -s of $recipes \`true\` recipes (one make per row per round):"
"$timer" -r "$make_rounds" "${seed[@]}" "$mspec" || exit 1

for other in "$top"/scripts/bench_*.sh; do
	[ -e "$other" ] || continue
	echo
	echo "== $(basename "$other")"
	bash "$other" "$build" || echo "bench: $(basename "$other") failed" >&2
done
