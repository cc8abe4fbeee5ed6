#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The tree shows the architecture and keeps to it (HACKING.md, "Where code
# goes"; docs/design.md §1): the layers are folders, the include graph
# follows them, no production function passes 80 lines, every source file
# carries its licence line, and comments cite the repository's own docs.
# Each checker is first shown to catch a planted violation, so a checker
# that cannot fail does not pass here.
. "$(dirname "$0")/lib.sh"
sbx_setup

cd "$SBX_TOP" || exit 1
layers=$SBX_TOP/scripts/check-layers.sh
longest=$SBX_TOP/scripts/longest-functions.sh

for dir in shim/engine shim/hostrt tool/mcp tests/unit/engine tests/unit/hostrt \
	tests/unit/shim tests/unit/tool; do
	if [ -d "$dir" ] && ls "$dir"/*.c >/dev/null 2>&1; then
		pass "$dir holds its layer's C files"
	else
		fail "$dir holds its layer's C files" "no $dir/*.c"
	fi
done

# --- the include layering ------------------------------------------------
fake=$SBX_TMP/layers
mkdir -p "$fake"
cp -r shim tool "$fake/"
expect_status "check-layers passes on a copy of the tree" 0 "$layers" "$fake"
echo '#include "hostrt/hostrt.h"' >>"$fake/shim/engine/policy.c"
expect_status "check-layers catches the engine including the host runtime" 1 "$layers" "$fake"
expect_contains "check-layers names the file and the include" "$OUT" \
	'shim/engine/policy.c includes "hostrt/hostrt.h"'
cp shim/engine/policy.c "$fake/shim/engine/policy.c"
echo '#include "cli.h"' >>"$fake/shim/hostrt/ldcache.c"
expect_status "check-layers catches a bare name from another folder" 1 "$layers" "$fake"
expect_status "the include graph follows the layers" 0 "$layers"

# --- function length -------------------------------------------------------
long=$SBX_TMP/long
mkdir -p "$long"
{
	echo 'int too_long(void)'
	echo '{'
	for i in $(seq 1 80); do echo "	(void)$i;"; done
	echo '	return 0;'
	echo '}'
} >"$long/long.c"
expect_status "longest-functions catches an 83-line function" 1 "$longest" --max 80 "$long"
expect_contains "longest-functions names it" "$OUT" "83 $long/long.c:2 too_long"
expect_status "no production function is longer than 80 lines" 0 "$longest" --max 80 shim tool
[ "$STATUS" -eq 0 ] || printf '%s\n' "$OUT" | head -5 | sed 's/^/# /'

# --- licence -----------------------------------------------------------------
expect_contains "LICENSE is the Apache License 2.0" "$(head -5 LICENSE)" "Version 2.0, January 2004"
missing=$(git ls-files '*.c' '*.h' '*.sh' '*.py' '*.mjs' '*.js' '*.mk' Makefile .ci/run 'profiles/*.yaml' |
	while read -r f; do head -3 "$f" | grep -q 'SPDX-License-Identifier: Apache-2.0' || echo "$f"; done)
expect_eq "every source file starts with its SPDX line" "$missing" ""

# --- citations ---------------------------------------------------------------
# The contract lives in docs/design.md; comments and docs point at its
# sections, not at documents outside the repository or at tracker numbers.
cited=$(git grep -nE 'SPEC [0-9]|FACTS|[Ii]ssue[- ][0-9]' -- shim tool tests mk scripts Makefile docs README.md HACKING.md \
	':!tests/integration/t_layout.sh')
expect_eq "code, docs and build files cite no outside document or issue number" "$cited" ""
sections=$(git grep -hoE 'design\.md §[0-9]+(\.[0-9]+)?' -- shim tool tests docs README.md HACKING.md |
	sed 's/.*§//' | sort -u)
for section in $sections; do
	if grep -qE "^#+ $section\.? " docs/design.md; then
		pass "docs/design.md has the cited section §$section"
	else
		fail "docs/design.md has the cited section §$section" "no heading \"$section ...\""
	fi
done
