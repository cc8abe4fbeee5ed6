#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --list-profiles (docs/config.md "Listing the profiles"): every profile the
# -C search sees, directory by directory in search order, with the first
# sentence of its comment; a name an earlier directory answers is marked
# shadowed, and what the listing says wins is what -C NAME loads.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup

# A user profile that shadows a shipped one, a user-only one, and one in a
# SANDBOXEC_PROFILE_PATH directory that shadows the user's.
U=$XDG_CONFIG_HOME/sandboxec/profiles
P=$SBX_TMP/extra-profiles
mkdir -p "$U/languages" "$U/mine" "$P/mine"
cat >"$U/languages/python.yaml" <<'YAML'
# SPDX-License-Identifier: Apache-2.0
# languages/python: my own python. It has more.
fs:
  - rx:/usr
YAML
printf '# mine/tool: the user tool\nfs:\n  - rx:/usr\n' >"$U/mine/tool.yaml"
printf '# mine/tool: the path tool\n# over two lines.\nfs:\n  - rx:/usr\n' >"$P/mine/tool.yml"
printf 'fs:\n  - rx:/usr\n' >"$P/bare.yaml"
printf 'not a profile\n' >"$P/README"

expect_status "--list-profiles exits 0" 0 "$SBX" --list-profiles
expect_eq "--list-profiles prints nothing on stderr" "$ERR" ""
expect_contains "the shipped profiles are listed with their summary" "$OUT" \
	"languages/ruby    run Ruby scripts on the project in the current directory."
expect_contains "the user's profile is listed under the user directory" "$OUT" \
	"$U:"
expect_contains "a shipped profile the user's shadows is marked" "$OUT" \
	"languages/python  [shadowed by $U/languages/python.yaml]"
expect_contains "the shadowing profile shows its first sentence, name dropped" "$OUT" \
	"  languages/python  my own python."
# The user directory comes before the shipped one, as -C searches them.
user_at=$(printf '%s\n' "$OUT" | grep -n "^$U:" | cut -d: -f1)
ship_at=$(printf '%s\n' "$OUT" | grep -n "/profiles:$" | grep -v "$U" | tail -1 | cut -d: -f1)
if [ -n "$user_at" ] && [ -n "$ship_at" ] && [ "$user_at" -lt "$ship_at" ]; then
	pass "directories are listed in search order"
else
	fail "directories are listed in search order" "user at $user_at, shipped at $ship_at"
fi

SANDBOXEC_PROFILE_PATH=$P expect_status "with SANDBOXEC_PROFILE_PATH: exits 0" 0 "$SBX" --list-profiles
first=$(printf '%s\n' "$OUT" | head -1)
expect_eq "SANDBOXEC_PROFILE_PATH is searched first" "$first" "$P:"
expect_contains "a .yml profile is listed, its sentence over two lines" "$OUT" \
	"  mine/tool  the path tool over two lines."
expect_contains "the user's same-named profile is shadowed by it" "$OUT" \
	"mine/tool         [shadowed by $P/mine/tool.yml] the user tool"
expect_contains "a profile without a comment is listed" "$OUT" "  bare"
expect_not_contains "a file that is not YAML is not a profile" "$OUT" "README"
# What the listing says wins is what -C loads (explain needs Landlock).
if need_abi 1 "Landlock" "-C mine/tool loads the unshadowed one"; then
	SANDBOXEC_PROFILE_PATH=$P expect_status "-C mine/tool loads the unshadowed one" 0 \
		"$SBX" -C mine/tool --mode explain
	expect_contains "-C mine/tool: explain names the listed file" "$OUT" "$P/mine/tool.yml"
fi

# The same checks a run makes on SANDBOXEC_PROFILE_PATH: a relative entry
# is refused, never listed from the current directory.
SANDBOXEC_PROFILE_PATH=relative/dir expect_status "a relative SANDBOXEC_PROFILE_PATH is refused" 1 \
	"$SBX" --list-profiles
expect_sbx_error "a relative SANDBOXEC_PROFILE_PATH: one sandboxec: line"
SANDBOXEC_NO_SUCH=1 expect_status "an unknown SANDBOXEC_ variable is refused" 1 "$SBX" --list-profiles
expect_sbx_error "an unknown SANDBOXEC_ variable: one sandboxec: line"

# A hostile profile directory: a link loop and a name a terminal would
# interpret are shown, escaped, and the listing ends.
mkdir -p "$P/loop"
ln -s .. "$P/loop/again"
printf '# \033[31mred\033[0m\nfs: []\n' >"$P/esc.yaml"
SANDBOXEC_PROFILE_PATH=$P expect_status "a directory link loop ends the walk" 0 timeout 10 "$SBX" --list-profiles
expect_contains "a control character in a summary is shown escaped" "$OUT" '\x1b[31mred'
