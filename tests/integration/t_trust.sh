#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Project files (docs/design.md §3.2 step 3, §3.3): .sandboxec.yaml/.yml found from the
# cwd upward is used only when trusted (its absolute path and SHA-256 in
# $XDG_DATA_HOME/sandboxec/trust); any edit revokes trust;
# SANDBOXEC_TRUST_PROJECT=1 trusts whatever is found. Relative paths in a
# project file are relative to the file's own directory.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

PRJ=$SBX_TMP/project
DEEP=$PRJ/src/deep
STORE=$XDG_DATA_HOME/sandboxec/trust

# A project whose file grants rw on its own out/ dir, written relatively.
reset_project() {
	rm -rf "$PRJ"
	mkdir -p "$DEEP" "$PRJ/out"
	printf 'fs:\n  - rx:/usr\n  - rx:%s\n  - rw:out\n' "$PROBE" >"$PRJ/.sandboxec.yaml"
}

# in_deep CMD... — runs CMD from the project's subdirectory (so discovery
# has to walk up), leaving STATUS/OUT/ERR.
in_deep() {
	local here=$PWD
	cd "$DEEP" || exit 1
	run_capture "$@"
	cd "$here" || exit 1
}

reset_project
rm -f "$STORE"

# --- untrusted ------------------------------------------------------------------------
in_deep "$SBX" -- "$PROBE" create "$PRJ/out/new"
expect_sbx_error "untrusted project file found from a subdir: refused"
expect_contains "untrusted: message names the file" "$ERR" "$PRJ/.sandboxec.yaml"
expect_contains "untrusted: message says how to trust" "$ERR" "sandboxec --mode trust"
expect_absent "untrusted: command did not run" "$PRJ/out/new"
# It never falls through to a weaker source: a user config exists, still refused.
mkdir -p "$XDG_CONFIG_HOME/sandboxec"
printf 'fs:\n  - rx:/usr\n  - rx:%s\n  - rw:%s\n' "$PROBE" "$PRJ/out" >"$XDG_CONFIG_HOME/sandboxec/sandboxec.yaml"
in_deep "$SBX" -- "$PROBE" create "$PRJ/out/new"
expect_sbx_error "untrusted: no fall-through to the user config"
expect_absent "untrusted with user config: command did not run" "$PRJ/out/new"
rm "$XDG_CONFIG_HOME/sandboxec/sandboxec.yaml"

# Naming a config skips the project search, trusted or not.
printf 'fs:\n  - rx:/usr\n  - rx:%s\n  - rw:%s\n' "$PROBE" "$PRJ/out" >"$SBX_TMP/named.yaml"
in_deep "$SBX" -c "$SBX_TMP/named.yaml" -- "$PROBE" create "$PRJ/out/new"
expect_eq "untrusted project file ignored when -c names a config" "$STATUS:$OUT" "0:ok"
rm -f "$PRJ/out/new"

# --- SANDBOXEC_TRUST_PROJECT=1 ------------------------------------------------------------
in_deep env SANDBOXEC_TRUST_PROJECT=1 "$SBX" -- "$PROBE" create "$PRJ/out/new"
expect_eq "SANDBOXEC_TRUST_PROJECT=1 uses the project file" "$STATUS:$OUT" "0:ok"
expect_absent "SANDBOXEC_TRUST_PROJECT=1 writes no trust store" "$STORE"
rm -f "$PRJ/out/new"

# --- sandboxec --mode trust FILE --------------------------------------------------------------
run_capture "$SBX" --mode trust "$PRJ/.sandboxec.yaml" </dev/null
expect_eq "trust FILE: exits 0" "$STATUS" 0
expect_contains "trust FILE: shows the file" "$OUT$ERR" "rw:out"
expect_exists "trust FILE: writes the store under XDG_DATA_HOME" "$STORE"
expect_contains "trust FILE: store lists the absolute path" "$(cat "$STORE" 2>/dev/null)" "$PRJ/.sandboxec.yaml"
expect_contains "trust FILE: store lists the SHA-256" "$(cat "$STORE" 2>/dev/null)" \
	"$(sha256sum "$PRJ/.sandboxec.yaml" | cut -d' ' -f1)"

