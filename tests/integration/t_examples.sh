#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The shipped examples in docs/examples/ work as documented: the Makefile
# that includes generated settings runs every recipe sandboxed and its
# recipes cannot edit the Makefile or the settings, the
# shell-sourcing script's commands are allowed and denied as its policy
# says, and the CI script runs a command under the repository's project
# file — and refuses to run it when there are no settings. Each denial is
# first shown to succeed without the sandbox.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

EX=$SBX_TOP/docs/examples
export SANDBOXEC=$SBX
OUTSIDE=$SBX_TMP/outside
mkdir -p "$OUTSIDE"

# --- make: include the generated settings
MKOUT=$SBX_TMP/make-out
mkdir -p "$MKOUT"
"$SBX" --mode env --format make --fs rx:/usr --fs "rw:$MKOUT" >"$SBX_TMP/sandboxec.mk"
mk() { make -s --no-print-directory -f "$EX/make/Makefile" OUT="$MKOUT" ESCAPE_TARGET="$OUTSIDE/escape" "$@"; }
run_capture mk SETTINGS=/dev/null escape
expect_eq "make escape without the settings writes outside (control)" "$STATUS" 0
expect_exists "make escape without the settings: the file exists (control)" "$OUTSIDE/escape"
rm -f "$OUTSIDE/escape"
run_capture mk SETTINGS="$SBX_TMP/sandboxec.mk" build
expect_eq "make build with the settings: allowed" "$STATUS" 0
expect_eq "make build wrote its output" "$(cat "$MKOUT/hello.txt" 2>&1)" hello
run_capture mk SETTINGS="$SBX_TMP/sandboxec.mk" escape
expect_eq "make escape with the settings: the recipe fails" "$STATUS" 2
expect_contains "make escape: touch was denied" "$ERR" "Permission denied"
expect_absent "make escape: nothing written outside" "$OUTSIDE/escape"
rm -f "$MKOUT/hello.txt"
run_capture mk SETTINGS="$SBX_TMP/missing.mk" build
expect_eq "make without its settings file stops instead of running unsandboxed" "$STATUS" 2
expect_absent "make without settings: no recipe ran" "$MKOUT/hello.txt"
# The recipe's shell itself is confined, not only the commands it names.
run_capture make -s --no-print-directory -f - <<EOF2
include $SBX_TMP/sandboxec.mk
all:
	@echo redirect >$OUTSIDE/redirect
EOF2
expect_eq "make: a recipe redirecting outside fails" "$STATUS" 2
expect_absent "make: a recipe's own redirection is confined" "$OUTSIDE/redirect"
# Its own Makefile and settings are out of its recipes' reach, set up as
# its comment says (rw on out/ only): make reads both again, unsandboxed,
# next time. The control grants rw on the whole project, as the README's
# example once did: the same recipes then edit both files.
PRJ=$SBX_TMP/make-project
tamper_setup() { # RULE: the writable rule besides rx:/usr
	rm -rf "$PRJ"
	mkdir -p "$PRJ/out"
	cp "$EX/make/Makefile" "$PRJ/Makefile"
	"$SBX" --mode env --format make --fs rx:/usr --fs "$1" >"$PRJ/sandboxec.mk"
	TAMPER_BEFORE=$(snapshot "$PRJ")
}
for what in settings makefile; do
	tamper_setup "rw:$PRJ"
	run_capture make -s --no-print-directory -C "$PRJ" "tamper-$what"
	expect_eq "make tamper-$what with rw on the whole project succeeds (control)" "$STATUS" 0
	if [ "$(snapshot "$PRJ")" != "$TAMPER_BEFORE" ]; then
		pass "make tamper-$what (control): the file changed"
	else
		fail "make tamper-$what (control)" "nothing changed: the control proves nothing"
	fi
	tamper_setup "rw:$PRJ/out"
	run_capture make -s --no-print-directory -C "$PRJ" "tamper-$what"
	expect_eq "make tamper-$what as documented: the recipe fails" "$STATUS" 2
	expect_contains "make tamper-$what: the write was denied" "$ERR" "Permission denied"
	expect_eq "make tamper-$what: the Makefile and sandboxec.mk are unchanged" "$(snapshot "$PRJ")" "$TAMPER_BEFORE"
done
# The next build is still confined.
run_capture make -s --no-print-directory -C "$PRJ" ESCAPE_TARGET="$OUTSIDE/escape" escape
expect_eq "make escape after the refused edits: still denied" "$STATUS" 2
expect_absent "make escape after the refused edits: nothing written outside" "$OUTSIDE/escape"

# --- shell: source the sh settings, run commands
SHOUT=$SBX_TMP/shell-out
mkdir -p "$SHOUT"
run_capture "$EX/shell/sandboxed-session.sh" "$SHOUT"
expect_eq "shell example runs" "$STATUS" 0
want="allowed: write in $SHOUT
allowed: list /usr
denied: list /etc
denied: write in \$HOME
allowed: a shell it starts, writing in $SHOUT
denied: a shell it starts, reading /etc/passwd"
expect_eq "shell example: allowed and denied as its policy says" "$OUT" "$want"
expect_exists "shell example: the allowed write happened" "$SHOUT/made-here"
expect_absent "shell example: nothing written in \$HOME" "$HOME/sandboxec-example-escape"
# The controls: each denied action works unsandboxed.
expect_status "bare: ls /etc works" 0 ls /etc
expect_status "bare: touch in \$HOME works" 0 touch "$HOME/control"
expect_status "bare: cat /etc/passwd works" 0 cat /etc/passwd

# --- CI: the repository's project file, trusted by SANDBOXEC_TRUST_PROJECT
REPO=$SBX_TMP/repo
mkdir -p "$REPO/src"
printf 'fs:\n  - rx:/usr\n  - rw:.\n' >"$REPO/.sandboxec.yaml"
cd "$REPO/src" || exit 1
run_capture "$EX/ci/sandboxed-ci.sh" sh -c 'touch ../built && echo built'
expect_eq "ci example: the command runs" "$STATUS:$OUT" "0:built"
expect_exists "ci example: it wrote inside the repository" "$REPO/built"
run_capture "$EX/ci/sandboxed-ci.sh" touch "$OUTSIDE/ci-escape"
expect_eq "ci example: writing outside the repository fails" "$STATUS" 1
expect_absent "ci example: nothing written outside" "$OUTSIDE/ci-escape"
run_capture touch "$OUTSIDE/ci-control"
expect_eq "bare: writing there works (control)" "$STATUS" 0
# Broken settings: the command must not run at all.
printf 'fs:\n  - rx:/usr\n  - rw:.\nfss: []\n' >"$REPO/.sandboxec.yaml"
rm -f "$REPO/built"
run_capture "$EX/ci/sandboxed-ci.sh" touch "$REPO/built"
expect_eq "ci example: a bad project file stops the job" "$STATUS" 1
expect_contains "ci example: the reason is shown" "$ERR" "sandboxec: "
expect_absent "ci example: the command did not run" "$REPO/built"
cd "$SBX_TMP/work" || exit 1

# --- the workflow file parses, and its sandboxed step is the script above
if python3 -c 'import yaml' 2>/dev/null; then
	run_capture python3 -c '
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
print("\n".join(step.get("run", "") for step in doc["jobs"]["test"]["steps"]))' "$EX/ci/github-actions.yml"
	expect_eq "ci workflow is valid YAML" "$STATUS" 0
	expect_contains "ci workflow runs the tested script" "$OUT" "docs/examples/ci/sandboxed-ci.sh make check"
else
	skip "ci workflow parses" "python3 has no yaml module here"
fi
