#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the pinned MCP SDK clients the MCP tests drive (package-lock.json),
# into tests/mcp/node_modules. Needs node >= 20 and npm; called by
# scripts/deps.sh, and by t_mcp_sdk.sh when node_modules is missing.
set -eu
cd "$(dirname "$0")"
exec npm ci --no-audit --no-fund --loglevel=error
