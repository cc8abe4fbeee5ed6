#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --report's tracer lets an open go without stopping at its exit when, at
# its entry, the policy grants what it asks and the file's permissions let
# the tracer (same credentials) do it (docs/diagnostics.md "Cost"). A
# refusal the tracer could not foresee must still be listed: ordinary
# permissions, the command dropping its privileges, a layer the command
# adds itself, a chroot. Each refusal is first shown to happen, and the
# same command with the access unrefused to work.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
# --report lists what Landlock refused; without it run refuses.
require_abi 1 "Landlock"
export PATH=/usr/local/bin:/usr/bin:/bin

U=$(mktemp -d /tmp/sbx-report-settle.XXXXXX)
at_exit "rm -rf $U"
chmod 755 "$U"
echo secret >"$U/locked" && chmod 000 "$U/locked"
echo open >"$U/out" && chmod 644 "$U/out"

# --- a granted file the file's permissions refuse ------------------------------
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if [ "$(id -u)" = 0 ]; then
	expect_status "dac: nobody cannot read a mode-000 file, unsandboxed" 1 \
		"${NOBODY[@]}" cat "$U/locked"
	expect_status "dac: nobody can read the other one, unsandboxed" 0 \
		"${NOBODY[@]}" cat "$U/out"
	# sandboxec runs as nobody (from a directory nobody may look into):
	# the tracer's permission check refuses too, so the open is stopped
	# at its exit and listed.
	cd "$U" || exit 1
	run_capture "${NOBODY[@]}" "$SBX" --report=tracer --fs rx:/usr --fs "r:$U" -- cat "$U/locked"
	cd "$SBX_TMP/work" || exit 1
	expect_contains "dac: sandboxec as nobody: listed, not the sandbox" "$ERR" "not the sandbox"
	expect_contains "dac: ... and named" "$ERR" "read $U/locked"
	# sandboxec runs as root, the command drops to nobody: the tracer's
	# own check would let it through, so the drop (setresuid) ends the
	# settling.
	run_capture "$SBX" --report=tracer --fs rx:/usr --fs "r:$U" -- "${NOBODY[@]}" cat "$U/locked"
	expect_eq "dac: the command dropping privileges: cat fails" "$STATUS" 1
	expect_contains "dac: ... listed, not the sandbox" "$ERR" "not the sandbox"
	expect_contains "dac: ... and named" "$ERR" "read $U/locked"
	run_capture "$SBX" --report=tracer --fs rx:/usr --fs "r:$U" -- "${NOBODY[@]}" cat "$U/out"
	expect_eq "dac: ... the readable file is read" "$STATUS" 0
	expect_not_contains "dac: ... and not listed" "$ERR" "$U/out"
	# The same by the set*id calls alone (setpriv also drops capabilities).
	cat >"$U/drop.py" <<'PY'
import os, sys
os.setgroups([]); os.setgid(65534); os.setuid(65534)
print(open(sys.argv[1]).read().strip())
PY
	expect_status "dac: python dropping to nobody reads the other file, unsandboxed" 0 \
		python3 "$U/drop.py" "$U/out"
	run_capture "$SBX" --report=tracer --fs rx:/usr --fs "r:$U" -- python3 "$U/drop.py" "$U/locked"
	expect_eq "dac: python dropping to nobody: the open fails" "$STATUS" 1
	expect_contains "dac: ... listed, not the sandbox" "$ERR" "not the sandbox"
	expect_contains "dac: ... and named" "$ERR" "read $U/locked"
else
	skip "dac: privileges dropped by the command" "needs root to drop them"
fi

# --- an exec of no such file is not stopped at its exit ----------------------------
# A $PATH search: the denied candidate is still a probe, the missing one
# (settled at its entry: ENOENT) is not listed at all.
mkdir -p "$U/bin1"
printf '#!/bin/sh\necho fake\n' >"$U/bin1/id" && chmod 755 "$U/bin1/id"
expect_status "path: the first candidate runs unsandboxed" 0 \
	sh -c "PATH=$U/bin1:$U/none:/usr/bin; id -u"
expect_eq "path: ... it is the fake one" "$OUT" "fake"
run_capture "$SBX" --report=tracer --fs rx:/usr -- sh -c "PATH=$U/bin1:$U/none:/usr/bin; id -u"
expect_eq "path: sandboxed the search goes on to /usr/bin/id" "$STATUS" 0
expect_contains "path: the denied candidate is a probe" "$ERR" "execute $U/bin1/id"
expect_not_contains "path: the missing one is not listed" "$ERR" "$U/none"

# --- a layer of the command's own ------------------------------------------------
# An inner sandboxec refuses what the outer policy grants: the outer
# report cannot know the inner policy, but it lists the refusal.
expect_status "layer: cat reads the file under the outer policy alone" 0 \
	"$SBX" --fs rx:/usr --fs "rx:$SBX_BUILD" --fs "r:$U" -- cat "$U/out"
run_capture "$SBX" --report=tracer --fs rx:/usr --fs "rx:$SBX_BUILD" --fs "r:$U" -- \
	"$SBX" --fs rx:/usr -- cat "$U/out"
expect_eq "layer: the inner layer refuses it" "$STATUS" 1
expect_contains "layer: the refusal is listed" "$ERR" "read $U/out"

# --- a chroot: paths name other files ----------------------------------------------
# /usr/lib/os-release inside the new root is not under rx:/usr.
if [ "$(id -u)" = 0 ] && [ -e /usr/lib/os-release ]; then
	mkdir -p "$U/root/usr/lib"
	echo 'ID=inner' >"$U/root/usr/lib/os-release"
	cat >"$U/chroot.py" <<'PY'
import os, sys
os.chroot(sys.argv[1])
print(open("/usr/lib/os-release").read().strip())
PY
	expect_status "chroot: the inner file is read unsandboxed" 0 python3 "$U/chroot.py" "$U/root"
	expect_contains "chroot: ... the inner one" "$OUT" "ID=inner"
	run_capture "$SBX" --report=tracer --fs rx:/usr --fs "r:$U/chroot.py" -- \
		python3 "$U/chroot.py" "$U/root"
	expect_eq "chroot: sandboxed the open is refused" "$STATUS" 1
	expect_contains "chroot: the refusal is listed" "$ERR" "read /usr/lib/os-release"
	run_capture "$SBX" --report=tracer --fs rx:/usr --fs "r:$U/chroot.py" --fs "r:$U/root" -- \
		python3 "$U/chroot.py" "$U/root"
	expect_eq "chroot: with the new root granted it is read" "$STATUS" 0
else
	skip "chroot" "needs root and /usr/lib/os-release"
fi
