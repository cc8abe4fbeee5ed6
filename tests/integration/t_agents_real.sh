#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The agents/* profiles with the real agents, as pinned in
# tests/agents/package-lock.json (claude, codex, opencode) and
# tests/agents/openclaw/package-lock.json (OpenClaw and the Node it needs),
# installed by `make deps`. No login is possible offline, so each agent
# shows what runs without one: it starts (--version), prints its help,
# and writes then reads back its own state, in the default places and,
# with the shipped profile alone, where CLAUDE_CONFIG_DIR, CODEX_HOME,
# XDG_DATA_HOME or OPENCLAW_STATE_DIR move it (the profiles follow them
# with ${VAR:-default}); a write beside the moved directory is still
# denied. The other denials are in t_profiles_agents.sh (with a
# stand-in); OpenClaw's are here.
. "$(dirname "$0")/profiles_lib.sh"
AGENTS=$SBX_TOP/tests/agents/node_modules
OPENCLAW=$SBX_TOP/tests/agents/openclaw/node_modules
prof_setup

# The agents live where npm ci put them, in the source tree; a user's
# `npm install -g` puts them under /usr/lib or /usr/local/lib, which
# base/dynamic grants. So each test profile adds execute on that tree and
# nothing else.
mkdir -p "$EXT/real"
real_profile() { # NAME EXTENDS [RULE...]
	local name=$1 extends=$2 rule
	shift 2
	{
		printf 'extends: [%s]\nfs:\n  - "rx:%s"\n  - "rx:%s"\n' "$extends" "$AGENTS" "$OPENCLAW"
		for rule in "$@"; do printf '  - "%s"\n' "$rule"; done
	} >"$EXT/real/$name.yaml"
}

# need_agent NAME FILE — true when the pinned agent is installed.
need_agent() {
	if [ -e "$2" ]; then return 0; fi
	skip "$1 (real)" "not installed: run make deps (tests/agents/setup.sh)"
	return 1
}

# agent_run NAME PROFILE WANT-IN-STDOUT [VAR=VALUE...] -- CMD... — CMD
# exits 0 under PROFILE and prints WANT (on stdout or stderr).
agent_run() {
	local name=$1 profile=$2 want=$3 vars=()
	shift 3
	while [ "$1" != -- ]; do
		vars+=("$1")
		shift
	done
	shift
	run_capture penv "${vars[@]}" "$SBX" -C "$profile" -- "$@"
	if [ "$STATUS" -ne 0 ]; then
		fail "$name" "exit $STATUS under -C $profile; stderr: ${ERR:0:400}"
	else
		expect_contains "$name" "$OUT$ERR" "$want"
	fi
}

# moved_denied NAME PROFILE VAR=VALUE DIR — with VAR moving the agent's
# state, a file written in DIR (beside the moved directory, or the default
# one the variable replaced) works unsandboxed and is denied under
# PROFILE: following the variable grants its directory, nothing around it.
moved_denied() {
	local name=$1 profile=$2 var=$3 dir=$4
	run_capture penv "$var" sh -c 'echo x >"$1/sbx-probe"' sh "$dir"
	if [ "$STATUS" -ne 0 ]; then
		fail "$name" "baseline: unsandboxed the write failed: ${ERR:0:300}"
		return
	fi
	rm -f "$dir/sbx-probe"
	run_capture penv "$var" "$SBX" -C "$profile" -- sh -c 'echo x >"$1/sbx-probe"' sh "$dir"
	if [ "$STATUS" -eq 0 ] || [ -e "$dir/sbx-probe" ]; then
		fail "$name" "the write went through under -C $profile ($var)"
	else
		expect_contains "$name" "$ERR" "ermission denied"
	fi
	rm -f "$dir/sbx-probe"
}

# moved_refused NAME PROFILE VAR=VALUE — a value that would widen the
# profile's rule ends sandboxec with one line naming the variable.
moved_refused() {
	local name=$1 profile=$2 var=$3
	run_capture penv "$var" "$SBX" -C "$profile" -- true
	if [ "$STATUS" -ne 1 ]; then
		fail "$name" "exit $STATUS, want 1"
	else
		expect_contains "$name" "$ERR" "\$${var%%=*}="
	fi
}

