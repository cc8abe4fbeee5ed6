#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# No program code before the policy (docs/audit-and-seccomp.md). premain_prog runs
# code before main three ways: its library's IFUNC resolver, its library's
# constructor and its own DT_PREINIT_ARRAY entry; each tries to create
# "premain_prog.<hook>" beside the program. Unsandboxed all three succeed
# (so the test can fail); under the settings `sandboxec --mode env` prints
# (LD_AUDIT + LD_PRELOAD), in every format, none does. Under LD_PRELOAD
# alone all three still succeed: the documented limit this closes.
. "$(dirname "$0")/../integration/lib.sh"
sbx_setup
require_abi 1 "Landlock"

BIN=$SBX_TMP/bin
PROG=$BIN/premain_prog
HOOKS="ifunc preinit ctor"
mkdir -p "$BIN"
if ! cp "$SBX_BUILD/tests/premain/premain_prog" "$SBX_BUILD/tests/premain/libpremain.so" "$BIN/"; then
	fail "setup" "missing build/tests/premain (run make check, or make premain)"
	exit 1
fi
POLICY=(--fs rx:/usr --fs "rx:$BIN")

reset() { rm -f "$PROG".*; }
# hooks_that_wrote — the pre-main hooks whose file exists, e.g. "ifunc ctor".
hooks_that_wrote() {
	local h got=""
	for h in $HOOKS; do [ -e "$PROG.$h" ] && got="$got $h"; done
	echo "${got# }"
}
# expect_hooks NAME WANT — WANT is the list of hooks that created a file.
expect_hooks() { expect_eq "$1" "$(hooks_that_wrote)" "$2"; }

# --- baseline: the hooks really can write here
reset
run_capture "$PROG"
expect_eq "unsandboxed: the program runs" "$STATUS" 0
expect_hooks "unsandboxed: IFUNC resolver, preinit and constructor all create their file" \
	"ifunc preinit ctor"

# --- the generated settings, each format loaded the way its users load it
settings() { "$SBX" --mode env --format "$1" "${POLICY[@]}" >"$SBX_TMP/settings.$1"; }

for fmt in sh make fish json dotenv; do
	settings "$fmt"
	expect_contains "--format $fmt prints LD_AUDIT" "$(cat "$SBX_TMP/settings.$fmt")" "LD_AUDIT"
	# The shim itself, or the $LIB tree beside it that picks the copy for
	# the program's class (docs/shim.md, "32-bit programs").
	expect_contains "--format $fmt puts the shim in LD_AUDIT" \
		"$(grep LD_AUDIT "$SBX_TMP/settings.$fmt")" "${SBX_SHIM%.so}"
done

run_under() { # FORMAT — runs $PROG under the settings file of that format
	case "$1" in
	sh) sh -c '. "$1" && exec "$2"' sh "$SBX_TMP/settings.sh" "$PROG" ;;
	make) printf 'include %s\nall:\n\t@%s\n' "$SBX_TMP/settings.make" "$PROG" >"$SBX_TMP/Makefile"
	      make -s -f "$SBX_TMP/Makefile" ;;
	fish) fish --no-config -c 'source $argv[1]; exec $argv[2]' "$SBX_TMP/settings.fish" "$PROG" ;;
	json) python3 -c 'import json, os, sys
env = dict(os.environ); env.update(json.load(open(sys.argv[1])))
os.execve(sys.argv[2], [sys.argv[2]], env)' "$SBX_TMP/settings.json" "$PROG" ;;
	dotenv) sh -c 'set -a; . "$1"; set +a; exec "$2"' sh "$SBX_TMP/settings.dotenv" "$PROG" ;;
	esac
}
for fmt in sh make fish json dotenv; do
	if [ "$fmt" = fish ] && ! command -v fish >/dev/null; then
		skip "--format fish settings" "fish is not installed"
		continue
	fi
	reset
	run_capture run_under "$fmt"
	expect_eq "--format $fmt settings: the program runs (its IFUNC resolved)" "$STATUS" 0
	expect_hooks "--format $fmt settings: no pre-main hook creates its file" ""
	expect_contains "--format $fmt settings: main is denied too" "$OUT" "main denied"
done

# --- each copy alone
shim_env() { env SANDBOXEC_FS="rx:/usr,rx:$BIN" "$@"; }
reset
run_capture shim_env LD_AUDIT="$SBX_SHIM" "$PROG"
expect_eq "LD_AUDIT alone: the program runs" "$STATUS" 0
expect_hooks "LD_AUDIT alone: no pre-main hook creates its file" ""
reset
run_capture shim_env LD_PRELOAD="$SBX_SHIM" "$PROG"
expect_eq "LD_PRELOAD alone: the program runs" "$STATUS" 0
expect_hooks "LD_PRELOAD alone (documented limit): IFUNC, preinit and constructor run unconfined" \
	"ifunc preinit ctor"
