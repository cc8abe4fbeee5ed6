#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --report's backend 2 (docs/diagnostics.md): the kernel's own Landlock
# audit records. Real commands, shown first to need the access; the report
# names the backend, the exact right and the rule, the same format as the
# tracer's; the system's audit switch is left as it was found; without
# CAP_AUDIT_READ the tracer runs instead and says why.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
# The policies below grant the system's programs (rx:/usr); a version
# manager's shim ahead of them in $PATH would be denied, and sandboxec
# stops there rather than run a later python3 (docs/design.md §5).
export PATH=/usr/local/bin:/usr/bin:/bin
require_abi 7 "denial logging" --log-denials
AUDIT=$SBX_HELPERS/audit_state
before=$("$AUDIT") || {
	skip "$(basename "$0")" "audit netlink is not usable here (no CONFIG_AUDIT or not root)"
	exit 0
}
at_exit "$AUDIT $before"
run_capture "$SBX" --report=audit --fs rx:/usr -- true
if [ "$STATUS" -ne 0 ] && [[ $ERR == *"audit record"* ]]; then
	skip "$(basename "$0")" "no Landlock audit records on this kernel: ${ERR:0:200}"
	exit 0
fi
expect_eq "audit: the switch is as it was found after a run" "$("$AUDIT")" "$before"
# The default uses the records only where audit is already on (nothing
# about the system changes); the cases below switch it on themselves.
"$AUDIT" 1

suggested() { sed -n 's/^      allow with: --[a-z]* \(.*\)$/\1/p' <<<"$ERR" | head -1 | tr -d "'"; }

# --- Python importing a module outside the policy -------------------------------
D=$SBX_TMP/py
mkdir -p "$D/lib" "$D/proj"
echo 'X = 42' >"$D/lib/extmod.py"
printf 'import sys\nsys.path.insert(0, "%s/lib")\nimport extmod\nprint("ok", extmod.X)\n' \
	"$D" >"$D/proj/s.py"
expect_status "python: the import works unsandboxed" 0 python3 "$D/proj/s.py"
expect_status "python: under the policy the import fails (python's status)" 1 \
	"$SBX" --report --fs rx:/usr --fs "r:$D/proj" -- python3 "$D/proj/s.py"
expect_contains "python: the report uses the kernel's records by default" "$ERR" \
	"backend: kernel audit records"
expect_contains "python: the report names the directory listed" "$ERR" "list $D/lib"
expect_contains "python: the report suggests the flag" "$ERR" "allow with: --fs r:$D/lib"
expect_contains "python: the child's own marker denial is not counted" "$ERR" \
	"the sandbox denied 1 access, 1 time:"
expect_not_contains "python: nothing was lost" "$ERR" "incomplete"
rule=$(suggested)
expect_status "python: with the suggested rule the import works" 0 \
	"$SBX" --report --fs rx:/usr --fs "r:$D/proj" --fs "$rule" -- python3 "$D/proj/s.py"
expect_contains "python: and the report then says nothing was denied" "$ERR" \
	"the sandbox denied nothing"

# --- both backends print the same report ----------------------------------------
"$SBX" --report=tracer --fs rx:/usr --fs "r:$D/proj" -- python3 "$D/proj/s.py" 2>"$SBX_TMP/t.err"
"$SBX" --report=audit --fs rx:/usr --fs "r:$D/proj" -- python3 "$D/proj/s.py" 2>"$SBX_TMP/a.err"
norm() { grep -v '^sandboxec: report' "$1" | grep -v 'execute .*/python3$' | sed 's/(pid [0-9]*)//'; }
expect_eq "same: tracer and audit list the same denials and rules" \
	"$(norm "$SBX_TMP/a.err")" "$(norm "$SBX_TMP/t.err")"
expect_contains "same: --report=tracer forces the tracer" "$(cat "$SBX_TMP/t.err")" \
	"backend: tracer (ptrace + seccomp)):"