# Compare: out/ is writable unsandboxed; under the now-trusted project file
# out/ is writable but the project root is not.
expect_eq "trusted: baseline, probe creates in the project root unsandboxed" \
	"$("$PROBE" create "$PRJ/baseline")" ok
in_deep "$SBX" -- "$PROBE" create "$PRJ/out/new"
expect_eq "trusted: project file used (relative rule resolves to the file's dir)" "$STATUS:$OUT" "0:ok"
in_deep "$SBX" -- "$PROBE" create "$PRJ/new"
expect_eq "trusted: nothing beyond the file's rules" "$STATUS:$OUT" "3:denied EACCES"
expect_absent "trusted: denied create left nothing" "$PRJ/new"
# The rule is relative to the file, not the cwd: out/ under the cwd is not granted.
mkdir -p "$DEEP/out"
in_deep "$SBX" -- "$PROBE" create "$DEEP/out/new"
expect_eq "trusted: relative rule is not relative to the cwd" "$STATUS:$OUT" "3:denied EACCES"

# --- edits revoke trust ---------------------------------------------------------------------------
printf '# harmless comment\n' >>"$PRJ/.sandboxec.yaml"
rm -f "$PRJ/out/new"
in_deep "$SBX" -- "$PROBE" create "$PRJ/out/new"
expect_sbx_error "edited project file: trust revoked"
expect_absent "edited project file: command did not run" "$PRJ/out/new"

# --- trust without FILE: the project file found from the cwd ---------------------------------------
in_deep "$SBX" --mode trust </dev/null
expect_eq "trust (no FILE) from a subdir: exits 0" "$STATUS" 0
in_deep "$SBX" -- "$PROBE" create "$PRJ/out/new"
expect_eq "trust (no FILE): the found file is trusted" "$STATUS:$OUT" "0:ok"

# --- trust is bound to the path ---------------------------------------------------------------------
COPY=$SBX_TMP/copy
mkdir -p "$COPY/out"
cp "$PRJ/.sandboxec.yaml" "$COPY/.sandboxec.yaml"
(
	cd "$COPY" || exit 1
	run_capture "$SBX" -- "$PROBE" create "$COPY/out/new"
	expect_sbx_error "identical content at another path is not trusted"
	expect_absent "identical content at another path: command did not run" "$COPY/out/new"
)

# --- discovery ---------------------------------------------------------------------------------------
# The nearest file wins: a file in src/ shadows the project root's.
printf 'fs:\n  - rx:/usr\n  - rx:%s\n  - rw:deep\n' "$PROBE" >"$PRJ/src/.sandboxec.yml"
in_deep env SANDBOXEC_TRUST_PROJECT=1 "$SBX" -- "$PROBE" create "$DEEP/new"
expect_eq "discovery: nearest project file (.yml) wins" "$STATUS:$OUT" "0:ok"
in_deep env SANDBOXEC_TRUST_PROJECT=1 "$SBX" -- "$PROBE" create "$PRJ/out/new2"
expect_eq "discovery: the farther file is not merged in" "$STATUS:$OUT" "3:denied EACCES"
rm -f "$PRJ/src/.sandboxec.yml"

# Default store location: ~/.local/share/sandboxec/trust.
(
	unset XDG_DATA_HOME
	run_capture "$SBX" --mode trust "$PRJ/.sandboxec.yaml" </dev/null
	expect_eq "trust without XDG_DATA_HOME: exits 0" "$STATUS" 0
	expect_exists "trust without XDG_DATA_HOME: store in ~/.local/share" "$HOME/.local/share/sandboxec/trust"
)

# --- trust mode errors -------------------------------------------------------------------------------
run_capture "$SBX" --mode trust "$PRJ/absent.yaml" </dev/null
expect_sbx_error "trust of a file that does not exist: refused"
(
	cd "$SBX_TMP/work" || exit 1
	run_capture "$SBX" --mode trust </dev/null
	expect_sbx_error "trust (no FILE) with no project file around: refused"
)
run_capture "$SBX" --mode trust "$PRJ/.sandboxec.yaml" extra </dev/null
expect_sbx_error "trust with two FILEs: refused"