expect_contains "LD_PRELOAD alone: main is confined" "$OUT" "main denied"
reset
run_capture "$SBX" "${POLICY[@]}" -- "$PROG"
expect_hooks "sandboxec -- PROG: no pre-main hook creates its file" ""

# --- fail closed before any program code
bad_before_code() { # NAME WANT-HOOKS ENV-ASSIGNMENTS...
	local name=$1 want=$2
	shift 2
	reset
	run_capture env "$@" "$PROG"
	expect_sbx_error "$name: status 1 and one sandboxec: line"
	expect_not_contains "$name: main never ran" "$OUT" "main"
	expect_hooks "$name: pre-main hooks that ran" "$want"
}
both=(LD_AUDIT="$SBX_SHIM" LD_PRELOAD="$SBX_SHIM")
bad_before_code "audit+preload, bad rights" "" "${both[@]}" SANDBOXEC_FS="rz:/usr"
bad_before_code "audit+preload, missing path" "" "${both[@]}" SANDBOXEC_FS="rx:/usr,rx:$BIN,r:/nonexistent/sbx"
bad_before_code "audit+preload, no policy source" "" "${both[@]}"
bad_before_code "audit+preload, ABI out of range" "" "${both[@]}" SANDBOXEC_FS="rx:/usr" SANDBOXEC_ABI=99
bad_before_code "LD_PRELOAD alone, bad rights (documented limit)" "ifunc preinit ctor" \
	LD_PRELOAD="$SBX_SHIM" SANDBOXEC_FS="rz:/usr"

# --- never two layers: under 15 layers stacked by the CLI, audit+preload
# must add exactly one (16, the kernel's limit); two would fail with E2BIG.
stack() { # N CMD... — CMD under N nested sandboxec layers (each a new policy)
	local n=$1 i
	shift
	local -a cmd=("$@")
	for ((i = 0; i < n; i++)); do
		cmd=("$SBX" --fs rx:/usr --fs "rx:$BIN" --fs "rx:$SBX_BUILD" --fs r:/proc -- "${cmd[@]}")
	done
	"${cmd[@]}"
}
run_capture stack 16 env "${both[@]}" SANDBOXEC_FS="rx:/usr,rx:$BIN" "$PROG"
expect_contains "baseline: 16 stacked layers leave no room for the shim's" "$ERR" "16 stacked layers"
reset
run_capture stack 15 env "${both[@]}" SANDBOXEC_FS="rx:/usr,rx:$BIN" "$PROG"
expect_eq "15 stacked layers + audit and preload copies: one layer, the program runs" "$STATUS" 0
expect_hooks "15 stacked layers + audit and preload copies: hooks confined" ""
run_capture env "${both[@]}" SANDBOXEC_FS="rx:/usr,rx:$BIN" SANDBOXEC_VERBOSE=1 "$PROG"
expect_eq "the effective policy is printed once (one copy applied it)" \
	"$(grep -c 'effective policy' <<<"$ERR")" 1

# --- what descendants see: the marker, and neither copy of the shim
run_capture env "${both[@]}" SANDBOXEC_FS="rx:/usr" /usr/bin/env
expect_contains "descendants see SANDBOXEC_ACTIVE (written by the audit copy)" "$OUT" "SANDBOXEC_ACTIVE="
expect_not_contains "descendants do not load the audit copy again" "$OUT" "LD_AUDIT="
expect_not_contains "descendants do not load the preload copy again" "$OUT" "LD_PRELOAD="
run_capture env LD_AUDIT="$SBX_SHIM" SANDBOXEC_FS="rx:/usr" /usr/bin/env
expect_contains "LD_AUDIT alone: descendants see the marker" "$OUT" "SANDBOXEC_ACTIVE="
expect_not_contains "LD_AUDIT alone: descendants do not load it again" "$OUT" "LD_AUDIT="

# --- hygiene: the exact list of exported symbols. la_version is the one
# name outside the sandboxec_ prefix: the rtld-audit interface requires it.
exports=$(nm -D --defined-only "$SBX_SHIM" | awk '{print $3}' | grep -v '^sandboxec_' | sort | tr '\n' ' ')
expect_eq "the shim exports la_version and only sandboxec_* names besides" "$exports" "la_version "