# --- the exact right: a write, a create in a directory, a connect ----------------
W=$SBX_TMP/w
mkdir -p "$W/out"
echo old >"$W/file"
expect_status "write: works unsandboxed" 0 sh -c "echo new >'$W/file'"
run_capture "$SBX" --report --fs rx:/usr --fs "r:$W" -- sh -c "echo x >'$W/file'"
expect_contains "write: the kernel names write (and the truncate the shell asked for)" "$ERR" \
	"write $W/file"
expect_contains "write: the rule covers both" "$ERR" "allow with: --fs w:$W/file"
run_capture "$SBX" --report --fs rx:/usr --fs "r:$W" -- sh -c "echo x >'$W/out/new'"
expect_contains "create: the directory it goes in" "$ERR" "create in $W/out"
expect_absent "create: nothing was created" "$W/out/new"
if sbx_bg "$SBX_TMP/srv.out" "$PROBE" serve 0 "$SERVE_SECONDS"; then
	port=$(awk '/^ready/ {print $2}' "$SBX_TMP/srv.out")
	expect_status "connect: works unsandboxed" 0 "$PROBE" connect "$port"
	run_capture "$SBX" --report "${BASE[@]}" -- "$PROBE" connect "$port"
	expect_contains "connect: the report names the port" "$ERR" "TCP connect to port $port"
	expect_contains "connect: and the rule" "$ERR" "allow with: --net c:$port"
else
	fail "connect: local server" "did not start"
fi

# --- the audit switch: put back whatever it was -----------------------------------
"$AUDIT" 1
"$SBX" --report --fs rx:/usr -- cat /etc/hostname >/dev/null 2>"$SBX_TMP/s.err"
expect_contains "switch on: the default report came from the records" "$(cat "$SBX_TMP/s.err")" \
	"backend: kernel audit records"
expect_eq "switch on: left on" "$("$AUDIT")" 1
"$AUDIT" 0
"$SBX" --report --fs rx:/usr -- cat /etc/hostname >/dev/null 2>"$SBX_TMP/s.err"
expect_contains "switch off: the default does not turn audit on, the tracer runs" \
	"$(cat "$SBX_TMP/s.err")" "no audit records: audit is off"
expect_contains "switch off: ... and the report is there" "$(cat "$SBX_TMP/s.err")" "read /etc/hostname"
expect_eq "switch off: left off" "$("$AUDIT")" 0
"$SBX" --report=audit --fs rx:/usr -- cat /etc/hostname >/dev/null 2>"$SBX_TMP/s.err"
expect_contains "switch off, --report=audit: the records, audit on for the run" \
	"$(cat "$SBX_TMP/s.err")" "backend: kernel audit records"
expect_eq "switch off, --report=audit: turned off again" "$("$AUDIT")" 0
"$AUDIT" 1
"$AUDIT" "$before"

# --- the exit status is the command's --------------------------------------------
expect_status "status: an exit code passes through" 7 "$SBX" --report --fs rx:/usr -- sh -c 'exit 7'
expect_status "status: a signal passes through" 143 \
	"$SBX" --report --fs rx:/usr -- sh -c 'kill -TERM $$'
expect_eq "status: the switch is still as found" "$("$AUDIT")" "$before"

# --- without CAP_AUDIT_READ: the tracer, and why ---------------------------------
cd / || exit 1
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)
run_capture "${NOBODY[@]}" "$SBX" --report --fs rx:/usr -- cat /etc/hostname
expect_contains "unprivileged: the tracer runs" "$ERR" "backend: tracer (ptrace + seccomp; no audit records"
expect_contains "unprivileged: ... and still names the file" "$ERR" "read /etc/hostname"
run_capture "${NOBODY[@]}" "$SBX" --report=audit --fs rx:/usr -- sh -c 'echo ran'
expect_sbx_error "unprivileged: --report=audit refuses"
expect_not_contains "unprivileged: ... and runs nothing" "$OUT" "ran"
run_capture "$SBX" --report=sometimes --fs rx:/usr -- true
expect_sbx_error "flag: a bad --report value is refused"
cd "$SBX_TMP/work" || exit 1
expect_eq "end: the switch is as found" "$("$AUDIT")" "$before"
