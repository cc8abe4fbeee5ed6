#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# agents/claude, agents/codex, agents/opencode. A session with the real
# agents needs a login the tests cannot have (t_agents_real.sh runs what
# they do offline), so a stand-in (agent_standin.js) installed where each
# agent lives does what the agent does in a session: reads its settings,
# writes its logs and sessions, rewrites its state file, makes a scratch
# file, calls its API on 127.0.0.1:443, runs git through its shell tool
# and edits a file in the workspace. Then the denials: the planted
# secret, other tools' tokens (including the other agents'), and the
# shared matrix.
. "$(dirname "$0")/profiles_lib.sh"
STANDIN=$(cd "$(dirname "$0")" && pwd)/agent_standin.js
prof_setup

if ! need_cmd "agents" node; then
	exit 0
fi

# Every agent's state, planted up front, so each profile is shown to keep
# out the others' tokens.
mkdir -p "$HOME/.claude" "$HOME/.codex" "$HOME/.config/opencode" \
	"$HOME/.local/share/opencode/bin" "$HOME/.cache/opencode" "$HOME/.local/state/opencode" \
	"$HOME/.config/gh" "$HOME/.aws"
printf '{"permissions": {}}\n' >"$HOME/.claude/settings.json"
printf '{"oauthAccount": "claude-token"}\n' >"$HOME/.claude/.credentials.json"
printf '{"numStartups": 0}\n' >"$HOME/.claude.json"
printf 'model = "test"\n' >"$HOME/.codex/config.toml"
printf '{"OPENAI_API_KEY": "codex-token"}\n' >"$HOME/.codex/auth.json"
printf '{"$schema": "https://opencode.ai/config.json"}\n' >"$HOME/.config/opencode/opencode.json"
printf '{"anthropic": "opencode-token"}\n' >"$HOME/.local/share/opencode/auth.json"
printf '#!/bin/sh\nexit 0\n' >"$HOME/.local/share/opencode/bin/fake-lsp"
chmod +x "$HOME/.local/share/opencode/bin/fake-lsp"
printf 'github.com:\n  oauth_token: gh-token\n' >"$HOME/.config/gh/hosts.yml"
printf '[default]\naws_secret_access_key = aws-token\n' >"$HOME/.aws/credentials"

# Where each agent's launcher lives: Claude's native installer (a
# versioned file and a symlink in ~/.local/bin), opencode's install
# script (~/.opencode/bin). Codex comes from npm -g, i.e. a system dir
# the test must not write, so its stand-in sits in the workspace.
mkdir -p "$HOME/.local/share/claude/versions" "$HOME/.local/bin" "$HOME/.opencode/bin" \
	"$WORK/.npm-global"
install -m 0755 "$STANDIN" "$HOME/.local/share/claude/versions/1.0.0"
ln -s "$HOME/.local/share/claude/versions/1.0.0" "$HOME/.local/bin/claude"
install -m 0755 "$STANDIN" "$HOME/.opencode/bin/opencode"
install -m 0755 "$STANDIN" "$WORK/.npm-global/codex"

mkdir -p "$PROF_ROOT/srv"
https_server "$PROF_ROOT/srv"
if [ "$HTTPS_PORT_READY" = 1 ]; then
	API=(--https 443)
else
	API=()
	skip "agents: API calls to 127.0.0.1:443" "no private network namespace to bind port 443 in"
fi
SHELL_STEP='git init -q . 2>/dev/null; git add -A && git status --short >/dev/null && ls'

# agent_case PROFILE LAUNCHER STEPS... — the stand-in starts and every
# step works under PROFILE.
agent_case() {
	local profile=$1
	shift
	expect_works "$profile: the agent starts (state, logs, tmp, API, shell, edit)" "$profile" "$@" \
		--tmp "${API[@]}" --shell "$SHELL_STEP" --edit "$WORK/edited-by-${profile#agents/}.txt"
	expect_exists "$profile: its edit landed in the workspace" "$WORK/edited-by-${profile#agents/}.txt"
}

# agent_denials PROFILE OWN-TOKEN-FILE — the secret, and every token in
# home but its own, stay unreadable.
agent_denials() {
	local profile=$1 own=$2 f
	for f in "$SECRET" "$HOME/.config/gh/hosts.yml" "$HOME/.aws/credentials" \
		"$HOME/.claude/.credentials.json" "$HOME/.codex/auth.json" \
		"$HOME/.local/share/opencode/auth.json"; do
		[ "$f" = "$own" ] && continue
		expect_denied "$profile: ${f#"$HOME"/} cannot be read" "$profile" EACCES \
			node -e "require('fs').readFileSync('$f')"
	done
	expect_denied "$profile: ~/.bashrc cannot be changed" "$profile" EACCES \
		node -e "require('fs').appendFileSync('$HOME/.bashrc', 'evil')"
	deny_matrix "$profile"
}

agent_case agents/claude "$HOME/.local/bin/claude" \
	--read "$HOME/.claude/settings.json" \
	--append "$HOME/.claude/projects/work/session.jsonl" \
	--append "$HOME/.claude/debug/latest" \
	--rewrite "$HOME/.claude.json"
agent_denials agents/claude "$HOME/.claude/.credentials.json"

agent_case agents/codex node "$WORK/.npm-global/codex" \
	--read "$HOME/.codex/config.toml" --read "$HOME/.codex/auth.json" \
	--append "$HOME/.codex/log/codex-tui.log" \
	--append "$HOME/.codex/sessions/2026/01/01/rollout.jsonl"
agent_denials agents/codex "$HOME/.codex/auth.json"

agent_case agents/opencode "$HOME/.opencode/bin/opencode" \
	--read "$HOME/.config/opencode/opencode.json" \
	--read "$HOME/.local/share/opencode/auth.json" \
	--append "$HOME/.local/share/opencode/log/dev.log" \
	--append "$HOME/.local/share/opencode/storage/session/s1.json" \
	--append "$HOME/.cache/opencode/version" \
	--append "$HOME/.local/state/opencode/kv.json" \
	--run "$HOME/.local/share/opencode/bin/fake-lsp"
agent_denials agents/opencode "$HOME/.local/share/opencode/auth.json"
