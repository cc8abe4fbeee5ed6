#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what sandboxec builds and tests with: Debian packages, then the
# pinned MCP SDK clients under tests/mcp and the pinned agent CLIs under
# tests/agents (npm ci from their lockfiles).
#   scripts/deps.sh install            install whatever is missing (root)
#   scripts/deps.sh check-or-install   same; without root, print the apt-get line
set -eu
cd "$(dirname "$0")/.."

# build: compiler, libraries the engine loads; tests: cmocka, shells the env
# formats are checked through, bubblewrap for the bench baseline, clang and
# its runtime for fuzzing and sanitizers, setcap for the escape battery.
# The shipped profiles are tested against the real tools: interpreters
# (python-is-python3 for the user guide's `python script.py`), git, curl,
# CA certificates, and iproute2 to bring up loopback in the tests' private
# network namespace. `make deb` needs debhelper, and its test lintian; the
# man pages are rendered with man-db and groff, the completions run in
# zsh and in bash with bash-completion; python3-venv and python3-pytest for
# `python3 -m venv` and pytest under languages/python, procps for ps, top
# and free.
PKGS="build-essential pkg-config libyaml-dev libelf-dev libcmocka-dev
libjansson-dev libmd-dev python3 fish bubblewrap clang libclang-rt-14-dev
libcap2-bin python-is-python3 perl ruby git curl ca-certificates iproute2
strace bc debhelper lintian man-db groff zsh bash-completion python3-venv
python3-pytest procps"
# On amd64, the shim's i386 copy needs gcc -m32 (gcc-multilib), and
# tests/security/t_escape_i386.sh runs a 32-bit program under qemu-i386
# (qemu-user) where the kernel runs none itself.
if [ "$(dpkg --print-architecture)" = amd64 ]; then
	PKGS="$PKGS gcc-multilib qemu-user"
fi
# The kernel matrix (make check-kernels) boots Debian kernels under QEMU
# with a cpio initramfs; without recommends (no GUI, no firmware zoo).
BARE_PKGS="qemu-system-x86 cpio"

missing=$(for p in $PKGS; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
# Node.js may come from Debian or from NodeSource (which bundles npm), so
# ask for the commands rather than for package names.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
missing=$(echo $missing)
bare_missing=$(for p in $BARE_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
bare_missing=$(echo $bare_missing)

if [ -n "$missing$bare_missing" ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "sandboxec: run as root:" \
			${missing:+"apt-get install -y $missing"} ${missing:+${bare_missing:+&&}} \
			${bare_missing:+"apt-get install -y --no-install-recommends $bare_missing"} >&2
		exit 1
	fi
	apt-get update -qq
	[ -z "$missing" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
	[ -z "$bare_missing" ] ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $bare_missing
fi

if [ ! -d tests/mcp/node_modules/@modelcontextprotocol/sdk ] ||
	[ ! -d tests/mcp/node_modules/@modelcontextprotocol/client ]; then
	tests/mcp/setup.sh
fi
# The agents the agents/* profiles are tested with: claude, codex and
# opencode are native programs behind npm launchers, OpenClaw brings its
# own Node. About 2 GB from the npm registry, so only `install` (make
# deps, CI) fetches them; `make check` without them skips those cases.
if [ "${1:-}" = install ] && { [ ! -x tests/agents/node_modules/.bin/claude ] ||
	[ ! -e tests/agents/openclaw/node_modules/openclaw/openclaw.mjs ]; }; then
	tests/agents/setup.sh
fi
