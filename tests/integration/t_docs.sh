#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The reference docs are checked against the binary, so they cannot drift
# from the tables they describe: docs/usage.md carries the exact --help
# output and every option; docs/environment.md every SANDBOXEC_* name the
# engine knows; docs/config.md every YAML key the loader accepts.
. "$(dirname "$0")/lib.sh"
sbx_setup

usage=$SBX_TOP/docs/usage.md
environment=$SBX_TOP/docs/environment.md
config=$SBX_TOP/docs/config.md

help=$("$SBX" --help)
documented=$(sed -n '/^## sandboxec --help/,$p' "$usage" | sed '1,3d;$d')
expect_eq "docs/usage.md shows the current sandboxec --help" "$documented" "$help"

for opt in $(grep -o -- '--[a-z][a-z-]*' <<<"$help" | sort -u); do
	if grep -q -- "\`$opt" "$usage"; then
		pass "docs/usage.md documents $opt"
	else
		fail "docs/usage.md documents $opt" "no \`$opt in the options tables"
	fi
done

# The engine lists the names it knows when it meets one it does not.
run_capture env SANDBOXEC_NO_SUCH_NAME=1 "$SBX" --fs rx:/usr -- true
names=$(grep -o 'SANDBOXEC_[A-Z_]*' <<<"${ERR#*known SANDBOXEC_\* variables are}" | sort -u)
expect_not_contains "the engine listed its variables" "$names" "NO_SUCH_NAME"
for name in $names; do
	if grep -q "^| \`$name\`" "$environment" || grep -q "^## $name" "$environment"; then
		pass "docs/environment.md documents $name"
	else
		fail "docs/environment.md documents $name" "no table row or section for it"
	fi
done

# Likewise the loader lists its keys for an unknown one.
printf 'no-such-key: 1\n' >"$SBX_TMP/unknown.yaml"
run_capture "$SBX" -c "$SBX_TMP/unknown.yaml" -- true
keys=$(sed -n 's/.*known keys are //p' <<<"$ERR" | tr -d ',')
expect_contains "the loader listed its keys" "$keys" "fs"
for key in $keys; do
	if grep -q "^| \`$key\`" "$config"; then
		pass "docs/config.md documents the key $key"
	else
		fail "docs/config.md documents the key $key" "no row in the keys table"
	fi
done

# The README's table of rights is what the engine grants: for each right
# in `--help`, the access explain reports on a directory and on a file.
readme=$SBX_TOP/README.md
mkdir -p "$SBX_TMP/rights-dir"
: >"$SBX_TMP/rights-file"
# (explain at --abi 7 needs a kernel that has it)
need_abi 7 "explain at --abi 7" "README's rights table matches the engine" &&
while read -r short long _; do
	on_dir=$("$SBX" --mode explain --abi 7 --fs "$short:$SBX_TMP/rights-dir" |
		sed -n "s|^  - \"$short:.*rights-dir\"  # --fs; directory; ||p")
	on_file=$("$SBX" --mode explain --abi 7 --fs "$short:$SBX_TMP/rights-file" |
		sed -n "s|^  - \"$short:.*rights-file\"  # --fs; file; ||p")
	expect_contains "README's rights table row for $short matches the engine" "$(cat "$readme")" \
		"| \`$short\` | \`$long\` | $on_dir | $on_file |"
done < <(sed -n '/^Filesystem rights/,/^$/p' <<<"$help" | sed '1d;/^$/d')