# Each agent's state, made as its first run (or the profile's comment)
# would; nothing else may appear in home.
mkdir -p "$HOME/.claude" "$HOME/claude-moved" "$HOME/claude-beside" "$HOME/.codex" \
	"$HOME/codex-moved" "$HOME/codex-beside" "$HOME/.config/opencode" \
	"$HOME/.local/share/opencode" "$HOME/.cache/opencode" "$HOME/.local/state/opencode" \
	"$HOME/xdg-data/opencode" "$HOME/xdg-data/other" "$HOME/xdg-config/opencode" \
	"$HOME/.openclaw" "$HOME/openclaw-moved" "$HOME/openclaw-beside" "$HOME/.cache/openclaw"
printf '{}\n' >"$HOME/.claude.json"
printf '{"mcp": {"sbx-moved": {"type": "local", "command": ["/bin/true"]}}}\n' \
	>"$HOME/xdg-config/opencode/opencode.json"
home_before=$(ls -A "$HOME")

# --- Claude Code: a native (Bun) program behind the npm launcher ---
if need_agent agents/claude "$AGENTS/.bin/claude"; then
	real_profile claude agents/claude
	agent_run "agents/claude: claude --version" real/claude "(Claude Code)" -- \
		"$AGENTS/.bin/claude" --version
	agent_run "agents/claude: claude --help" real/claude "Usage: claude" -- \
		"$AGENTS/.bin/claude" --help
	agent_run "agents/claude: claude mcp add writes ~/.claude.json" real/claude "sbx-test" -- \
		"$AGENTS/.bin/claude" mcp add -s user sbx-test -- /bin/true
	expect_contains "agents/claude: the server is in ~/.claude.json" \
		"$(cat "$HOME/.claude.json")" '"sbx-test"'
	agent_run "agents/claude: with CLAUDE_CONFIG_DIR, state goes there" real/claude \
		"sbx-moved" CLAUDE_CONFIG_DIR="$HOME/claude-moved" -- \
		"$AGENTS/.bin/claude" mcp add -s user sbx-moved -- /bin/true
	expect_contains "agents/claude: the server is in \$CLAUDE_CONFIG_DIR/.claude.json" \
		"$(cat "$HOME/claude-moved/.claude.json" 2>&1)" '"sbx-moved"'
	moved_denied "agents/claude: with CLAUDE_CONFIG_DIR, a write beside it is denied" \
		real/claude CLAUDE_CONFIG_DIR="$HOME/claude-moved" "$HOME/claude-beside"
	moved_denied "agents/claude: with CLAUDE_CONFIG_DIR, ~/.claude is no longer writable" \
		real/claude CLAUDE_CONFIG_DIR="$HOME/claude-moved" "$HOME/.claude"
	moved_refused "agents/claude: CLAUDE_CONFIG_DIR=\$HOME is refused" real/claude \
		CLAUDE_CONFIG_DIR="$HOME"
fi

# --- Codex: a Node launcher that starts a native (Rust) program ---
if need_agent agents/codex "$AGENTS/.bin/codex"; then
	real_profile codex agents/codex
	agent_run "agents/codex: codex --version" real/codex "codex-cli" -- "$AGENTS/.bin/codex" --version
	agent_run "agents/codex: codex --help" real/codex "Usage: codex" -- "$AGENTS/.bin/codex" --help
	agent_run "agents/codex: codex mcp add writes ~/.codex/config.toml" real/codex "sbx-test" -- \
		"$AGENTS/.bin/codex" mcp add sbx-test -- /bin/true
	agent_run "agents/codex: codex mcp list reads it back" real/codex "sbx-test" -- \
		"$AGENTS/.bin/codex" mcp list
	agent_run "agents/codex: with CODEX_HOME, state goes there" real/codex "sbx-moved" \
		CODEX_HOME="$HOME/codex-moved" -- "$AGENTS/.bin/codex" mcp add sbx-moved -- /bin/true
	expect_contains "agents/codex: the server is in \$CODEX_HOME/config.toml" \
		"$(cat "$HOME/codex-moved/config.toml" 2>&1)" "sbx-moved"
	moved_denied "agents/codex: with CODEX_HOME, a write beside it is denied" real/codex \
		CODEX_HOME="$HOME/codex-moved" "$HOME/codex-beside"
	moved_refused "agents/codex: a relative CODEX_HOME is refused" real/codex CODEX_HOME=codex
