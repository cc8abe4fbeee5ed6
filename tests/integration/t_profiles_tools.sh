#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tools/git: init, add, commit, log, branch in the workspace with the
# user's ~/.gitconfig. tools/curl: downloads over port 443 (a local
# server in a private network namespace) and, through a test profile
# that extends it with one more port, from any local server. Both keep
# the shared denials and fail the same attacks with the real tool.
. "$(dirname "$0")/profiles_lib.sh"
prof_setup

# --- tools/git ---
if need_cmd "tools/git" git; then
	printf '[user]\n\tname = Sandboxec Test\n\temail = test@example.invalid\n[init]\n\tdefaultBranch = main\n' \
		>"$HOME/.gitconfig"
	mkdir -p "$WORK/repo" && cd "$WORK/repo" && export PWD=$WORK/repo
	printf 'hello\n' >README
	expect_works "tools/git: git init" tools/git git init -q
	expect_works "tools/git: git add" tools/git git add README
	expect_works "tools/git: git commit (identity from ~/.gitconfig)" tools/git git commit -q -m first
	expect_works "tools/git: git branch, switch, commit, merge" tools/git sh -c '
		git branch topic && git switch -q topic && echo more >>README &&
		git commit -q -am second && git switch -q main && git merge -q --ff-only topic'
	run_capture sbx_c tools/git git log --format=%an:%s
	expect_eq "tools/git: git log shows both commits by the configured author" "$OUT" \
		"$(printf 'Sandboxec Test:second\nSandboxec Test:first')"
	expect_denied "tools/git: git hash-object cannot read ~/.ssh/id_ed25519" tools/git \
		'permission denied' git hash-object "$SECRET"
	rm -rf "$OUTSIDE/repo"
	reset_outside_repo() { rm -rf "$OUTSIDE/repo"; }
	PROF_RESET=reset_outside_repo
	expect_denied "tools/git: git init cannot create a repository outside the workspace" \
		tools/git 'permission denied' git init -q "$OUTSIDE/repo"
	PROF_RESET=
	# A hook is code in the repository; the workspace has no execute
	# right, so a planted hook cannot run (git then refuses to commit).
	# The hook writes into the workspace, which the profile allows, so
	# only its not running can keep the marker away.
	printf '#!/bin/sh\necho ran >"$PWD/hook-ran"\n' >.git/hooks/pre-commit
	chmod +x .git/hooks/pre-commit
	penv git commit -q --allow-empty -m baseline >/dev/null 2>&1
	if [ -e hook-ran ]; then
		rm -f hook-ran
		run_capture sbx_c tools/git git commit -q --allow-empty -m third
		expect_absent "tools/git: a planted pre-commit hook does not run" "$WORK/repo/hook-ran"
	else
		fail "tools/git: a planted pre-commit hook does not run" "baseline: it did not run unsandboxed either"
	fi
	rm -f .git/hooks/pre-commit
	cd "$WORK" && export PWD=$WORK
	deny_matrix tools/git
fi

# --- tools/curl ---
if need_cmd "tools/curl" curl; then
	mkdir -p "$PROF_ROOT/srv"
	printf 'payload %s\n' "$RANDOM" >"$PROF_ROOT/srv/file.txt"
	if https_server "$PROF_ROOT/srv"; then
		rm -f "$WORK/file.txt"
		expect_works "tools/curl: curl -O from 127.0.0.1:443 into the workspace" tools/curl \
			curl -fsS -O http://127.0.0.1:443/file.txt
		expect_eq "tools/curl: the download is intact" "$(cat "$WORK/file.txt" 2>/dev/null)" \
			"$(cat "$PROF_ROOT/srv/file.txt")"
		expect_denied "tools/curl: curl cannot save outside the workspace" tools/curl \
			'permission denied|failure writing|failed to open|error 23' \
			curl -fsS -o "$OUTSIDE/sentinel" http://127.0.0.1:443/file.txt
	else
		skip "tools/curl: curl -O from 127.0.0.1:443 into the workspace" \
			"no private network namespace to bind port 443 in (needs root, unshare, ip)"
	fi
	# A port of your own: a profile that extends tools/curl (lists
	# concatenate, so it keeps 443 and adds this one).
	sbx_bg "$PROF_ROOT/allowed-server.out" "$PROBE" serve 0 900
	allowed_port=$(awk '/^ready/ {print $2; exit}' "$PROF_ROOT/allowed-server.out")
	mkdir -p "$EXT/test"
	printf 'extends: [tools/curl]\nnet:\n  - c:%s\n' "$allowed_port" >"$EXT/test/curl-local.yaml"
	run_capture sbx_c test/curl-local curl -fsS "http://127.0.0.1:$allowed_port/"
	expect_eq "tools/curl: extended with one port, curl reaches a local server there" "$OUT" ok
	expect_denied "tools/curl: curl cannot reach 127.0.0.1:$DENY_PORT" tools/curl \
		"failed to connect|couldn't connect" curl -fsS "http://127.0.0.1:$DENY_PORT/"
	expect_denied "tools/curl: curl file:// cannot read ~/.ssh/id_ed25519" tools/curl \
		"couldn't (open|read) file|permission denied" curl -fsS "file://$SECRET"
	run_capture sbx_c tools/curl sh -c true
	expect_eq "tools/curl: grants no program but curl (sh cannot be started)" "$STATUS" 126
	deny_matrix tools/curl
fi
