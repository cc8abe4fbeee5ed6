#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make install` puts every profile under $(DATADIR)/sandboxec/profiles,
# and the installed CLI and shim find them there (relative to their own
# location, so a DESTDIR staging tree works as the real one would).
. "$(dirname "$0")/lib.sh"
sbx_setup

DEST=$SBX_TMP/dest
if ! make -s --no-print-directory -C "$SBX_TOP" BUILD="$SBX_BUILD" PREFIX=/usr/local \
	DESTDIR="$DEST" install >"$SBX_TMP/install.log" 2>&1; then
	fail "make install DESTDIR=..." "$(tail -5 "$SBX_TMP/install.log")"
	exit 0
fi
pass "make install DESTDIR=..."

DATA=$DEST/usr/local/share/sandboxec/profiles
want=$(cd "$SBX_TOP/profiles" && find . -name '*.yaml' | LC_ALL=C sort)
got=$(cd "$DATA" 2>/dev/null && find . -name '*.yaml' | LC_ALL=C sort)
expect_eq "make install: every profiles/**/*.yaml is installed under DATADIR" "$got" "$want"
if cmp -s "$SBX_TOP/profiles/languages/python.yaml" "$DATA/languages/python.yaml"; then
	pass "make install: installed profiles are the repository's"
else
	fail "make install: installed profiles are the repository's" "languages/python.yaml differs"
fi

BIN=$DEST/usr/local/bin/sandboxec
SHIM=$DEST/usr/local/lib/libsandboxec.so
# What is tested is that the installed front doors find the profile (a
# missing one is an error, best-effort or not); without Landlock they
# would refuse to run anything, so there they run best-effort.
BE=() BE_ENV=()
has_abi 1 || { BE=(--best-effort); BE_ENV=(SANDBOXEC_BEST_EFFORT=1); }
run_capture env -i PATH=/usr/bin:/bin HOME="$HOME" PWD="$PWD" "$BIN" "${BE[@]}" --mode explain -C languages/python
expect_contains "installed sandboxec -C languages/python: finds the installed profile" "$OUT" \
	"# config file: $DEST/usr/local/bin/../share/sandboxec/profiles/languages/python.yaml"

printf 'import sys\nopen("out.txt", "w").write(sys.version)\nprint("ran")\n' >script.py
py=python
PATH=/usr/bin:/bin command -v python >/dev/null || py=python3
run_capture env -i PATH=/usr/bin:/bin HOME="$HOME" PWD="$PWD" "$BIN" "${BE[@]}" -C languages/python -- "$py" script.py
expect_eq "installed sandboxec -C languages/python -- $py script.py" "$STATUS:$OUT" "0:ran"
expect_exists "installed sandboxec -C languages/python: the script wrote its workspace" "$PWD/out.txt"

run_capture env -i PATH=/usr/bin:/bin HOME="$HOME" PWD="$PWD" LD_PRELOAD="$SHIM" "${BE_ENV[@]}" \
	SANDBOXEC_NAMED_CONFIG=languages/python "$py" -c 'open("shim.txt", "w").write("x")'
expect_eq "installed shim with SANDBOXEC_NAMED_CONFIG=languages/python runs" "$STATUS" 0
expect_exists "installed shim: the script wrote its workspace" "$PWD/shim.txt"

make -s --no-print-directory -C "$SBX_TOP" BUILD="$SBX_BUILD" PREFIX=/usr/local \
	DESTDIR="$DEST" uninstall >/dev/null 2>&1
expect_absent "make uninstall removes the profiles" "$DEST/usr/local/share/sandboxec"
