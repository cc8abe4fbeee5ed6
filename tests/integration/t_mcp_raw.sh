#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `--mode mcp` spoken to byte by byte, without any SDK (tests/mcp/raw.test.mjs
# needs only node): JSON-RPC errors, notifications, ids of every JSON type,
# both protocol eras, 16 MiB lines, split and merged writes, end of input.
. "$(dirname "$0")/lib.sh"

expect_status "mcp refuses a COMMAND" 1 "$SBX" --mode mcp --fs rx:/usr echo hi
expect_contains "mcp COMMAND refusal says why" "$ERR" "takes no COMMAND"
# Every case below starts the server, which needs Landlock.
PROBE=$SBX_HELPERS/probe
sbx_abi
require_abi 1 "Landlock"
expect_status "mcp with closed stdin exits 0 at once" 0 timeout 5 "$SBX" --mode mcp --fs rx:/usr </dev/null
if [ -z "$OUT" ]; then pass "mcp with closed stdin writes nothing"; else fail "mcp with closed stdin writes nothing" "$OUT"; fi

if ! command -v node >/dev/null 2>&1; then
	fail "mcp raw: node" "node >= 20 is not installed (see scripts/deps.sh)"
	exit 0
fi
cd "$SBX_TOP/tests/mcp" && SBX=$SBX timeout 300 node raw.test.mjs
