#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the pinned agent CLIs the agents/* profile tests run
# (package-lock.json here and in openclaw/), into node_modules. Needs npm
# and the registry; called by scripts/deps.sh. Never run by a test: a
# test without the agents installed skips.
set -eu
cd "$(dirname "$0")"
# Not `npm ci`: opencode-ai lists a native package per platform as
# optional dependencies, and the registry this project installs from does
# not serve the other platforms' ones, so the lock file cannot name them
# and `npm ci` refuses it as out of sync. `npm install` takes every
# version the lock file pins and leaves the file unchanged.
npm install --no-audit --no-fund --loglevel=error
# OpenClaw's install scripts refuse a Node older than 24.16, which the
# system's may be: install the package without them, then run them with
# the pinned Node (npm links it into node_modules/.bin) first in PATH.
# Where no pinned Node exists for the machine, the test skips OpenClaw.
cd openclaw
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
if [ -x node_modules/.bin/node ]; then
	PATH="$PWD/node_modules/.bin:$PATH" npm rebuild openclaw --no-audit --no-fund --loglevel=error
fi
