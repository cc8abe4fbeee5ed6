#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The shim fails closed (docs/design.md §4.1): every bad input of the engine (t_bad_input.sh),
# given through SANDBOXEC_* or a project .sandboxec.yaml instead of flags,
# ends the process before main with status 1 and one "sandboxec: " line.
# The program is first_marker, whose first statement creates a file: the
# file never appearing proves main never ran. Each case is paired with a
# good run of the same shape, so a refusal cannot come from the harness.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

MARK=$SBX_HELPERS/first_marker
MARKER=$SBX_TMP/marker
GOOD="rx:/usr,rx:$SBX_HELPERS,rw:$SBX_TMP"
# bad NAME ASSIGNMENTS... — the shim under these settings must refuse.
bad() {
	local name=$1
	shift
	expect_refused_before_main "env: $name" shim "$@" "$MARK" "$MARKER"
}

# --- the control: the same shape with good settings runs main
rm -f "$MARKER"
run_capture shim SANDBOXEC_FS="$GOOD" "$MARK" "$MARKER"
expect_eq "env: good settings run main (control)" "$STATUS" 0
expect_exists "env: good settings created the marker (control)" "$MARKER"

# --- SANDBOXEC_* variables
bad "no policy source at all"
expect_contains "env: no policy source says what to set" "$ERR" "SANDBOXEC_FS"
bad "unknown rights" SANDBOXEC_FS="$GOOD,rz:/usr"
bad "port not a number" SANDBOXEC_FS="$GOOD" SANDBOXEC_NET="c:https"
bad "port above 65535" SANDBOXEC_FS="$GOOD" SANDBOXEC_NET="c:65536"
bad "empty path" SANDBOXEC_FS="$GOOD,rx:"
bad "whitespace-only path" SANDBOXEC_FS="$GOOD,rx:  "
bad "unset variable in a path" SANDBOXEC_FS="$GOOD,rw:\$SBX_SURELY_UNSET/x"
expect_contains "env: unset variable is named" "$ERR" "SBX_SURELY_UNSET"
bad "unset braced variable in a path" SANDBOXEC_FS="$GOOD,rw:\${SBX_SURELY_UNSET}/x"
bad "missing path without ignore-if-missing" SANDBOXEC_FS="$GOOD,r:/nonexistent/sbx"
bad "abi 12" SANDBOXEC_FS="$GOOD" SANDBOXEC_ABI=12
bad "abi -1" SANDBOXEC_FS="$GOOD" SANDBOXEC_ABI=-1
bad "abi not a number" SANDBOXEC_FS="$GOOD" SANDBOXEC_ABI=seven
bad "empty SANDBOXEC_ABI" SANDBOXEC_FS="$GOOD" SANDBOXEC_ABI=
bad "net rules on abi 3 without best-effort" SANDBOXEC_FS="$GOOD" SANDBOXEC_NET=c:443 SANDBOXEC_ABI=3
bad "restrict-scoped on abi 5 without best-effort" SANDBOXEC_FS="$GOOD" SANDBOXEC_RESTRICT_SCOPED=1 SANDBOXEC_ABI=5
bad "bad boolean value" SANDBOXEC_FS="$GOOD" SANDBOXEC_BEST_EFFORT=maybe
bad "bad SANDBOXEC_TRUST_PROJECT value" SANDBOXEC_FS="$GOOD" SANDBOXEC_TRUST_PROJECT=2
bad "bad SANDBOXEC_VERBOSE value" SANDBOXEC_FS="$GOOD" SANDBOXEC_VERBOSE=loud
bad "unknown SANDBOXEC_ name" SANDBOXEC_FS="$GOOD" SANDBOXEC_FSS=rx:/usr
expect_contains "env: unknown name is named" "$ERR" "SANDBOXEC_FSS"
bad "unknown SANDBOXEC_ name alone" SANDBOXEC_TYPO=1
bad "SANDBOXEC_FS with an unterminated escape" SANDBOXEC_FS="$GOOD,rw:/tmp\\"
bad "SANDBOXEC_FS with an unknown escape" SANDBOXEC_FS="$GOOD,rw:/t\\mp"
bad "SANDBOXEC_NET with an unterminated escape" SANDBOXEC_FS="$GOOD" SANDBOXEC_NET='c:443\'
bad "config that does not exist" SANDBOXEC_CONFIG=/nonexistent.yaml
bad "config that is a directory" SANDBOXEC_CONFIG=/tmp
bad "empty SANDBOXEC_CONFIG" SANDBOXEC_CONFIG=
bad "config and named config together" SANDBOXEC_CONFIG=/x.yaml SANDBOXEC_NAMED_CONFIG=base/shell
bad "unknown named config" SANDBOXEC_NAMED_CONFIG=no/such/profile
bad "named config with .." SANDBOXEC_NAMED_CONFIG=../etc/passwd
printf 'fs:\n  - rx:/usr\nfss: []\n' >"$SBX_TMP/unknown-key.yaml"
bad "SANDBOXEC_CONFIG with an unknown YAML key" SANDBOXEC_CONFIG="$SBX_TMP/unknown-key.yaml"
expect_contains "env: unknown key error names file:line:col" "$ERR" "unknown-key.yaml:3:"
printf 'best-effort: [1]\n' >"$SBX_TMP/type.yaml"
bad "SANDBOXEC_CONFIG with a YAML type error" SANDBOXEC_CONFIG="$SBX_TMP/type.yaml"
printf 'fs: [rx:/usr\n' >"$SBX_TMP/malformed.yaml"
bad "SANDBOXEC_CONFIG with malformed YAML" SANDBOXEC_CONFIG="$SBX_TMP/malformed.yaml"

