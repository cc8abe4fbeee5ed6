#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Process trees under the shim (docs/design.md §4.2): one layer per policy per tree.
# The shim takes itself out of LD_PRELOAD after applying, so descendants
# are confined by inheritance; a descendant that re-adds it with the same
# settings is recognised by SANDBOXEC_ACTIVE and adds nothing, one with
# different settings adds its own layer (both hold), and with
# restrict-scoped a child can still signal its parent.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

MARK=$SBX_HELPERS/first_marker
W=$SBX_TMP/work
OUTSIDE=$SBX_TMP/outside
mkdir -p "$OUTSIDE"
GOOD="rx:/usr,rx:$SBX_HELPERS,rw:$W"
# Passed down the chains as plain variables, not spliced into the command
# text, so the command stays the same size at every depth.
export T_SHIM=$SBX_SHIM T_MARK=$MARK

# --- 40 nested sh -c: each level starts the next with the same script.
NEST='if [ "$1" -gt 0 ]; then sh -c "$0" "$0" $(($1 - 1)) "$2"; echo "level $1"; else "$T_MARK" "$2"; echo "innermost $?"; fi'
run_capture shim SANDBOXEC_FS="$GOOD" sh -c "$NEST" "$NEST" 40 "$W/deep"
expect_eq "40 nested sh -c under the shim: every level ran" "$STATUS" 0
expect_eq "40 nested sh -c: 41 lines, innermost wrote" \
	"$(printf '%s\n' "$OUT" | head -1) $(printf '%s\n' "$OUT" | grep -c .)" "innermost 0 41"
run_capture shim SANDBOXEC_FS="$GOOD" sh -c "$NEST" "$NEST" 40 "$OUTSIDE/deep"
expect_eq "40 nested sh -c: the innermost is still confined" "$(printf '%s\n' "$OUT" | head -1)" "innermost 3"
expect_absent "40 nested sh -c: nothing written outside" "$OUTSIDE/deep"
# The shim took itself out of LD_PRELOAD: descendants do not load it.
run_capture shim SANDBOXEC_FS="$GOOD,r:/proc" LD_PRELOAD="$SBX_SHIM" sh -c 'echo "[${LD_PRELOAD-unset}]"; grep -c libsandboxec /proc/self/maps'
expect_eq "after applying, LD_PRELOAD no longer names the shim" "$(printf '%s\n' "$OUT" | head -1)" "[unset]"
expect_eq "a descendant does not map the shim" "$(printf '%s\n' "$OUT" | tail -1)" 0
run_capture shim SANDBOXEC_FS="$GOOD,r:/proc" LD_PRELOAD="/usr/lib/x86_64-linux-gnu/libc.so.6 $SBX_SHIM" sh -c 'echo "[$LD_PRELOAD]"'
expect_eq "other LD_PRELOAD entries are kept" "$OUT" "[/usr/lib/x86_64-linux-gnu/libc.so.6]"

# --- the same settings re-preloaded 20 deep: beyond the kernel's 16
# layers, so it works only if the marker keeps it at one.
REPRELOAD='if [ "$1" -gt 0 ]; then LD_PRELOAD=$T_SHIM sh -c "$0" "$0" $(($1 - 1)) "$2"; else "$T_MARK" "$2"; fi'
rm -f "$W/chain"
expect_status "same policy re-preloaded 20 deep: one layer, runs" 0 \
	shim SANDBOXEC_FS="$GOOD" sh -c "$REPRELOAD" "$REPRELOAD" 20 "$W/chain"
expect_exists "same policy re-preloaded 20 deep: innermost wrote" "$W/chain"
# The control: a different policy at every level adds a layer each, and
# the kernel refuses the 17th — so the run above did not pass vacuously.
GROW='if [ "$1" -gt 0 ]; then SANDBOXEC_FS="$SANDBOXEC_FS,r:/usr" LD_PRELOAD=$T_SHIM sh -c "$0" "$0" $(($1 - 1)) "$2"; else "$T_MARK" "$2"; fi'
rm -f "$W/grow"
expect_refused_before_main "control: a new policy per level is refused at the 17th layer" \
	shim SANDBOXEC_FS="$GOOD" sh -c "$GROW" "$GROW" 20 "$W/grow"
expect_absent "control: the 17th layer's program never ran" "$W/grow"

# --- a descendant with a stricter policy gets its own layer
expect_status "descendant: same write allowed under the outer policy alone" 0 \
	shim SANDBOXEC_FS="$GOOD" sh -c '"$T_MARK" "$1"' sh "$W/stricter-control"
expect_status "descendant with a stricter policy is denied what it dropped" 3 \
	shim SANDBOXEC_FS="$GOOD" sh -c 'LD_PRELOAD=$T_SHIM SANDBOXEC_FS="rx:/usr,rx:${T_MARK%/*}" "$T_MARK" "$1"' sh "$W/stricter"