# --- trust accepts only a policy that would run --------------------------------
# Each bad file is first shown to pass the YAML parse (the old check), then
# refused with the error a run would give, and nothing is recorded.
for bad in 'fs:\n  - rwz:.\n' 'net:\n  - c:99999\n' 'best-effort: maybe\n' \
	'extends: [no/such-profile]\n'; do
	reset_project
	printf "$bad" >"$PRJ/.sandboxec.yaml"
	before=$(cat "$STORE" 2>/dev/null)
	run_capture "$SBX" --mode trust "$PRJ/.sandboxec.yaml" </dev/null
	expect_sbx_error "trust refuses a policy that would not run: $(printf "$bad" | tail -1)"
	expect_eq "trust records nothing for it: $(printf "$bad" | tail -1)" \
		"$(cat "$STORE" 2>/dev/null)" "$before"
done
# A path the project creates later (out/ of a build) is no reason to refuse.
reset_project
printf 'fs:\n  - rw:./made-by-the-build\n' >"$PRJ/.sandboxec.yaml"
expect_status "trust accepts a rule whose path does not exist yet" 0 \
	"$SBX" --mode trust "$PRJ/.sandboxec.yaml" </dev/null
reset_project
printf 'fs:\n  - rwz:.\n' >"$PRJ/.sandboxec.yaml"
( cd "$PRJ" && SANDBOXEC_TRUST_PROJECT=1 "$SBX" -- true ) 2>"$SBX_TMP/run.err"
expect_contains "trust and a run refuse a bad right with the same words" \
	"$(cat "$SBX_TMP/run.err")" 'unknown filesystem rights "rwz"'

# --- explain shows an untrusted project file, marked, and runs nothing ----------
reset_project
(
	cd "$PRJ" || exit 1
	run_capture "$SBX" -- true
	expect_sbx_error "baseline: a run refuses the untrusted project file"
	run_capture "$SBX" --mode explain
	expect_eq "explain on an untrusted project file: status 0" "$STATUS" 0
	expect_contains "explain marks the project file untrusted" "$OUT" \
		"# sandboxec: UNTRUSTED project file $PRJ/.sandboxec.yaml"
	expect_contains "explain shows the untrusted file's rules" "$OUT" "rw:$PRJ/out"
	run_capture "$SBX" --mode explain -- touch "$PRJ/out/made"
	expect_absent "explain with a COMMAND runs nothing" "$PRJ/out/made"
	run_capture "$SBX" -- true
	expect_sbx_error "after explain the file is still untrusted"
)

# --- the review shows what changed since the version trusted last -------------
COPIES=$XDG_DATA_HOME/sandboxec/trust-copies
reset_project
rm -rf "$STORE" "$COPIES"
run_capture "$SBX" --mode trust "$PRJ/.sandboxec.yaml" </dev/null
expect_eq "first trust: status 0" "$STATUS" 0
expect_contains "first trust: says there is no earlier version" "$OUT" \
	"# sandboxec: not trusted at this path before; the whole file"
expect_contains "first trust: shows the whole file" "$OUT" "$(cat "$PRJ/.sandboxec.yaml")"
expect_eq "first trust: the copy directory is private" "$(stat -c %a "$COPIES" 2>&1)" 700
expect_eq "first trust: one copy, private" "$(stat -c %a "$COPIES"/* 2>&1)" 600
expect_eq "first trust: the copy is the trusted content" "$(cat "$COPIES"/* 2>&1)" \
	"$(cat "$PRJ/.sandboxec.yaml")"

run_capture "$SBX" --mode trust "$PRJ/.sandboxec.yaml" </dev/null
expect_eq "trusting again unchanged: says so, shows nothing else" "$OUT" \
	"# $PRJ/.sandboxec.yaml
# sandboxec: no change since the version trusted last"

# An edit: one rule changed, one added. Without a terminal the diff is
# printed all the same, before the file is trusted.
printf 'fs:\n  - rx:/usr\n  - rx:%s\n  - rw:.\n  - rwx:/tmp\n' "$PROBE" >"$PRJ/.sandboxec.yaml"
run_capture "$SBX" --mode trust "$PRJ/.sandboxec.yaml" </dev/null
expect_eq "after an edit: status 0" "$STATUS" 0
expect_eq "after an edit: the review is the diff from the version trusted last" "$OUT" \
	"# $PRJ/.sandboxec.yaml