# More than one thread alive before main. Below Landlock ABI 8 Landlock
# would leave it free, so the shim refuses; from ABI 8 (TSYNC) the layer
# and the filter reach every thread, so the program runs and the early
# thread is confined like main.
KABI=$("$PROBE" landlock-abi)
OUTSIDE=$(mktemp -d /tmp/sbx-thread-outside.XXXXXX)
at_exit "rm -rf '$OUTSIDE'"
rm -f "$MARKER"
"$SBX_HELPERS/threaded_marker" "$MARKER" "$OUTSIDE/early"
expect_exists "bare: threaded program runs main (control)" "$MARKER"
expect_exists "bare: the early thread writes outside the policy (control)" "$OUTSIDE/early"
rm -f "$OUTSIDE/early"
if [ "$KABI" -lt 8 ]; then
	expect_refused_before_main "env: a second thread alive before main" \
		shim SANDBOXEC_FS="$GOOD" "$SBX_HELPERS/threaded_marker" "$MARKER"
	expect_contains "env: thread refusal says why" "$ERR" "thread"
	expect_contains "env: thread refusal names ABI 8" "$ERR" "ABI 8"
	# The same inside a sandbox that does not grant /proc (a descendant adding
	# a stricter layer): /proc/self/task is denied, glibc's count must do.
	expect_refused_before_main "env: a second thread alive, stricter layer inside a sandbox without /proc" \
		shim SANDBOXEC_FS="$GOOD" sh -c 'LD_PRELOAD=$1 SANDBOXEC_FS=$2 exec "$3" "$4"' sh \
		"$SBX_SHIM" "$GOOD,r:/usr" "$SBX_HELPERS/threaded_marker" "$MARKER"
	skip "env: a second thread alive is confined with main" "needs TSYNC (Landlock ABI 8), kernel has $KABI"
else
	rm -f "$MARKER"
	run_capture shim SANDBOXEC_FS="$GOOD" "$SBX_HELPERS/threaded_marker" "$MARKER" "$OUTSIDE/early"
	expect_exists "env: a second thread alive: main runs (TSYNC)" "$MARKER"
	expect_eq "env: the early thread is denied outside the policy (TSYNC)" "$STATUS" 6
	expect_absent "env: the early thread created nothing outside the policy" "$OUTSIDE/early"
fi

# Where a seccomp filter forbids unshare (the shim's one-call thread
# check), the shim counts /proc/self/task instead — or, inside a sandbox
# without /proc, trusts glibc's count — and still refuses below ABI 8.
DENY=$SBX_HELPERS/deny_unshare
expect_status "bare: unshare works (control)" 0 unshare -U true
expect_status "deny_unshare: unshare is refused under the filter (control)" 1 "$DENY" unshare -U true
rm -f "$MARKER"
run_capture "$DENY" env LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS="$GOOD" "$MARK" "$MARKER"
expect_eq "no unshare: a single-threaded program runs (thread count from /proc)" "$STATUS" 0
rm -f "$MARKER"
run_capture "$DENY" env LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS="$GOOD" sh -c \
	'LD_PRELOAD=$1 SANDBOXEC_FS=$2 exec "$3" "$4"' sh "$SBX_SHIM" "$GOOD,r:/usr" "$MARK" "$MARKER"
