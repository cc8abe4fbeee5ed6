#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --restrict-scoped (docs/design.md §2.3, ABI >= 6): signals and abstract unix sockets
# are scoped to the sandbox. Reaching outside must fail with EPERM; inside
# the sandbox both keep working; without the flag nothing changes. Below
# ABI 6 the flag is refused, or dropped under best-effort, and then both
# stay reachable.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"
has_abi 6 || abi_refusal "scoping" 6 --restrict-scoped
# What --restrict-scoped gives here: scoping, or below ABI 6 (under
# best-effort) nothing.
SC=(--restrict-scoped)
has_abi 6 || SC=(--best-effort --restrict-scoped)
SCOPED=$(abi_pick 6 "denied EPERM" ok)
WHAT=$(abi_pick 6 denied "reachable, scoping dropped below ABI 6,")

FX=$SBX_TMP/fx
reset_fx() { mkdir -p "$FX"; }
reset_fx

# --- signals -------------------------------------------------------------------
# An unsandboxed process to aim at; SIGCONT does it no harm.
sleep 600 &
victim=$!
kill_at_exit "$victim"

compare "signal: outside process reachable without --restrict-scoped" ok reset_fx -- kill "$victim" CONT
compare "signal: outside process $WHAT with --restrict-scoped" "$SCOPED" reset_fx "${SC[@]}" -- kill "$victim" CONT
compare "signal: parent (outside) $WHAT with --restrict-scoped" "$SCOPED" reset_fx "${SC[@]}" -- signal-parent
compare "signal: parent reachable without --restrict-scoped" ok reset_fx -- signal-parent
compare "signal: own child (inside) allowed with --restrict-scoped" ok reset_fx "${SC[@]}" -- signal-child
if kill -0 "$victim" 2>/dev/null; then
	pass "signal: outside process still alive afterwards"
else
	fail "signal: outside process still alive afterwards" "it is gone"
fi

# --- abstract unix sockets --------------------------------------------------------
name=sbxtest-$$-$RANDOM
if sbx_bg "$SBX_TMP/abs.out" "$PROBE" abstract-listen "$name" "$SERVE_SECONDS"; then
	compare "abstract socket: outside listener reachable without --restrict-scoped" ok reset_fx -- abstract-connect "$name"
	compare "abstract socket: outside listener $WHAT with --restrict-scoped" "$SCOPED" reset_fx "${SC[@]}" -- abstract-connect "$name"
else
	fail "abstract socket: outside listener" "did not start: $(cat "$SBX_TMP/abs.out")"
fi
# listen() needs a bind right (docs/design.md §2.2), unix sockets too.
compare "abstract socket: listener inside the sandbox allowed with --restrict-scoped" ok reset_fx "${SC[@]}" --net b:0 -- abstract-self "$name-in"

# The scope is the domain, not the process: a child of the sandboxed
# process (same layer) may signal its sibling. sh is from /usr (BASE).
expect_status "signal: sibling inside the same sandbox allowed" 0 \
	"$SBX" "${BASE[@]}" --fs rw:/dev/null "${SC[@]}" -- /bin/sh -c "sleep 10 >/dev/null 2>&1 & \"$PROBE\" kill \$! TERM"
expect_eq "signal: sibling inside reports ok" "$OUT" "ok"

# The YAML and environment spellings reach the same setting.
run_capture env SANDBOXEC_RESTRICT_SCOPED=1 SANDBOXEC_BEST_EFFORT="$(abi_pick 6 0 1)" \
	"$SBX" "${BASE[@]}" -- "$PROBE" kill "$victim" CONT
expect_eq "signal: SANDBOXEC_RESTRICT_SCOPED=1 is the same setting" "$OUT" "$SCOPED"