# sandboxec: changes since the version trusted last (- then, + now):
@@ -1,4 +1,5 @@
 fs:
   - rx:/usr
   - rx:$PROBE
-  - rw:out
+  - rw:.
+  - rwx:/tmp"
expect_eq "after an edit: the copy is now the new version" "$(cat "$COPIES"/* 2>&1)" \
	"$(cat "$PRJ/.sandboxec.yaml")"
( cd "$PRJ" && expect_status "after an edit: the new version is trusted" 0 "$SBX" -- /usr/bin/true )

# A path trusted before the copies existed (or whose copy was deleted):
# the whole file, never "no change".
rm -f "$COPIES"/*
printf '  - r:/etc\n' >>"$PRJ/.sandboxec.yaml"
run_capture "$SBX" --mode trust "$PRJ/.sandboxec.yaml" </dev/null
expect_contains "copy missing: says why the whole file is shown" "$OUT" \
	"# sandboxec: trusted here before, but the copy kept then is missing; the whole file:"
expect_contains "copy missing: shows the whole file" "$OUT" "$(cat "$PRJ/.sandboxec.yaml")"

# A store or copy directory that cannot hold the copy: nothing is trusted.
reset_project
rm -rf "$STORE" "$COPIES"
mkdir -p "$(dirname "$STORE")"
: >"$COPIES"
run_capture "$SBX" --mode trust "$PRJ/.sandboxec.yaml" </dev/null
expect_sbx_error "copy directory is a file: trust refused"
expect_contains "copy directory is a file: says what to do" "$ERR" "remove it and trust again"
expect_absent "copy directory is a file: nothing recorded" "$STORE"
rm -f "$COPIES"

# --- on a terminal, trust asks first ------------------------------------------
reset_project
ask() { # ANSWER: runs --mode trust on a pty, typing ANSWER
	python3 - "$1" "$SBX" --mode trust "$PRJ/.sandboxec.yaml" <<'PY'
import os, pty, sys, time
answer, cmd = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(cmd[0], cmd)
out = b""
while b"[y/N]" not in out:
    chunk = os.read(fd, 4096)
    if not chunk:
        break
    out += chunk
os.write(fd, answer.encode() + b"\n")
try:
    while True:
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        out += chunk
except OSError:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
PY
}
before=$(cat "$STORE" 2>/dev/null)
OUT=$(ask n)
expect_eq "on a terminal, answering n: status 1" "$?" 1
expect_contains "on a terminal, the question is asked" "$OUT" "trust this file as shown above? [y/N]"
expect_eq "on a terminal, answering n records nothing" "$(cat "$STORE" 2>/dev/null)" "$before"
OUT=$(ask y)
expect_eq "on a terminal, answering y: status 0" "$?" 0
( cd "$PRJ" && expect_status "after y the project file is used" 0 "$SBX" -- /usr/bin/true )

# After an edit, the terminal shows the diff before it asks; a version
# refused with n is not what the next review compares with.
printf '  - rwx:/\n' >>"$PRJ/.sandboxec.yaml"
copy_before=$(cat "$COPIES"/* 2>/dev/null)
OUT=$(ask n)
expect_eq "on a terminal after an edit, answering n: status 1" "$?" 1
OUT=${OUT//$'\r'/}
expect_contains "on a terminal after an edit: the diff comes before the question" \
	"${OUT%%\[y/N\]*}" $'changes since the version trusted last (- then, + now):\n@@ -2,3 +2,4 @@\n'
expect_contains "on a terminal after an edit: the added rule is shown before the question" \
	"${OUT%%\[y/N\]*}" $'\n+  - rwx:/\n'
expect_eq "on a terminal after an edit, answering n: the copy is unchanged" \
	"$(cat "$COPIES"/* 2>/dev/null)" "$copy_before"
run_capture "$SBX" --mode trust "$PRJ/.sandboxec.yaml" </dev/null
expect_contains "after n, the next review still compares with the version trusted" "$OUT" \
	$'\n+  - rwx:/'
