#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the pinned agent CLIs the agents/* profile tests run
# (package-lock.json here and in openclaw/), into node_modules. Needs npm
# and the registry; called by scripts/deps.sh. Never run by a test: a
# test without the agents installed skips.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
# OpenClaw's install scripts refuse a Node older than 24.16, which the
# system's may be: install the package without them, then run them with
# the pinned Node (npm links it into node_modules/.bin) first in PATH.
# Where no pinned Node exists for the machine, the test skips OpenClaw.
cd openclaw
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
if [ -x node_modules/.bin/node ]; then
	PATH="$PWD/node_modules/.bin:$PATH" npm rebuild openclaw --no-audit --no-fund --loglevel=error
fi
