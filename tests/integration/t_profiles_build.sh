#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# build/c: make compiles and links a two-file C project in the workspace.
# build/npm: npm installs a local tarball with its cache in ~/.npm.
# Both keep the shared denials, and a build step cannot reach the secret.
. "$(dirname "$0")/profiles_lib.sh"
prof_setup

# --- build/c ---
if need_cmd "build/c" make && need_cmd "build/c" cc; then
	mkdir -p "$WORK/cproj"
	cat >"$WORK/cproj/main.c" <<'EOF'
#include <stdio.h>
#include "add.h"
int main(void) { printf("%d\n", add(2, 3)); return 0; }
EOF
	printf 'int add(int a, int b);\n' >"$WORK/cproj/add.h"
	printf '#include "add.h"\nint add(int a, int b) { return a + b; }\n' >"$WORK/cproj/add.c"
	cat >"$WORK/cproj/Makefile" <<'EOF'
prog: main.o add.o
	$(CC) -o $@ main.o add.o
%.o: %.c add.h
	$(CC) -O2 -Wall -c -o $@ $<
check: prog
	./prog | grep -qx 5
steal:
	cat $(HOME)/.ssh/id_ed25519 > stolen
EOF
	# The workspace is the project directory itself ($PWD).
	cd "$WORK/cproj" && export PWD=$WORK/cproj
	expect_works "build/c: make compiles and links a two-file C project" build/c make
	expect_works "build/c: the built program runs (make check)" build/c make check
	expect_exists "build/c: the program is in the workspace" "$WORK/cproj/prog"
	expect_denied "build/c: a make recipe cannot read ~/.ssh/id_ed25519" build/c \
		'permission denied' make -s steal
	expect_denied "build/c: cc cannot write its output outside the workspace" build/c \
		'permission denied' cc -o "$OUTSIDE/sentinel" main.c add.c
	cd "$WORK" && export PWD=$WORK
	deny_matrix build/c
fi

# --- build/npm ---
if need_cmd "build/npm" npm && need_cmd "build/npm" node; then
	mkdir -p "$PROF_ROOT/pkgsrc/tiny" "$WORK/app" "$HOME/.npm"
	printf '{"name":"tiny","version":"1.0.0","main":"index.js"}\n' \
		>"$PROF_ROOT/pkgsrc/tiny/package.json"
	printf 'module.exports = () => 42;\n' >"$PROF_ROOT/pkgsrc/tiny/index.js"
	(cd "$PROF_ROOT/pkgsrc/tiny" && penv npm pack --silent --pack-destination "$WORK/app" >/dev/null)
	# A package whose install script goes for the secret, as a malicious
	# dependency would.
	mkdir -p "$PROF_ROOT/pkgsrc/thief"
	printf '{"name":"thief","version":"1.0.0","scripts":{"postinstall":"cat $HOME/.ssh/id_ed25519 > stolen"}}\n' \
		>"$PROF_ROOT/pkgsrc/thief/package.json"
	(cd "$PROF_ROOT/pkgsrc/thief" && penv npm pack --silent --pack-destination "$WORK/app" >/dev/null)
	printf '{"name":"app","version":"1.0.0","private":true}\n' >"$WORK/app/package.json"
	cd "$WORK/app" && export PWD=$WORK/app
	# No audit/fund requests: the test has no registry to talk to.
	expect_works "build/npm: npm install of a local tarball" build/npm \
		npm install --no-audit --no-fund ./tiny-1.0.0.tgz
	expect_works "build/npm: the installed package loads" build/npm \
		node -e 'if (require("tiny")() !== 42) process.exit(1)'
	expect_exists "build/npm: npm's cache is in ~/.npm" "$HOME/.npm/_cacache"
	cp package.json package.json.orig
	cp package-lock.json package-lock.json.orig
	reset_app() {
		cp package.json.orig package.json
		cp package-lock.json.orig package-lock.json
		rm -rf node_modules/thief stolen
	}
	PROF_RESET=reset_app
	expect_denied "build/npm: an install script cannot read ~/.ssh/id_ed25519" build/npm \
		'permission denied' npm install --no-audit --no-fund --foreground-scripts ./thief-1.0.0.tgz
	PROF_RESET=
	expect_not_contains "build/npm: the script got nothing out of the secret" \
		"$(cat "$WORK/app/stolen" 2>/dev/null)" "PRIVATE KEY"
	cd "$WORK" && export PWD=$WORK
	deny_matrix build/npm
fi
