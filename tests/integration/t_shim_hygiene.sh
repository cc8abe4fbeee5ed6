#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Hygiene of the shim (docs/design.md §4.3): it exports only sandboxec_* symbols and
# leaves errno, file descriptors, signal dispositions and the blocked mask,
# stdio and the umask as it found them, and the environment too but for
# SANDBOXEC_ACTIVE and its own LD_PRELOAD entry. Also: explain says a
# static binary cannot be reached by LD_PRELOAD (while anything a sandboxed
# process starts, static or not, is confined).
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

STATE=$SBX_HELPERS/start_state
POLICY="rx:/usr,rx:$SBX_HELPERS"

# --- exported symbols
# la_version: the rtld-audit entry point (shim/audit_entry.c), the one
# documented exception (docs/audit-and-seccomp.md).
exports=$(nm -D --defined-only "$SBX_SHIM" | awk '{ print $3 }' | grep -v '^sandboxec_' | grep -vx la_version)
expect_eq "shim exports only sandboxec_ symbols and la_version" "$exports" ""
undefined_heavy=$(nm -D --undefined-only "$SBX_SHIM" | grep -E 'yaml_|elf_|SHA256' || true)
expect_eq "shim links no libyaml, libelf or libmd symbol" "$undefined_heavy" ""
needed=$(objdump -p "$SBX_SHIM" | awk '/NEEDED/ { print $2 }' | tr '\n' ' ')
expect_not_contains "shim does not link libyaml at load time" "$needed" yaml
expect_not_contains "shim does not link libelf at load time" "$needed" libelf

# --- process state at main, bare vs under the shim, with unusual inputs:
# an extra open fd, an ignored and a blocked signal, a strange umask.
state() {
	(
		umask 027
		trap '' USR1
		exec 7</dev/null
		"$@"
	)
}
bare=$(state "$STATE")
under=$(state shim SANDBOXEC_FS="$POLICY" "$STATE")
expect_contains "start_state sees the inherited fd 7 (control)" "$bare" "fd 7"
expect_contains "start_state sees the ignored SIGUSR1 (control)" "$bare" "signal 10 ignored"
expect_eq "errno, fds, signals, stdio and umask unchanged by the shim" "$under" "$bare"
# With errno deliberately non-zero where the loader leaves it: ENOENT from a
# preload entry that does not exist is a typical leftover.
bare=$(env LD_PRELOAD=/nonexistent/lib.so "$STATE" 2>/dev/null | head -1)
under=$(env LD_PRELOAD="/nonexistent/lib.so:$SBX_SHIM" SANDBOXEC_FS="$POLICY" "$STATE" 2>/dev/null | head -1)
expect_eq "errno as the loader left it, shim or not" "$under" "$bare"
# Verbose mode prints with write(2), not stdio: stdio stays unbuffered-yet.
under=$(shim SANDBOXEC_FS="$POLICY" SANDBOXEC_VERBOSE=1 "$STATE" 2>/dev/null)
expect_contains "verbose mode leaves stdio untouched" "$under" "stdio buffers before first use: in 0 out 0 err 0"

# --- environment: only the marker is added, only the shim's entry removed
bare=$(env -i PATH=/usr/bin SANDBOXEC_FS=rx:/usr /usr/bin/env | sort)
under=$(env -i PATH=/usr/bin SANDBOXEC_FS=rx:/usr LD_PRELOAD="$SBX_SHIM" /usr/bin/env | sort)
expect_eq "environment unchanged but SANDBOXEC_ACTIVE" \
	"$(grep -v '^SANDBOXEC_ACTIVE=' <<<"$under")" "$bare"
expect_contains "SANDBOXEC_ACTIVE is set" "$under" "SANDBOXEC_ACTIVE="
run_capture env -i PATH=/usr/bin SANDBOXEC_FS=rx:/usr /usr/bin/env
expect_not_contains "bare env has no marker (control)" "$OUT" SANDBOXEC_ACTIVE

# --- static binaries: out of LD_PRELOAD's reach at top level, confined
# when a sandboxed process starts them.
STATIC=/usr/sbin/ldconfig
if [ -x "$STATIC" ] && ! readelf -l "$STATIC" 2>/dev/null | grep -q INTERP; then
	run_capture "$SBX" --mode explain --fs rx:/usr "$STATIC"
	expect_eq "explain on a static ELF succeeds" "$STATUS" 0
	expect_contains "explain says LD_PRELOAD cannot reach a static binary" "$OUT" "static ELF"
	run_capture "$SBX" --mode explain --fs rx:/usr /usr/bin/true
	expect_not_contains "explain on a dynamic ELF does not say static" "$OUT" "static ELF"
	# ldconfig -p reads /etc/ld.so.cache: allowed bare, denied when a
	# sandboxed shell (rx:/usr only) starts it.
	expect_status "bare: static ldconfig -p reads the cache" 0 "$STATIC" -p
	expect_status "static binary started by a sandboxed shell is confined" 1 \
		shim SANDBOXEC_FS=rx:/usr sh -c "$STATIC -p; exit \$?"
	expect_contains "the static binary says it could not read the cache" "$ERR" "ld.so.cache"
else
	skip "static binary cases" "$STATIC is not a static ELF here"
fi
