#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make demo` runs scripts/demo.sh: it must keep passing with the real
# binaries, print what was allowed and what was denied, and fail when the
# sandbox enforces nothing (so the demo cannot pass vacuously).
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

demo=$SBX_TOP/scripts/demo.sh

run_capture "$demo" "$SBX_BUILD"
expect_eq "demo passes with the built CLI and shim" "$STATUS" 0
expect_contains "demo: the unsandboxed run reads the key" "$OUT" "did: read ~/.ssh/id_ed25519"
expect_contains "demo: CLI allows reading the project" "$OUT" "allowed: read project/notes.txt"
expect_contains "demo: CLI allows writing the project" "$OUT" "allowed: write project/build.log"
expect_contains "demo: the key read is denied with EACCES" "$OUT" \
	"denied:  read ~/.ssh/id_ed25519 (cat: "
expect_contains "demo: the ~/.profile write is denied" "$OUT" "denied:  append to ~/.profile"
expect_eq "demo: both runs (CLI, shim) report two allowed actions" \
	"$(grep -c '^  allowed: ' <<<"$OUT")" 4
expect_eq "demo: both runs report two denials, plus the exec denial" \
	"$(grep -c '^  denied: ' <<<"$OUT")" 5
expect_contains "demo: shows sandboxec's own hint for a missing rx rule" "$OUT" \
	"(exit 126) sandboxec: cannot execute sh, the first match in \$PATH"
expect_contains "demo: closing line" "$OUT" "demo: OK"

# `make demo` passes the build directory relative to the checkout.
run_capture sh -c 'cd "$(dirname "$1")" && "$2" "$(basename "$1")"' sh "$SBX_BUILD" "$demo"
expect_eq "demo passes given a relative build directory, as make demo does" "$STATUS" 0

# A stand-in CLI that drops the policy and runs the command as is.
cat >"$SBX_TMP/no-sandbox" <<'EOF'
#!/bin/sh
while [ "$1" != "--" ]; do shift; done
shift
exec "$@"
EOF
chmod +x "$SBX_TMP/no-sandbox"
run_capture env SBX_DEMO_CLI="$SBX_TMP/no-sandbox" "$demo" "$SBX_BUILD"
expect_eq "demo fails when the CLI enforces nothing" "$STATUS" 1
expect_contains "demo names what was not denied" "$OUT" \
	"PROBLEM (CLI): 'read ~/.ssh/id_ed25519' was not denied"

# A library that is not the shim: the shim's run must then fail the demo.
other_lib=$(ldd /bin/sh 2>/dev/null | awk '/libc.so/ {print $3}')
run_capture env SBX_DEMO_SHIM="${other_lib:-/lib/x86_64-linux-gnu/libc.so.6}" "$demo" "$SBX_BUILD"
expect_eq "demo fails when the preloaded library enforces nothing" "$STATUS" 1
expect_contains "demo names the shim run's problem" "$OUT" \
	"PROBLEM (shim): 'read ~/.ssh/id_ed25519' was not denied"