fi

# --- opencode: a native (Bun) program; Bun aborts (134) when it cannot
# read /proc/self/maps, which is why base/proc grants /proc ---
if need_agent agents/opencode "$AGENTS/.bin/opencode"; then
	real_profile opencode agents/opencode
	agent_run "agents/opencode: opencode --version" real/opencode "1.18." -- \
		"$AGENTS/.bin/opencode" --version
	agent_run "agents/opencode: opencode --help" real/opencode "Commands:" -- \
		"$AGENTS/.bin/opencode" --help
	# mcp list opens its database, writes its log and takes its locks.
	agent_run "agents/opencode: opencode mcp list starts on its state" real/opencode "MCP" -- \
		"$AGENTS/.bin/opencode" mcp list
	expect_exists "agents/opencode: its database is in ~/.local/share/opencode" \
		"$HOME/.local/share/opencode/opencode.db"
	expect_contains "agents/opencode: its log is in ~/.local/share/opencode/log" \
		"$(ls "$HOME/.local/share/opencode/log" 2>&1)" ".log"
	agent_run "agents/opencode: with XDG_DATA_HOME, data goes there" real/opencode "MCP" \
		XDG_DATA_HOME="$HOME/xdg-data" -- "$AGENTS/.bin/opencode" mcp list
	expect_exists "agents/opencode: its database is in \$XDG_DATA_HOME/opencode" \
		"$HOME/xdg-data/opencode/opencode.db"
	agent_run "agents/opencode: with XDG_CONFIG_HOME, its config is read there" real/opencode \
		"sbx-moved" XDG_CONFIG_HOME="$HOME/xdg-config" -- "$AGENTS/.bin/opencode" mcp list
	moved_denied "agents/opencode: with XDG_DATA_HOME, another tool's data dir is denied" \
		real/opencode XDG_DATA_HOME="$HOME/xdg-data" "$HOME/xdg-data/other"
	moved_denied "agents/opencode: with XDG_DATA_HOME, ~/.local/share/opencode is no longer writable" \
		real/opencode XDG_DATA_HOME="$HOME/xdg-data" "$HOME/.local/share/opencode"
fi

# --- OpenClaw: a Node program needing Node >= 24.16 (the pinned one) ---
if need_agent agents/openclaw "$OPENCLAW/.bin/node" &&
	need_agent agents/openclaw "$OPENCLAW/openclaw/openclaw.mjs"; then
	real_profile openclaw agents/openclaw
	OC=("$OPENCLAW/.bin/node" "$OPENCLAW/openclaw/openclaw.mjs")
	agent_run "agents/openclaw: openclaw --version" real/openclaw "OpenClaw 2026." -- \
		"${OC[@]}" --version
	agent_run "agents/openclaw: openclaw --help" real/openclaw "Usage: openclaw" -- \
		"${OC[@]}" --help
	agent_run "agents/openclaw: openclaw config set writes ~/.openclaw" real/openclaw "Updated" -- \
		"${OC[@]}" config set gateway.port 18789
	expect_contains "agents/openclaw: the setting is in ~/.openclaw/openclaw.json" \
		"$(cat "$HOME/.openclaw/openclaw.json" 2>&1)" '"port": 18789'
	agent_run "agents/openclaw: with OPENCLAW_STATE_DIR, the config goes there" real/openclaw \
		"Updated" OPENCLAW_STATE_DIR="$HOME/openclaw-moved" -- \
		"${OC[@]}" config set gateway.port 18790
	expect_contains "agents/openclaw: the setting is in \$OPENCLAW_STATE_DIR/openclaw.json" \
		"$(cat "$HOME/openclaw-moved/openclaw.json" 2>&1)" '"port": 18790'
	moved_denied "agents/openclaw: with OPENCLAW_STATE_DIR, a write beside it is denied" \
		real/openclaw OPENCLAW_STATE_DIR="$HOME/openclaw-moved" "$HOME/openclaw-beside"
fi
deny_matrix agents/openclaw
expect_denied "agents/openclaw: node cannot read ~/.ssh/id_ed25519" agents/openclaw EACCES \
	node -e "require('fs').readFileSync('$SECRET')"

expect_eq "the agents created nothing new directly in home" "$(ls -A "$HOME")" "$home_before"
