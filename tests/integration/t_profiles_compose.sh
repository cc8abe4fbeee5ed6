#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `extends:` composition: parents load in order, their lists concatenate
# (parents first, then the file itself), scalars of the extending file
# win, a profile reached twice contributes once, and cycles, unknown
# names and bad entries are errors with file:line:col. Also: explain on
# a shipped profile shows where each rule came from, and the shim finds
# named profiles the same way the CLI does.
. "$(dirname "$0")/lib.sh"
sbx_setup

P=$SBX_TMP/profiles
mkdir -p "$P/base" "$P/err"
export SANDBOXEC_PROFILE_PATH=$P
printf 'fs:\n  - r:/etc/hostname\n' >"$SBX_TMP/plain.yaml"
printf 'readable\n' >"$SBX_TMP/work/a.txt"
printf 'readable\n' >"$SBX_TMP/b.txt"

cat >"$P/base/a.yaml" <<EOF
best-effort: true
restrict-scoped: true
abi: 5
fs:
  - rx:/usr
  - "rx:$PROBE"
net:
  - c:1443
EOF
cat >"$P/b.yaml" <<EOF
abi: 6
fs:
  - "r:$SBX_TMP/b.txt"
net:
  - c:1080
EOF
cat >"$P/child.yaml" <<'EOF'
extends: [base/a, b]
restrict-scoped: false
fs:
  - r:$PWD
net:
  - c:2000
EOF

# A diamond: two parents that share a grandparent. Not a cycle; the
# grandparent's rules appear once.
printf 'extends: [base/a]\nfs: ["r:%s"]\n' "$SBX_TMP/b.txt" >"$P/left.yaml"
printf 'extends: [base/a]\nnet: [c:3000]\n' >"$P/right.yaml"
printf 'extends: [left, right]\n' >"$P/diamond.yaml"
run_capture "$SBX" --mode explain -C diamond
expect_eq "extends: a diamond is not a cycle" "$STATUS" 0
need_abi 1 "Landlock: explain lists no rules without it" \
	"extends: a profile reached twice contributes its rules once" &&
	expect_eq "extends: a profile reached twice contributes its rules once" \
		"$(grep -c '"rx:/usr"' <<<"$OUT")" 1

# Errors: one line, "sandboxec: ", the file:line:col of the offending entry.
printf 'fs: [rx:/usr]\nextends:\n  - err/cycle-b\n' >"$P/err/cycle-a.yaml"
printf 'extends:\n  - other\n  - err/cycle-a\n' >"$P/err/cycle-b.yaml"
printf 'net: [c:1]\n' >"$P/other.yaml"
run_capture "$SBX" --mode explain -C err/cycle-a
expect_sbx_error "extends: a cycle is an error"
expect_contains "extends: the cycle error names the entry that closes it" "$ERR" \
	"$P/err/cycle-b.yaml:3:5"
expect_contains "extends: the cycle error names the entry that opened it" "$ERR" \
	"$P/err/cycle-a.yaml:3:5"
expect_contains "extends: the cycle error says so" "$ERR" "cycle"

printf 'extends: [err/self]\n' >"$P/err/self.yaml"
run_capture "$SBX" --mode explain -C err/self
expect_sbx_error "extends: a profile extending itself is an error"
expect_contains "extends: ... naming where" "$ERR" "$P/err/self.yaml:1:11"

printf 'fs: [rx:/usr]\nextends: [base/a, no/such-profile]\n' >"$P/err/unknown.yaml"
run_capture "$SBX" --mode explain -C err/unknown
expect_sbx_error "extends: an unknown name is an error"
expect_contains "extends: ... naming file:line:col and the name" "$ERR" \
	"$P/err/unknown.yaml:2:19: unknown named config \"no/such-profile\""

printf 'extends: base/a\n' >"$P/err/scalar.yaml"
run_capture "$SBX" --mode explain -C err/scalar
expect_sbx_error "extends: a single name instead of a list is an error"
expect_contains "extends: ... naming file:line:col" "$ERR" "$P/err/scalar.yaml:1:10"

printf 'extends: [../b]\n' >"$P/err/dotdot.yaml"
run_capture "$SBX" --mode explain -C err/dotdot
expect_sbx_error "extends: a name with .. is an error"
expect_contains "extends: ... naming file:line:col" "$ERR" "$P/err/dotdot.yaml:1:11"

printf 'fs: [rx:/usr]\nfss: [rx:/tmp]\n' >"$P/err/badparent.yaml"
printf 'extends:\n  - err/badparent\n' >"$P/err/usesbad.yaml"
run_capture "$SBX" --mode explain -C err/usesbad
expect_sbx_error "extends: an error inside a parent fails the whole load"
expect_contains "extends: ... naming the extends entry and the parent's line" "$ERR" \
	"$P/err/usesbad.yaml:2:5: $P/err/badparent.yaml:2:1: unknown key \"fss\""

# What follows shows the composed rules (explain lists none without
# Landlock) and enforces them.
require_abi 1 "Landlock"

