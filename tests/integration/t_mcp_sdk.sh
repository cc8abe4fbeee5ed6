#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `--mode mcp` driven by the official MCP TypeScript SDK clients (pinned in
# tests/mcp/package-lock.json): handshake and 2026-07-28 eras, tools/list,
# exec results, policy denials, timeouts, cancellation, output caps, EOF.
. "$(dirname "$0")/lib.sh"
PROBE=$SBX_HELPERS/probe
sbx_abi
require_abi 1 "Landlock"

mcp_dir=$SBX_TOP/tests/mcp
if ! command -v node >/dev/null 2>&1; then
	fail "mcp sdk: node" "node >= 20 is not installed (see scripts/deps.sh)"
	exit 0
fi
if [ ! -d "$mcp_dir/node_modules/@modelcontextprotocol/sdk" ] ||
	[ ! -d "$mcp_dir/node_modules/@modelcontextprotocol/client" ]; then
	if ! "$mcp_dir/setup.sh" >"$SBX_TMP/npm.log" 2>&1; then
		fail "mcp sdk: npm ci" "$(tail -3 "$SBX_TMP/npm.log")"
		exit 0
	fi
fi
cd "$mcp_dir" && SBX=$SBX SBX_LL_ABI=$LL_ABI timeout 300 node sdk.test.mjs
