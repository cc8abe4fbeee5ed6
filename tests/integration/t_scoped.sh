#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --restrict-scoped (docs/design.md §2.3, ABI >= 6): signals and abstract unix sockets
# are scoped to the sandbox. Reaching outside must fail with EPERM; inside
# the sandbox both keep working; without the flag nothing changes.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 6

FX=$SBX_TMP/fx
reset_fx() { mkdir -p "$FX"; }
reset_fx

# --- signals -------------------------------------------------------------------
# An unsandboxed process to aim at; SIGCONT does it no harm.
sleep 30 &
victim=$!
kill_at_exit "$victim"

compare "signal: outside process reachable without --restrict-scoped" ok reset_fx -- kill "$victim" CONT
compare "signal: outside process denied with --restrict-scoped" "denied EPERM" reset_fx --restrict-scoped -- kill "$victim" CONT
compare "signal: parent (outside) denied with --restrict-scoped" "denied EPERM" reset_fx --restrict-scoped -- signal-parent
compare "signal: parent reachable without --restrict-scoped" ok reset_fx -- signal-parent
compare "signal: own child (inside) allowed with --restrict-scoped" ok reset_fx --restrict-scoped -- signal-child
if kill -0 "$victim" 2>/dev/null; then
	pass "signal: outside process still alive afterwards"
else
	fail "signal: outside process still alive afterwards" "it is gone"
fi

# --- abstract unix sockets --------------------------------------------------------
name=sbxtest-$$-$RANDOM
if sbx_bg "$SBX_TMP/abs.out" "$PROBE" abstract-listen "$name" 30; then
	compare "abstract socket: outside listener reachable without --restrict-scoped" ok reset_fx -- abstract-connect "$name"
	compare "abstract socket: outside listener denied with --restrict-scoped" "denied EPERM" reset_fx --restrict-scoped -- abstract-connect "$name"
else
	fail "abstract socket: outside listener" "did not start: $(cat "$SBX_TMP/abs.out")"
fi
# listen() needs a bind right (docs/design.md §2.2), unix sockets too.
compare "abstract socket: listener inside the sandbox allowed with --restrict-scoped" ok reset_fx --restrict-scoped --net b:0 -- abstract-self "$name-in"

# The scope is the domain, not the process: a child of the sandboxed
# process (same layer) may signal its sibling. sh is from /usr (BASE).
expect_status "signal: sibling inside the same sandbox allowed" 0 \
	"$SBX" "${BASE[@]}" --fs rw:/dev/null --restrict-scoped -- /bin/sh -c "sleep 10 >/dev/null 2>&1 & \"$PROBE\" kill \$! TERM"
expect_eq "signal: sibling inside reports ok" "$OUT" "ok"

# The YAML and environment spellings reach the same setting.
run_capture env SANDBOXEC_RESTRICT_SCOPED=1 "$SBX" "${BASE[@]}" -- "$PROBE" kill "$victim" CONT
expect_eq "signal: SANDBOXEC_RESTRICT_SCOPED=1 scopes too" "$OUT" "denied EPERM"