run_capture "$SBX" --mode explain -C child
expect_eq "extends: explain succeeds" "$STATUS" 0
rules=$(grep -E '^  - "' <<<"$OUT" | sed 's/  #.*//')
want=$(printf '  - "rx:/usr"\n  - "rx:%s"\n  - "r:%s"\n  - "r:%s"' "$PROBE" "$SBX_TMP/b.txt" "$SBX_TMP/work")
# explain shows the effective policy: below ABI 4 best-effort (set by
# base/a) has dropped the ports, and the ABI is at most the kernel's.
if has_abi 4; then
	want+=$(printf '\n  - "c:1443"\n  - "c:1080"\n  - "c:2000"')
else
	expect_contains "extends, ABI $LL_ABI: best-effort says the ports were dropped" "$ERR$OUT" \
		"all network rules (they need ABI 4)"
fi
expect_eq "extends: lists concatenate in order (parents in order, then the file)" "$rules" "$want"
expect_contains "extends: a scalar only a parent sets is inherited" "$OUT" "best-effort: true  # $P/base/a.yaml"
expect_contains "extends: of two parents, the later one's scalar wins" "$OUT" \
	"abi: $(abi_pick 6 6 "$LL_ABI")  # $P/b.yaml"
expect_contains "extends: the extending file's scalar wins over its parents'" "$OUT" \
	"restrict-scoped: false  # $P/child.yaml"
expect_contains "extends: each rule says which file and line it came from" "$OUT" \
	"\"r:$SBX_TMP/b.txt\"  # $P/b.yaml:3:5"

# The composed policy is what is enforced: the parents' rules and the
# file's own all hold, and nothing else does.
expect_status "extends: a rule from the first parent holds (rx:/usr, the probe)" 0 \
	"$SBX" -C child -- "$PROBE" read /usr/bin/env
expect_status "extends: a rule from the second parent holds" 0 \
	"$SBX" -C child -- "$PROBE" read "$SBX_TMP/b.txt"
expect_status "extends: the file's own rule holds" 0 \
	"$SBX" -C child -- "$PROBE" read "$SBX_TMP/work/a.txt"
expect_eq "extends: the composed net list allows the parents' ports only (baseline)" \
	"$("$PROBE" read "$SBX_TMP/plain.yaml")" ok
run_capture "$SBX" -C child -- "$PROBE" read "$SBX_TMP/plain.yaml"
expect_eq "extends: a path no file in the chain grants is denied" "$OUT" "denied EACCES"

# A trusted project file may extend a shipped profile.
mkdir -p "$SBX_TMP/proj"
printf 'extends: [languages/python]\nfs:\n  - "rx:%s"\n' "$PROBE" >"$SBX_TMP/proj/.sandboxec.yaml"
(cd "$SBX_TMP/proj" && PWD=$SBX_TMP/proj SANDBOXEC_TRUST_PROJECT=1 \
	"$SBX" -- "$PROBE" write "$SBX_TMP/proj/out") >"$SBX_TMP/proj.out" 2>&1
expect_eq "extends: a project file extends languages/python (its \$PWD is writable)" \
	"$(cat "$SBX_TMP/proj.out")" ok

# --- explain on a shipped profile with extends ---
unset SANDBOXEC_PROFILE_PATH
run_capture "$SBX" --mode explain -C languages/python
expect_eq "explain -C languages/python succeeds" "$STATUS" 0
expect_contains "explain -C languages/python: names the profile file" "$OUT" \
	"# config file: $SBX_BUILD/../profiles/languages/python.yaml"
expect_contains "explain -C languages/python: shows base/dynamic's rules with their origin" \
	"$OUT" '"rx:/usr/lib"  # '"$SBX_BUILD/../profiles/base/dynamic.yaml"
expect_contains "explain -C languages/python: shows base/shell's rules with their origin" \
	"$OUT" '"rx:/usr/bin"  # '"$SBX_BUILD/../profiles/base/shell.yaml"
expect_contains "explain -C languages/python: shows the workspace, expanded" \
	"$OUT" "\"rw:$SBX_TMP/work\"  # $SBX_BUILD/../profiles/languages/python.yaml"
expect_contains "explain -C languages/python: an inherited scalar names its file" \
	"$OUT" "ignore-if-missing: true  # $SBX_BUILD/../profiles/base/dynamic.yaml"
grep -v '^#' <<<"$OUT" | grep -v '^ *# ' >"$SBX_TMP/explained.yaml"
run_capture "$SBX" --mode explain --config "$SBX_TMP/explained.yaml"
expect_eq "explain -C languages/python: its output is itself a valid config" "$STATUS" 0

# --- the shim finds the same named profiles ---
if PATH=/usr/bin:/bin command -v python3 >/dev/null; then
	# A file outside the workspace and outside /tmp (which the profile
	# grants for scratch files) — the build tree may lie under /tmp.
	outside=$(mktemp /var/tmp/sbx-compose-outside.XXXXXX)
	at_exit "rm -f '$outside'"
	OUT=$(cd "$SBX_TMP/work" && env -i PATH=/usr/bin:/bin HOME="$HOME" PWD="$SBX_TMP/work" \
		SANDBOXEC_NAMED_CONFIG=languages/python LD_PRELOAD="$SBX_SHIM" \
		python3 -c 'open("shim.txt", "w").write("x"); print(open("'"$outside"'").read())' 2>&1)
	expect_contains "shim: SANDBOXEC_NAMED_CONFIG=languages/python applies the profile" "$OUT" \
		"Permission denied"
	expect_exists "shim: ... and the workspace is writable under it" "$SBX_TMP/work/shim.txt"
fi
