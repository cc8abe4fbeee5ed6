#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --mode learn (docs/diagnostics.md) on real workloads: each is shown first
# to work unsandboxed; learning writes a profile that passes verification,
# and dropping any one of its rules makes the command fail or be denied
# something under --report, so every rule is needed.
set -u
. "$(dirname "$0")/lib.sh"
sbx_setup
require_abi 1 "Landlock"

TIMES=""

# learn NAME CMD... — learns a profile for CMD (run in the current
# directory) into $SBX_TMP/NAME.yaml and checks that it verified.
learn() {
	local name=$1 t0 t1
	shift
	PROFILE=$SBX_TMP/$name.yaml
	t0=$(date +%s.%N)
	expect_status "$name: learning ends verified" 0 "$SBX" --mode learn -o "$PROFILE" -- "$@"
	t1=$(date +%s.%N)
	expect_contains "$name: the outcome line says so" "$ERR" "sandboxec: learn: verified after"
	TIMES+="$name: $(echo "$t1 - $t0" | bc) s ($(grep -o 'learning.*' <<<"$ERR"))"$'\n'
	expect_status "$name: the profile alone runs it" 0 "$SBX" -c "$PROFILE" -- "$@"
}

# minimal NAME CMD... — for each rule of the profile: without it the
# command fails, or --report shows the sandbox denied something.
minimal() {
	local name=$1 n rule
	shift
	for n in $(grep -n '^  - ' "$PROFILE" | cut -d: -f1); do
		rule=$(sed -n "${n}p" "$PROFILE" | sed 's/^  - \("[^"]*"\).*/\1/')
		sed "${n}d" "$PROFILE" >"$SBX_TMP/drop.yaml"
		run_capture "$SBX" --report -c "$SBX_TMP/drop.yaml" -- "$@"
		if [ "$STATUS" -ne 0 ] || grep -q "the sandbox denied [0-9]\|probably harmless" <<<"$ERR"; then
			pass "$name: without $rule it fails or is denied"
		else
			fail "$name: without $rule it fails or is denied" "status 0, nothing denied"
		fi
	done
}

# --- Python with several stdlib imports writing a file -----------------------
PY=/usr/bin/python3
mkdir -p "$SBX_TMP/py" && cd "$SBX_TMP/py" || exit 1
cat >s.py <<'PYEOF'
import json, email.parser, http.client, decimal, csv, sqlite3, tempfile
with open("out.json", "w") as f:
    json.dump({"d": str(decimal.Decimal("1.5"))}, f)
print("ok")
PYEOF
expect_status "python: works unsandboxed" 0 "$PY" s.py
learn python "$PY" s.py
expect_contains "python: it extends the python profile" "$(cat "$PROFILE")" \
	"extends: [languages/python]"
minimal python "$PY" s.py

# --- git init/add/commit in a temp dir, with ~/.gitconfig ----------------------
if command -v git >/dev/null; then
	printf '[user]\n\tname = Learn Test\n\temail = learn@example.com\n' >"$HOME/.gitconfig"
	mkdir -p "$SBX_TMP/git" && cd "$SBX_TMP/git" || exit 1
	GITCMD=(sh -c 'rm -rf repo && mkdir repo && cd repo && git init -q && echo hi >a && git add a && git commit -qm init')
	expect_status "git: works unsandboxed" 0 "${GITCMD[@]}"
	learn git "${GITCMD[@]}"
	expect_contains "git: it extends the git profile" "$(cat "$PROFILE")" "extends: [tools/git]"
	minimal git "${GITCMD[@]}"
else
	skip "git" "git not installed"
fi

# --- make + cc building a tiny project ---------------------------------------
if command -v make >/dev/null && command -v cc >/dev/null; then
	mkdir -p "$SBX_TMP/mk" "$SBX_TMP/tmp" && cd "$SBX_TMP/mk" || exit 1
	printf 'int f(void) { return 1; }\n' >f.c
	printf '#include <stdio.h>\nint f(void);\nint main(void) { printf("%%d\\n", f()); return 0; }\n' >main.c
	printf 'prog: main.o f.o\n\tcc -o $@ main.o f.o\n%%.o: %%.c\n\tcc -c -o $@ $<\n' >Makefile
	MKCMD=(env TMPDIR="$SBX_TMP/tmp" make -B -s)
	expect_status "make: works unsandboxed" 0 "${MKCMD[@]}"
	learn make "${MKCMD[@]}"
	minimal make "${MKCMD[@]}"
else
	skip "make" "make or cc not installed"
fi

# --- npm install of a local tarball (no registry) ---------------------------
if command -v npm >/dev/null; then
	mkdir -p "$SBX_TMP/npm/dep" "$SBX_TMP/npm/app" && cd "$SBX_TMP/npm/dep" || exit 1
	printf '{"name":"tinydep","version":"1.0.0","main":"index.js"}\n' >package.json
	echo 'module.exports = 42;' >index.js
	npm pack --silent >/dev/null 2>&1
	cd "$SBX_TMP/npm/app" || exit 1
	NPMCMD=(sh -c 'rm -rf node_modules package-lock.json && echo "{\"name\":\"app\",\"version\":\"1.0.0\"}" >package.json && npm install --offline --no-audit --no-fund --no-update-notifier --silent ../dep/tinydep-1.0.0.tgz')
	expect_status "npm: works unsandboxed" 0 "${NPMCMD[@]}"
	learn npm "${NPMCMD[@]}"
	minimal npm "${NPMCMD[@]}"
else
	skip "npm" "npm not installed"
fi

# --- bad input ---------------------------------------------------------------
cd "$SBX_TMP/work" || exit 1
expect_status "no COMMAND is a usage error" 1 "$SBX" --mode learn
expect_sbx_error "no COMMAND: one sandboxec: line"

printf '%s' "$TIMES" | sed 's/^/# time: /'
for f in "$SBX_TMP"/*.yaml; do sed "s|^|# $(basename "$f"): |" "$f"; done
