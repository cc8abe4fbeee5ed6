#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Mistakes a new user makes get one line saying what to write instead, and
# nothing runs: a comma list on the command line, `--best-effort false`,
# --format outside --mode env. Mode names and YAML keys take any case.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup

W=$SBX_TMP/w
mkdir -p "$W"
MARK=$W/ran
# The cases below that run a command test how the rules were parsed;
# without Landlock they run under --best-effort, where a rule read wrongly
# still fails (its path is missing) and a rule read right runs the command.
BE=()
has_abi 1 || BE=(--best-effort)

# --- a comma list where commas do not separate rules -------------------------------------------
run_capture "$SBX" --fs rx:/usr,rw:/tmp -- "$PROBE" create "$MARK"
expect_sbx_error "--fs with a comma list: one sandboxec: line"
expect_contains "--fs with a comma list names the cause" "$ERR" "commas separate rules only in SANDBOXEC_FS"
expect_absent "--fs with a comma list: nothing ran" "$MARK"
run_capture "$SBX" --ignore-if-missing --fs rx:/usr,rw:/tmp --fs "rx:$PROBE" -- "$PROBE" create "$MARK"
expect_sbx_error "--fs comma list is refused even with --ignore-if-missing"
expect_absent "--ignore-if-missing comma list: nothing ran" "$MARK"
run_capture "$SBX" "${BASE[@]}" --net c:80,c:443 -- "$PROBE" create "$MARK"
expect_sbx_error "--net with a comma list: one sandboxec: line"
expect_contains "--net with a comma list names the cause" "$ERR" "commas separate rules only in SANDBOXEC_NET"
# A path with a comma that exists is a legal rule.
mkdir -p "$W/a,rw:b"
expect_eq "baseline: create in the comma directory works" "$("$PROBE" create "$W/a,rw:b/x")" ok
rm -f "$W/a,rw:b/x"
run_capture "$SBX" "${BE[@]}" "${BASE[@]}" --fs "rw:$W/a,rw:b" -- "$PROBE" create "$W/a,rw:b/x"
expect_eq "an existing path with a comma is one rule" "$STATUS:$OUT" "0:ok"
# In SANDBOXEC_FS the comma separates, as before.
SANDBOXEC_FS="rx:/usr,rx:$PROBE,rw:$W" run_capture "$SBX" "${BE[@]}" -- "$PROBE" create "$W/y"
expect_eq "SANDBOXEC_FS: commas separate rules" "$STATUS:$OUT" "0:ok"

# --- a boolean word after a switch ---------------------------------------------------------------
expect_eq "baseline: false exits 1 unsandboxed" "$(/usr/bin/false; echo $?)" 1
run_capture "$SBX" "${BASE[@]}" --best-effort false
expect_sbx_error "--best-effort false: one sandboxec: line"
expect_contains "--best-effort false says to write =" "$ERR" "(--best-effort=false)"
run_capture "$SBX" "${BASE[@]}" --ignore-if-missing true
expect_sbx_error "--ignore-if-missing true: refused"
expect_status "--best-effort -- true runs the command true" 0 "$SBX" "${BASE[@]}" --best-effort -- true
if has_abi 1; then
	expect_status "--best-effort=false true runs true" 0 "$SBX" "${BASE[@]}" --best-effort=false true
else
	# =false is read as "not best-effort": without Landlock, refused.
	run_capture "$SBX" "${BASE[@]}" --best-effort=false true
	expect_sbx_error "--best-effort=false true: not best-effort, refused without Landlock"
	expect_contains "--best-effort=false true: the refusal says why" "$ERR" "no Landlock"
fi

# --- --format is for --mode env only -------------------------------------------------------------
run_capture "$SBX" "${BASE[@]}" --mode explain --format json
expect_sbx_error "--mode explain --format json: refused, not ignored"
expect_eq "--mode explain --format json prints no YAML" "$OUT" ""
expect_status "--mode env --format json works" 0 "$SBX" "${BASE[@]}" --mode env --format json
run_capture "$SBX" "${BASE[@]}" --format json -- "$PROBE" create "$MARK"
expect_sbx_error "run with --format: refused"
expect_absent "run with --format: nothing ran" "$MARK"

# --- any case, as the original -------------------------------------------------------------------
run_capture "$SBX" "${BE[@]}" "${BASE[@]}" --mode EXPLAIN
expect_eq "--mode EXPLAIN is explain: status 0" "$STATUS" 0
expect_contains "--mode EXPLAIN is explain: it prints the policy" "$OUT" "# sandboxec: effective policy"
printf 'FS:\n  - rx:/usr\n  - rx:%s\n  - rw:%s\nBest-Effort: TRUE\nMode: Run\n' "$PROBE" "$W" >"$SBX_TMP/case.yaml"
run_capture "$SBX" -c "$SBX_TMP/case.yaml" -- "$PROBE" create "$W/z"
expect_eq "YAML keys in any case apply" "$STATUS:$OUT" "0:ok"
run_capture "$SBX" -c "$SBX_TMP/case.yaml" --mode explain
expect_contains "Best-Effort: TRUE is best-effort" "$OUT" "best-effort: true  # $SBX_TMP/case.yaml:5"
