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

# The man pages name everything the tables hold: sandboxec(1) every option,
# mode, env format, right and variable; libsandboxec(7) every variable;
# sandboxec.yaml(5) every key. Read from the roff source with its font and
# dash escapes taken out, so line filling and hyphenation cannot hide a name.
man1=$SBX_TOP/man/sandboxec.1
man5=$SBX_TOP/man/sandboxec.yaml.5
man7=$SBX_TOP/man/libsandboxec.7
roff_text() { sed 's/\\f[BIRP]//g; s/\\-/-/g; s/\\&//g; s/\\e/\\/g' "$1"; }
page1=$(roff_text "$man1")
page5=$(roff_text "$man5")
page7=$(roff_text "$man7")

for opt in $(grep -o -- '--[a-z][a-z-]*' <<<"$help" | sort -u) \
	$(grep -o -- '^  -[a-zA-Z],' <<<"$help" | tr -d ' ,'); do
	if grep -q -- "$opt\\([^a-z-]\\|\$\\)" <<<"$page1"; then
		pass "sandboxec(1) documents $opt"
	else
		fail "sandboxec(1) documents $opt" "no $opt in man/sandboxec.1"
	fi
done
for mode in $(sed -n '/^Modes:/,/^$/p' <<<"$help" | sed '1d;/^$/d' | awk '{print $1}'); do
	if grep -q "^\\.B $mode\$" <<<"$page1"; then
		pass "sandboxec(1) has an entry for the mode $mode"
	else
		fail "sandboxec(1) has an entry for the mode $mode" "no \".B $mode\" line"
	fi
done
formats=$(sed -n 's/.*--format FMT .*output format of env: //p' <<<"$help" | tr -d ',')
expect_contains "the help lists the env formats" "$formats" "sh"
for fmt in $formats; do
	if grep -q "^\\.BR\\? $fmt\\( \\|\$\\)" <<<"$page1"; then
		pass "sandboxec(1) names the env format $fmt"
	else
		fail "sandboxec(1) names the env format $fmt" "no \".B $fmt\" under --format"
	fi
done
while read -r short long _; do
	expect_contains "sandboxec(1) lists the right $short" "$page1" ".BR $short \", \" $long"
	expect_contains "sandboxec.yaml(5) names the right $long" "$page5" "$long"
done < <(sed -n '/^Filesystem rights/,/^$/p;/^Network rights/,/^$/p' <<<"$help" | grep '^  ')
for name in $names; do
	for page in 1 7; do
		text=page$page
		if grep -qw "$name" <<<"${!text}"; then
			pass "man page $page documents $name"
		else
			fail "man page $page documents $name" "no $name in it"
		fi
	done
done
for key in $keys; do
	if grep -q "^\\.B[IR]* $key:" <<<"$page5"; then
		pass "sandboxec.yaml(5) has an entry for the key $key"
	else
		fail "sandboxec.yaml(5) has an entry for the key $key" "no \".B $key:\" line"
	fi
done
version=$("$SBX" --version | sed -n '1s/^sandboxec //p')
for page in "$man1" "$man5" "$man7"; do
	expect_contains "${page##*/} carries the version of the binary" \
		"$(grep '^\.TH ' "$page")" "\"sandboxec $version\""
done

# The example of sandboxec.yaml(5) is a working config.
roff_text "$man5" | sed -n '/^\.SH EXAMPLES/,/^\.SH/p' | sed -n '/^\.EX/,/^\.EE/p' |
	sed '1d;$d' >"$SBX_TMP/man-example.yaml"
expect_status "the example of sandboxec.yaml(5) resolves" 0 \
	"$SBX" -c "$SBX_TMP/man-example.yaml" --mode explain

# Each page renders with man-db and groff without a single warning, as
# lintian and `man` would show it.
if command -v man >/dev/null 2>&1 && command -v groff >/dev/null 2>&1; then
	for page in "$man1" "$man5" "$man7"; do
		warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
		expect_eq "${page##*/} renders without a warning" "$warnings" ""
	done
else
	skip "the man pages render without a warning" "man or groff missing (make deps)"
fi
