#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tools/git: init, add, commit, log, branch in the workspace with the
# user's ~/.gitconfig (read-only), commits through the repository's hooks,
# and git from a subdirectory. tools/curl: downloads over port 443 (a local
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
	# The repository's hooks run, inside the same sandbox: a commit in a
	# repository with a pre-commit hook goes through the hook (the
	# marker), a failing hook still stops the commit, and the hook can
	# read no more than git could (the secret).
	printf '#!/bin/sh\necho ran >"$PWD/hook-ran"\n' >.git/hooks/pre-commit
	chmod +x .git/hooks/pre-commit
	penv git commit -q --allow-empty -m baseline >/dev/null 2>&1
	expect_exists "tools/git: baseline: the pre-commit hook runs unsandboxed" hook-ran
	rm -f hook-ran
	expect_works "tools/git: git commit in a repository with a pre-commit hook" tools/git \
		git commit -q --allow-empty -m with-hook
	expect_exists "tools/git: the pre-commit hook ran" "$WORK/repo/hook-ran"
	rm -f hook-ran
	printf '#!/bin/sh\necho "hook says no" >&2\nexit 1\n' >.git/hooks/pre-commit
	run_capture sbx_c tools/git git commit -q --allow-empty -m refused
	expect_eq "tools/git: a failing pre-commit hook still stops the commit" \
		"$STATUS:$(git log -1 --format=%s)" "1:with-hook"
	printf '#!/bin/sh\ncat "$HOME/.ssh/id_ed25519"\n' >.git/hooks/pre-commit
	expect_denied "tools/git: a hook cannot read ~/.ssh/id_ed25519" tools/git \
		'permission denied' git commit -q --allow-empty -m leak
	rm -f .git/hooks/pre-commit
	# From a subdirectory: the profile grants the top of the work tree
	# (SANDBOXEC_GIT_ROOT), so git sees the .git above (t_git_root.sh
	# has worktrees, submodules and the traps).
	mkdir -p sub/dir && printf 'deep\n' >sub/dir/file && cd sub/dir && export PWD=$WORK/repo/sub/dir
	run_capture penv git status --short
	expect_eq "tools/git: baseline: git status from a subdirectory" "$STATUS:$OUT" "0:?? ../"
	run_capture sbx_c tools/git git status --short
	expect_eq "tools/git: from a subdirectory, git status works" "$STATUS:$OUT" "0:?? ../"
	cd "$WORK/repo" && export PWD=$WORK/repo && rm -rf sub
	# Your global settings are read-only: git config --global is denied
	# with a message that names the file and the denial, and the file is
	# unchanged; --local works.
	cp "$HOME/.gitconfig" "$PROF_ROOT/gitconfig.before"
	run_capture sbx_c tools/git git config --global user.name Mallory
	expect_contains "tools/git: git config --global is denied, naming ~/.gitconfig" \
		"$STATUS:$ERR" "255:error: could not lock config file $HOME/.gitconfig: Permission denied"
	expect_eq "tools/git: ~/.gitconfig is unchanged" "$(cmp "$PROF_ROOT/gitconfig.before" "$HOME/.gitconfig" && echo same)" same
	expect_works "tools/git: git config --local works" tools/git git config --local user.name Local
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
	sbx_bg "$PROF_ROOT/allowed-server.out" "$PROBE" serve 0 "$SERVE_SECONDS"
	allowed_port=$(awk '/^ready/ {print $2; exit}' "$PROF_ROOT/allowed-server.out")
	mkdir -p "$EXT/test"
	printf 'extends: [tools/curl]\nnet:\n  - c:%s\n' "$allowed_port" >"$EXT/test/curl-local.yaml"
	run_capture sbx_c test/curl-local curl -fsS "http://127.0.0.1:$allowed_port/"
	expect_eq "tools/curl: extended with one port, curl reaches a local server there" "$OUT" ok
	expect_port_denied "tools/curl: curl cannot reach 127.0.0.1:$DENY_PORT" tools/curl \
		"failed to connect|couldn't connect" curl -fsS "http://127.0.0.1:$DENY_PORT/"
	expect_denied "tools/curl: curl file:// cannot read ~/.ssh/id_ed25519" tools/curl \
		"couldn't (open|read) file|permission denied" curl -fsS "file://$SECRET"
	run_capture sbx_c tools/curl sh -c true
	expect_eq "tools/curl: grants no program but curl (sh cannot be started)" "$STATUS" 126
	deny_matrix tools/curl
fi
