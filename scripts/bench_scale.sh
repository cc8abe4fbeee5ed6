#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Many rules: the cost of a policy of N directory rules (N = 10, 100, 1 000,
# 10 000) through each door — CLI flags (as rx rules, and as rw ones: each
# rule is looked up among the writable trees), SANDBOXEC_FS under the shim,
# a YAML file — against the raw kernel cost of the same rules
# (tests/bench/raw_rules: open + landlock_add_rule per path, nothing else).
# Rows run interleaved in a random order per round; each round's time is
# divided by that round's raw time, and the median of those ratios is
# printed, with the 1 000 -> 10 000 growth (10.0 is linear). Asserts nothing.
#
#   scripts/bench_scale.sh BUILD [ROUNDS]        (SCALE_SIZES="10 100" to pick)
#
# SCALE_BASE=OTHER_BUILD adds each door of that build as a row of the same
# rounds (named DOOR@base), so a change and its base see the same load.
#
# Argument limits: the 10 000 flags (20 000 argv strings, ~0.5 MB) fit in
# ARG_MAX (2 MiB here), but one environment string may not exceed 128 KiB
# (MAX_ARG_STRLEN), so SANDBOXEC_FS names the directories relative to the
# current one (the shim makes them absolute: the same paths are walked).
set -u
build=$(cd "${1:-build}" && pwd)
rounds=${2:-7}
sizes=${SCALE_SIZES:-10 100 1000 10000}
cli=$build/sandboxec
shim=$build/libsandboxec.so
raw=$build/tests/bench/raw_rules
timer=$build/tests/helpers/bench_exec
base_build=${SCALE_BASE:+$(cd "$SCALE_BASE" && pwd)}
for f in "$cli" "$shim" "$raw" "$timer" ${base_build:+"$base_build/sandboxec" "$base_build/libsandboxec.so"}; do
	[ -e "$f" ] || { echo "bench_scale: build $f first (make bench)" >&2; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sbxscale.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
max=0
for n in $sizes; do [ "$n" -gt "$max" ] && max=$n; done
(cd "$tmp" && seq -f 'd%05g' 1 "$max" | xargs mkdir)
# What /bin/true needs to start, in every row (raw included).
base=(/usr)

# rows_N: argv of each door for N rules, built once per size.
build_rows()
{
	local n=$1 i flags=() rwflags=() abs=() envfs="rx:/usr"
	local yaml=$tmp/scale-$n.yaml
	printf 'fs:\n  - rx:/usr\n' >"$yaml"
	for ((i = 1; i <= n; i++)); do
		local d
		printf -v d 'd%05d' "$i"
		abs+=("$tmp/$d")
		flags+=(--fs "rx:$tmp/$d")
		rwflags+=(--fs "rw:$tmp/$d")
		envfs+=",rx:$d"
		echo "  - rx:$tmp/$d" >>"$yaml"
	done
	printf '%s\0' -- "$raw" "${base[@]}" "${abs[@]}" -- /bin/true >"$tmp/raw-$n"
	printf '%s\0' -- "$cli" --fs rx:/usr "${flags[@]}" -- /bin/true >"$tmp/flags-$n"
	printf '%s\0' -- "$cli" --fs rx:/usr "${rwflags[@]}" -- /bin/true >"$tmp/rw-$n"
	printf '%s\0' LD_PRELOAD="$shim" SANDBOXEC_FS="$envfs" -- /bin/true >"$tmp/env-$n"
	printf '%s\0' -- "$cli" --config "$yaml" -- /bin/true >"$tmp/yaml-$n"
	if [ -n "$base_build" ]; then
		local door
		for door in flags rw env yaml; do
			sed -e "s|$cli|$base_build/sandboxec|g" -e "s|$shim|$base_build/libsandboxec.so|g" \
				"$tmp/$door-$n" >"$tmp/$door@base-$n"
		done
	fi
}

# spec_N: bench_exec's row file for N rules (raw first: the reference),
# one tab-separated line per door.
write_spec()
{
	local n=$1 door
	local -a argv
	for door in "${doors[@]}"; do
		mapfile -d '' -t argv <"$tmp/$door-$n"
		(IFS=$'\t' && printf 'top\t%s\t%s\n' "$door" "${argv[*]}")
	done >"$tmp/spec-$n"
}

doors=(raw flags rw env yaml)
[ -n "$base_build" ] && doors+=(flags@base rw@base env@base yaml@base)
declare -A med
printf 'many rules: /bin/true under N directory rules, median of %s interleaved rounds\n' "$rounds"
printf '  %-7s %-10s %10s %8s %10s %8s\n' rules door "wall ms" "x raw" "cpu ms" "x raw"
for n in $sizes; do
	build_rows "$n"
	write_spec "$n"
	# From $tmp: the env row's paths are relative to it. bench_exec runs
	# the rows in a random order per round and divides each by the raw
	# row of the same round; cpu is the child's user + system time, which
	# a busy machine inflates less.
	if ! (cd "$tmp" && exec env -u LD_PRELOAD -u LD_AUDIT -u SANDBOXEC_ACTIVE -u SANDBOXEC_FS \
		"$timer" -r "$rounds" "$tmp/spec-$n") >"$tmp/table" 2>"$tmp/err"; then
		echo "bench_scale: $n rules: $(tail -1 "$tmp/err")" >&2
		continue
	fi
	for door in "${doors[@]}"; do
		# row, wall us, x ref, (p25-p75), cpu us, x ref
		read -r us ratio cpu cratio < <(awk -v d="$door" '$1 == d { print $2, $3, $(NF - 1), $NF }' "$tmp/table")
		med[$door-$n]=$cpu
		printf '  %-7s %-10s %10.2f %8s %10.2f %8s\n' "$n" "$door" "$(awk -v u="${us:-0}" 'BEGIN { print u / 1000 }')" \
			"x${ratio:-?}" "$(awk -v u="${cpu:-0}" 'BEGIN { print u / 1000 }')" "x${cratio:-?}"
	done
done
if [ -n "${med[raw-1000]:-}" ] && [ -n "${med[raw-10000]:-}" ]; then
	printf '  growth 1 000 -> 10 000 rules, cpu (10.0 is linear):'
	for door in "${doors[@]}"; do
		[ -n "${med[$door-1000]:-}" ] && [ -n "${med[$door-10000]:-}" ] &&
			printf ' %s %.1f' "$door" "$(awk -v a="${med[$door-10000]}" -v b="${med[$door-1000]}" 'BEGIN { print a / b }')"
	done
	echo
fi
echo "goal (not asserted): every door <= 1.3x raw at 10 000 rules, growth ~10"
