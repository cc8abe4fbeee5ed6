#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# tools/git grants the repository the current directory is in, found by
# walking up as git does (SANDBOXEC_GIT_*, docs/design.md §2.1): git
# commit works from a subdirectory, in a worktree and in a submodule, and
# a file beside the repository is still out of reach. A dotfiles
# repository in $HOME is not followed, and GIT_DIR set is refused.
. "$(dirname "$0")/profiles_lib.sh"
prof_setup

need_cmd "tools/git" git || exit 0
printf '[user]\n\tname = Sandboxec Test\n\temail = test@example.invalid\n[init]\n\tdefaultBranch = main\n[protocol "file"]\n\tallow = always\n' \
	>"$HOME/.gitconfig"
at() { cd "$1" && export PWD=$1; }

# expect_commit NAME DIR — git commit in DIR works unsandboxed, then under
# tools/git, and the sandboxed commit is the branch's last.
expect_commit() {
	local name=$1 dir=$2
	at "$dir"
	run_capture penv git commit -q --allow-empty -m baseline
	if [ "$STATUS" -ne 0 ]; then
		fail "$name" "baseline: unsandboxed git commit failed: ${ERR:0:300}"
		return
	fi
	run_capture sbx_c tools/git git commit -q --allow-empty -m sandboxed
	if [ "$STATUS" -ne 0 ]; then
		fail "$name" "exit $STATUS; stderr: ${ERR:0:300}"
	else
		expect_eq "$name" "$(git log -1 --format=%s)" sandboxed
	fi
}

# expect_write_denied NAME FILE — a shell appends to FILE unsandboxed,
# and cannot under tools/git; FILE is as before.
expect_write_denied() {
	local name=$1 file=$2 before
	cp "$file" "$PROF_ROOT/before"
	run_capture penv sh -c 'echo x >>"$1"' sh "$file"
	if [ "$STATUS" -ne 0 ]; then
		fail "$name" "baseline: unsandboxed the write failed: ${ERR:0:300}"
		return
	fi
	cp "$PROF_ROOT/before" "$file"
	run_capture sbx_c tools/git sh -c 'echo x >>"$1"' sh "$file"
	if [ "$STATUS" -eq 0 ] || ! grep -qi 'permission denied' <<<"$ERR"; then
		fail "$name" "exit $STATUS; stderr: ${ERR:0:300}"
	elif ! cmp -s "$PROF_ROOT/before" "$file"; then
		fail "$name" "denied, but $file changed"
	else
		pass "$name"
	fi
}

# --- a subdirectory of the repository ---
mkdir -p "$WORK/repo/sub/dir" && at "$WORK/repo"
printf 'hello\n' >README && git init -q && git add README && git commit -q -m first
expect_commit "tools/git: git commit from a subdirectory" "$WORK/repo/sub/dir"
run_capture sbx_c tools/git git status --short
expect_eq "tools/git: git status from a subdirectory" "$STATUS:$OUT" "0:"
expect_write_denied "tools/git: from a subdirectory, a file beside the repository is out of reach" \
	"$OUTSIDE/sentinel"

# --- a worktree: .git is a file naming .git/worktrees/wt, whose commondir
# is the main repository's .git; its hooks are the main repository's ---
at "$WORK/repo" && git worktree add -q "$WORK/wt"
printf '#!/bin/sh\necho ran >"$PWD/hook-ran"\n' >.git/hooks/pre-commit
chmod +x .git/hooks/pre-commit
expect_commit "tools/git: git commit in a worktree" "$WORK/wt"
rm -f "$WORK/wt/hook-ran"
run_capture sbx_c tools/git git commit -q --allow-empty -m hooked
expect_exists "tools/git: in a worktree, the main repository's pre-commit hook ran" "$WORK/wt/hook-ran"
rm -f "$WORK/repo/.git/hooks/pre-commit"
expect_write_denied "tools/git: from a worktree, the main work tree's files are out of reach" \
	"$WORK/repo/README"

# --- a submodule: .git is a file naming the superproject's .git/modules/lib ---
git init -q "$WORK/lib" && git -C "$WORK/lib" commit -q --allow-empty -m lib
git init -q "$WORK/super" && at "$WORK/super" && printf 'super\n' >README &&
	git submodule -q add "$WORK/lib" lib && git add README && git commit -q -m super
expect_commit "tools/git: git commit in a submodule" "$WORK/super/lib"
expect_write_denied "tools/git: from a submodule, the superproject's files are out of reach" \
	"$WORK/super/README"

# --- no repository: the current directory, as before ---
mkdir -p "$WORK/plain" && at "$WORK/plain"
expect_works "tools/git: git init outside any repository" tools/git git init -q
rm -rf "$WORK/plain/.git"
expect_write_denied "tools/git: outside any repository, a file beside it is out of reach" \
	"$OUTSIDE/sentinel"

# --- a dotfiles repository in $HOME is not followed: the rule falls back
# to the current directory, and the home directory stays out of reach ---
git init -q "$HOME" && mkdir -p "$HOME/proj" && at "$HOME/proj"
run_capture penv git rev-parse --show-toplevel
expect_eq "tools/git: baseline: git finds the dotfiles repository in \$HOME" "$OUT" "$HOME"
expect_works "tools/git: under a dotfiles repository, the current directory is writable" \
	tools/git touch made-here
expect_write_denied "tools/git: under a dotfiles repository, ~/.bashrc is out of reach" \
	"$HOME/.bashrc"
rm -rf "$HOME/.git" "$HOME/proj"

# --- GIT_DIR set: git looks for nothing, so neither does sandboxec ---
at "$WORK/repo/sub"
run_capture penv env GIT_DIR="$WORK/repo/.git" "$SBX" -C tools/git -- true
expect_sbx_error "tools/git: GIT_DIR set is refused"
expect_contains "tools/git: ... naming GIT_DIR" "$ERR" "GIT_DIR or GIT_WORK_TREE is set"