expect_absent "stricter descendant wrote nothing" "$W/stricter"
run_capture "$MARK" "$OUTSIDE/widen-control"
expect_eq "bare: writing outside works (control for widening)" "$STATUS" 0
expect_status "descendant cannot widen: the outer policy still holds" 3 \
	shim SANDBOXEC_FS="$GOOD" sh -c 'LD_PRELOAD=$T_SHIM SANDBOXEC_FS="rx:/usr,rx:${T_MARK%/*},rw:$2" "$T_MARK" "$1"' sh "$OUTSIDE/widen" "$OUTSIDE"
expect_absent "widening descendant wrote nothing" "$OUTSIDE/widen"
# Forging the marker inside the sandbox only skips a layer: the inherited
# domain still holds.
expect_status "descendant forging SANDBOXEC_ACTIVE stays confined" 3 \
	shim SANDBOXEC_FS="$GOOD" sh -c 'SANDBOXEC_ACTIVE=forged LD_PRELOAD=$T_SHIM "$T_MARK" "$1"' sh "$OUTSIDE/forged"
expect_absent "forged marker wrote nothing" "$OUTSIDE/forged"

# --- restrict-scoped: one layer per tree, so a child still signals its parent
# An outsider, with its output away from the runner's pipe (a background
# job holding it would keep the runner waiting) and stopped at exit.
sleep 60 </dev/null >/dev/null 2>&1 &
OUTSIDER=$!
kill_at_exit "$OUTSIDER"
if need_abi 6 "scoping" "restrict-scoped: signals within the tree and to an outsider"; then
	expect_status "restrict-scoped: child can signal its parent" 0 \
		shim SANDBOXEC_FS="$GOOD" SANDBOXEC_RESTRICT_SCOPED=1 sh -c 'sh -c "kill -0 \$PPID"'
	expect_status "restrict-scoped: child re-preloading the same settings can signal its parent" 0 \
		shim SANDBOXEC_FS="$GOOD" SANDBOXEC_RESTRICT_SCOPED=1 sh -c 'LD_PRELOAD=$T_SHIM sh -c "kill -0 \$PPID"'
	expect_status "restrict-scoped: an outside process cannot be signalled" 1 \
		shim SANDBOXEC_FS="$GOOD" SANDBOXEC_RESTRICT_SCOPED=1 sh -c 'kill -0 "$1"' sh "$OUTSIDER"
fi
expect_status "bare: signal an outside process" 0 kill -0 "$OUTSIDER"
expect_status "without restrict-scoped: the outside process can be signalled" 0 \
	shim SANDBOXEC_FS="$GOOD" sh -c 'kill -0 "$1"' sh "$OUTSIDER"

# --- the marker outside a sandbox. The shim sets no_new_privs before any
# layer; a matching marker in a process without it is forged or stale and
# is ignored.
FP=$(shim SANDBOXEC_FS="$GOOD" /usr/bin/env | grep '^SANDBOXEC_ACTIVE=')
expect_contains "the marker of these settings is known (fixture)" "$FP" "SANDBOXEC_ACTIVE="
expect_status "a forged marker in an unsandboxed process is ignored: still denied" 3 \
	shim SANDBOXEC_FS="$GOOD" "$FP" "$MARK" "$OUTSIDE/forged-outside"
expect_absent "forged marker outside: nothing written" "$OUTSIDE/forged-outside"
# With no_new_privs set by someone else, the marker would be believed; the
# sh settings unset any marker the sourcing shell carries, so sourcing
# them still sandboxes what follows.
"$SBX" --mode env --format sh --fs rx:/usr --fs "rx:$SBX_HELPERS" --fs "rw:$W" >"$SBX_TMP/settings.sh"
STALE=$(bash --norc -c '. "$1"; /usr/bin/env' bash "$SBX_TMP/settings.sh" | grep '^SANDBOXEC_ACTIVE=')
expect_status "stale marker + no_new_privs: sourced sh settings still sandbox" 3 \
	env "$STALE" setpriv --no-new-privs bash --norc -c '. "$1"; "$2" "$3"' bash \
	"$SBX_TMP/settings.sh" "$MARK" "$OUTSIDE/stale"
expect_absent "stale marker: nothing written outside" "$OUTSIDE/stale"

# --- recursive make under included settings: make keeps the marker, so
# 20 levels (beyond 16 layers) still run, and the innermost is confined.
"$SBX" --mode env --format make --fs rx:/usr --fs "rx:$SBX_HELPERS" --fs "rw:$W" >"$W/settings.mk"
cat >"$W/Makefile.rec" <<EOF2
include $W/settings.mk
N ?= 20
all:
	@if [ \$(N) -gt 0 ]; then \$(MAKE) -s --no-print-directory -f $W/Makefile.rec N=\$\$((\$(N) - 1)); else $MARK \$(TARGET); fi
EOF2
expect_status "recursive make 20 levels under included settings runs" 0 \
	make -s --no-print-directory -f "$W/Makefile.rec" TARGET="$W/make-deep"
expect_exists "recursive make: the innermost recipe ran" "$W/make-deep"
expect_status "recursive make: the innermost recipe is confined" 2 \
	make -s --no-print-directory -f "$W/Makefile.rec" TARGET="$OUTSIDE/make-deep"
expect_absent "recursive make: nothing written outside" "$OUTSIDE/make-deep"
