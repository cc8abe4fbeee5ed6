#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Best-effort without Landlock under the settings of `sandboxec --mode env`
# (LD_AUDIT + LD_PRELOAD): the audit copy prints the warning, and the
# preload copy, which resolves again because no marker is set, does not
# print it a second time (shim/audit_entry.c, shim/shim_apply.c,
# docs/audit-and-seccomp.md).
# tests/helpers/deny_landlock stands in for a kernel without Landlock.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup

DENY=$SBX_HELPERS/deny_landlock
# The stand-in answers ENOSYS, so the shim says what the CLI says: why.
NO_LANDLOCK="this kernel has no Landlock (it needs Linux 5.13 or later built with CONFIG_SECURITY_LANDLOCK)"
WARNING="$NO_LANDLOCK; best-effort: running WITHOUT a sandbox"
SHOW_ENV='env | grep -E "^(SANDBOXEC_ACTIVE|LD_AUDIT|LD_PRELOAD)=" || true'

warnings() { grep -c "$WARNING" <<<"$1"; }

# The stand-in works: without best-effort the shim refuses to run.
expect_status "without Landlock and without best-effort, the shim refuses" 1 \
	"$DENY" env LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS=rx:/usr /bin/true
expect_contains "the refusal says why Landlock is missing" "$ERR" "$NO_LANDLOCK"

# Each copy alone warns once.
expect_status "LD_PRELOAD alone, best-effort: runs" 0 \
	"$DENY" env LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS=rx:/usr SANDBOXEC_BEST_EFFORT=1 /bin/true
expect_eq "LD_PRELOAD alone warns once" "$(warnings "$ERR")" 1
expect_status "LD_AUDIT alone, best-effort: runs" 0 \
	"$DENY" env LD_AUDIT="$SBX_SHIM" SANDBOXEC_FS=rx:/usr SANDBOXEC_BEST_EFFORT=1 /bin/true
expect_eq "LD_AUDIT alone warns once" "$(warnings "$ERR")" 1

# Both copies, as --mode env sets them: still once, and the program sees
# neither the note nor the shim in its load lists.
expect_status "LD_AUDIT + LD_PRELOAD, best-effort: runs" 0 \
	"$DENY" env LD_AUDIT="$SBX_SHIM" LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS=rx:/usr \
	SANDBOXEC_BEST_EFFORT=1 sh -c "$SHOW_ENV"
expect_eq "LD_AUDIT + LD_PRELOAD warns once" "$(warnings "$ERR")" 1
expect_eq "the program's environment has no note and no shim" "$OUT" ""

# Another preloaded library stays, and the warning is still printed once.
other=$(ldconfig -p | awk '/libm\.so\.6 .*x86-64/ { print $NF; exit }')
if [ -n "$other" ]; then
	expect_status "LD_AUDIT + LD_PRELOAD with another library, best-effort: runs" 0 \
		"$DENY" env LD_AUDIT="$SBX_SHIM" LD_PRELOAD="$other:$SBX_SHIM" \
		SANDBOXEC_FS=rx:/usr SANDBOXEC_BEST_EFFORT=1 sh -c "$SHOW_ENV"
	expect_eq "with another library, the warning comes once" "$(warnings "$ERR")" 1
	expect_eq "only the other library is left in LD_PRELOAD" "$OUT" "LD_PRELOAD=$other"
fi

# The note is the audit copy's word for this process only: inherited by a
# process that preloads the shim alone, a note with other settings does not
# silence that process's warning.
expect_status "a stale note with other settings, best-effort: runs" 0 \
	"$DENY" env LD_PRELOAD="$SBX_SHIM" SANDBOXEC_ACTIVE=warned-unsandboxed:0123 \
	SANDBOXEC_FS=rx:/usr SANDBOXEC_BEST_EFFORT=1 sh -c "$SHOW_ENV"
expect_eq "a stale note does not silence the warning" "$(warnings "$ERR")" 1
expect_eq "the stale note is removed" "$OUT" ""

# With Landlock, both copies together still apply the policy: a path the
# policy leaves out is refused.
if need_abi 1 "Landlock" "LD_AUDIT + LD_PRELOAD with Landlock"; then
	expect_status "unsandboxed, /etc/hostname is readable" 0 cat /etc/hostname
	expect_status "LD_AUDIT + LD_PRELOAD with Landlock: /etc denied" 1 \
		env LD_AUDIT="$SBX_SHIM" LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS=rx:/usr cat /etc/hostname
fi