expect_eq "no unshare, no /proc: a single-threaded stricter layer runs" "$STATUS" 0
if [ "$KABI" -lt 8 ]; then
	expect_refused_before_main "no unshare: a second thread alive is refused (thread count from /proc)" \
		"$DENY" env LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS="$GOOD" "$SBX_HELPERS/threaded_marker" "$MARKER"
	expect_refused_before_main "no unshare, no /proc: a second thread alive is refused (glibc's count)" \
		"$DENY" env LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS="$GOOD" sh -c \
		'LD_PRELOAD=$1 SANDBOXEC_FS=$2 exec "$3" "$4"' sh \
		"$SBX_SHIM" "$GOOD,r:/usr" "$SBX_HELPERS/threaded_marker" "$MARKER"
else
	rm -f "$MARKER"
	run_capture "$DENY" env LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS="$GOOD" "$SBX_HELPERS/threaded_marker" "$MARKER"
	expect_eq "no unshare: a second thread alive runs confined (TSYNC)" "$STATUS" 0
fi

# --- a trusted project file with each bad input: same refusal, and the
# message names the file (and for YAML errors, line and column).
PRJ=$SBX_TMP/project
mkdir -p "$PRJ/sub"
# project NAME YAML-BODY — writes the project file and expects refusal
# from a subdirectory (so discovery walks up), trusted by the CI switch.
project() {
	local name=$1
	printf '%s' "$2" >"$PRJ/.sandboxec.yaml"
	cd "$PRJ/sub" || exit 1
	expect_refused_before_main "project file: $name" \
		shim SANDBOXEC_TRUST_PROJECT=1 "$MARK" "$MARKER"
	expect_contains "project file: $name: message names the file" "$ERR" "$PRJ/.sandboxec.yaml"
	cd "$SBX_TMP/work" || exit 1
}
ok_body="fs:
  - rx:/usr
  - rx:$SBX_HELPERS
  - rw:$SBX_TMP
"
printf '%s' "$ok_body" >"$PRJ/.sandboxec.yaml"
cd "$PRJ/sub" || exit 1
rm -f "$MARKER"
run_capture shim SANDBOXEC_TRUST_PROJECT=1 "$MARK" "$MARKER"
expect_eq "project file: a good one runs main (control)" "$STATUS" 0
expect_exists "project file: a good one created the marker (control)" "$MARKER"
cd "$SBX_TMP/work" || exit 1

project "unknown rights" "$ok_body  - rz:/usr
"
project "port not a number" "${ok_body}net:
  - c:https
"
project "port above 65535" "${ok_body}net:
  - c:70000
"
project "empty path" "$ok_body  - 'rx:'
"
project "unset variable in a path" "$ok_body  - rw:\$SBX_SURELY_UNSET/x
"
project "missing path without ignore-if-missing" "$ok_body  - r:/nonexistent/sbx
"
project "unknown YAML key" "${ok_body}best_effort: true
"
expect_contains "project file: unknown key error has line:col" "$ERR" ".sandboxec.yaml:5:1"
project "YAML type error" "${ok_body}restrict-scoped: [yes]
"
project "malformed YAML" "${ok_body}net: [c:443
"
project "abi 12" "${ok_body}abi: 12
"
project "abi -1" "${ok_body}abi: -1
"
project "net rules on abi 3 without best-effort" "${ok_body}abi: 3
net:
  - c:443
"
project "restrict-scoped on abi 5 without best-effort" "${ok_body}abi: 5
restrict-scoped: true
"

# Untrusted: no SANDBOXEC_TRUST_PROJECT and no trust entry.
printf '%s' "$ok_body" >"$PRJ/.sandboxec.yaml"
cd "$PRJ/sub" || exit 1
expect_refused_before_main "project file: untrusted" shim "$MARK" "$MARKER"
expect_contains "project file: untrusted says how to trust it" "$ERR" "sandboxec --mode trust"
# Trusted by the store, then edited: trust is revoked.
"$SBX" --mode trust "$PRJ/.sandboxec.yaml" >/dev/null 2>&1 </dev/null
rm -f "$MARKER"
run_capture shim "$MARK" "$MARKER"
expect_eq "project file: trusted by the store runs main (control)" "$STATUS" 0
echo "# an edit" >>"$PRJ/.sandboxec.yaml"
expect_refused_before_main "project file: edited after trust" shim "$MARK" "$MARKER"
cd "$SBX_TMP/work" || exit 1
